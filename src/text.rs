//! The sentences downhill shows, one file per language in `assets/lang/` (`en.toml`, `es.toml`, ...), read
//! when the program starts so they can change without a rebuild.

use std::collections::BTreeMap;

use bevy::prelude::Resource;
use serde::Deserialize;

use crate::math::Scheme;
use crate::math::formula::{ERROR_KEYS, FormulaError};
use crate::math::optimizer::Method;

/// The language files built into the program, used when `assets/lang/` cannot be found (and all a web page
/// has). English comes first: it is the language every other file is checked against.
pub const BUILT_IN_LANGUAGES: [(&str, &str); 2] = [
    ("en", include_str!("../assets/lang/en.toml")),
    ("es", include_str!("../assets/lang/es.toml")),
];

/// The built-in English text.
pub const BUILT_IN_LESSON: &str = BUILT_IN_LANGUAGES[0].1;

/// The language every other one is checked against, and the one used when nothing asks for another.
pub const FIRST_LANGUAGE: &str = "en";

/// Every sentence shown on screen, in one language.
#[derive(Resource, Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonText {
    /// The language's name in its own words, for the language button ("English", "Español").
    pub name: String,
    pub title: String,
    pub tagline: String,
    /// A caption for each curve, by curve name.
    pub curves: BTreeMap<String, String>,
    /// Each built-in curve's name as the curve picker shows it, by the name the program knows it by (a
    /// typed formula is shown as itself).
    pub curve_names: BTreeMap<String, String>,
    pub sign: SignText,
    pub status: StatusText,
    pub chord: ChordText,
    pub update: UpdateText,
    pub help: HelpText,
    pub labels: LabelText,
    pub plot: PlotText,
    pub scheme_names: SchemeNames,
    pub optimizer_names: OptimizerNames,
    /// What is wrong with a formula that could not be read, one template per mistake, by the keys of
    /// [`ERROR_KEYS`]; the placeholders are those of the English words there.
    pub formula_errors: BTreeMap<String, String>,
    pub lab: LabText,
    pub race: RaceText,
    pub notation: NotationText,
    pub exhibit: ExhibitText,
    pub web: WebText,
    pub gradient: GradientText,
    pub derivative: DerivativeText,
    pub stability: StabilityText,
    pub zoom: ZoomText,
    pub predict: PredictText,
    pub minibatch: MinibatchText,
    /// The exhibit's attract captions, by the key a scene of `exhibit.toml` names with `text`.
    pub attract: BTreeMap<String, String>,
    pub visitor: VisitorText,
    /// The race stories' titles and stories in this language, by their English title in
    /// `assets/scenarios.toml` (English itself has none: it uses that file's own words).
    #[serde(default)]
    pub scenarios: BTreeMap<String, ScenarioWords>,
}

/// The exhibit's visitor panel: words a ten-year-old reads, everyday words first.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitorText {
    /// The big buttons.
    pub play: String,
    pub pause: String,
    pub step: String,
    pub reset: String,
    /// Over the step-size slider; its three zones and what the ball does in each; the technical word.
    pub rate_title: String,
    pub tiny: String,
    pub right: String,
    pub too_big: String,
    pub tiny_note: String,
    pub right_note: String,
    pub too_big_note: String,
    pub rate_word: String,
    /// Over the pictures of the curves.
    pub pick_curve: String,
    /// The card that says how a scene works, and its button.
    pub how: String,
    pub close: String,
    pub how_slope: String,
    pub how_gradient: String,
    /// The guided start after the waking touch.
    pub guide_drag: String,
    pub guide_play: String,
    /// The two scenes' names.
    pub scene_slope: String,
    pub scene_gradient: String,
    /// The guessing game (predict mode): its switch, what to do, and how a guess went: {distance}, {streak}.
    pub predict: String,
    pub predict_note: String,
    pub landed: String,
    pub great: String,
    pub try_again: String,
    pub streak: String,
}

/// A race story's title and story in one language.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioWords {
    pub title: String,
    pub story: String,
}

/// The code of the language the window shows now.
#[derive(Resource, Clone, Debug, PartialEq, Eq)]
pub struct CurrentLanguage(pub String);

impl Default for CurrentLanguage {
    fn default() -> Self {
        Self(FIRST_LANGUAGE.to_owned())
    }
}

/// Every language there is, by code, the first being English.
#[derive(Resource, Clone, Debug)]
pub struct Languages {
    texts: Vec<(String, LessonText)>,
}

impl Languages {
    /// Parse language files given as (code, source, origin); English must be among them. Every other
    /// language must caption the same curves as English (the other keys are checked by parsing).
    pub fn parse(files: &[(String, String, String)]) -> Result<Self, String> {
        let mut texts = Vec::new();
        for (code, source, origin) in files {
            texts.push((code.clone(), LessonText::parse(source, origin)?));
        }
        texts.sort_by(|(a, _), (b, _)| {
            (a != FIRST_LANGUAGE, a.as_str()).cmp(&(b != FIRST_LANGUAGE, b.as_str()))
        });
        let Some((first, english)) = texts.first() else {
            return Err("no language files".into());
        };
        if first != FIRST_LANGUAGE {
            return Err(format!(
                "there is no {FIRST_LANGUAGE}.toml among the language files ({}); every other language is checked against it",
                texts
                    .iter()
                    .map(|(c, _)| format!("{c}.toml"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        for (code, text) in texts.iter().skip(1) {
            let missing: Vec<&str> = english
                .curves
                .keys()
                .filter(|name| !text.curves.contains_key(*name))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                return Err(format!(
                    "{code}.toml: [curves] has no caption for {}; add one for each curve {FIRST_LANGUAGE}.toml captions",
                    missing.join(", ")
                ));
            }
        }
        Ok(Self { texts })
    }

    /// Just one language (the benchmark's).
    pub fn only(text: LessonText) -> Self {
        Self {
            texts: vec![(FIRST_LANGUAGE.to_owned(), text)],
        }
    }

    /// The languages built into the program.
    pub fn built_in() -> Result<Self, String> {
        let files: Vec<(String, String, String)> = BUILT_IN_LANGUAGES
            .iter()
            .map(|(code, source)| {
                (
                    code.to_string(),
                    source.to_string(),
                    format!("built-in {code}.toml"),
                )
            })
            .collect();
        Self::parse(&files)
    }

    /// Every language's code, English first.
    pub fn codes(&self) -> Vec<&str> {
        self.texts.iter().map(|(code, _)| code.as_str()).collect()
    }

    /// The text in the language `code`.
    pub fn get(&self, code: &str) -> Option<&LessonText> {
        self.texts
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, text)| text)
    }

    /// English.
    pub fn first(&self) -> &LessonText {
        &self.texts[0].1
    }

    /// `Ok` when `code` is a language there is, else one line that names the ones there are.
    pub fn check(&self, code: &str) -> Result<(), String> {
        if self.get(code).is_some() {
            Ok(())
        } else {
            Err(format!(
                "no language '{code}'; there are: {}",
                self.codes().join(", ")
            ))
        }
    }

    /// Every language but English must give every race story a title and a story.
    pub fn check_scenarios<'a>(
        &self,
        titles: impl Iterator<Item = &'a str> + Clone,
    ) -> Result<(), String> {
        for (code, text) in self.texts.iter().skip(1) {
            let missing: Vec<&str> = titles
                .clone()
                .filter(|title| !text.scenarios.contains_key(*title))
                .collect();
            if !missing.is_empty() {
                return Err(format!(
                    "{code}.toml: [scenarios] has no words for \"{}\"; add a [scenarios.\"<English title>\"] table with title and story for each race in scenarios.toml",
                    missing.join("\", \"")
                ));
            }
        }
        Ok(())
    }
}

/// The safe learning rates drawn on the learning-rate sliders: 1/f'' and 2/f'' at the ball (scene 1) and
/// 2/lambda_max (scene 2).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StabilityText {
    /// Under the marks on scene 1's slider: {value}.
    pub one_step_mark: String,
    pub limit_mark: String,
    /// Under the slider: {bend} = f''(x), {one_step} = 1/f'', {limit} = 2/f''.
    pub limits: String,
    /// Where f'' <= 0: {bend}.
    pub no_limit: String,
    /// Where f'' has no value.
    pub unknown: String,
    /// What the learning rate {lr} does on the parabola that fits at the ball.
    pub short: String,
    pub on_the_bottom: String,
    pub overshoots: String,
    pub bounces: String,
    pub grows: String,
    /// When the main ball does not use plain descent.
    pub other_rule: String,
    /// Under the mark on scene 2's slider at 2/lambda_max: {value}.
    pub scene2_limit: String,
}

/// The zoom of scene 1's plot around the ball, down to where the curve looks straight.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoomText {
    /// The buttons in the plot's corner.
    pub zoom_in: String,
    pub zoom_out: String,
    pub whole: String,
    pub animate: String,
    pub stop: String,
    /// How to zoom on the plot itself.
    pub hint: String,
    /// {factor} and the window's {width}.
    pub factor: String,
    /// The curve's distance from its tangent at the window's edge: {gap}, in {pixels}, and what the bend
    /// predicts, {predicted}.
    pub gap: String,
    /// When the bend's prediction is below f(x)'s rounding, so the measured gap is rounding.
    pub gap_is_rounding: String,
    /// When that is under half a pixel.
    pub one_line: String,
    /// When f64 cannot resolve the curve: the rounding's size {noise}.
    pub unresolved: String,
    /// When x itself has run out of digits: {distinct} different x among {samples} samples.
    pub unresolved_x: String,
}

/// Predict, then see: guessing where a step lands, or which ball settles first.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredictText {
    /// The panel's section and its switch.
    pub title: String,
    pub toggle: String,
    /// What to do while predict mode is on.
    pub instruction: String,
    /// On the plot: beside the ghost ball, at the real landing, under the miss ({miss}), at the picked ball.
    pub ghost: String,
    pub landing: String,
    pub close_enough: String,
    pub too_far: String,
    pub pick: String,
    /// The last step: {step}, {start}, {landing}.
    pub landed: String,
    /// How the guess went: {guess}, {miss}, {tolerance}; or that there was none.
    pub good: String,
    pub bad: String,
    pub unguessed: String,
    /// Which way it went: {slope}, {side} (the way it went), {other} (the other way), {distance}.
    pub downhill: String,
    pub uphill: String,
    pub coasting: String,
    pub stayed: String,
    pub left: String,
    pub right: String,
    /// Why it landed there, one sentence per reason ({one_step} is 1/f'', {method} and {lr} the rule's).
    pub left_the_line: String,
    pub overshoot: String,
    pub carried: String,
    pub scaled: String,
    pub flat: String,
    pub steep: String,
    pub gentle: String,
    pub small_rate: String,
    pub large_rate: String,
    /// Where nothing stands out: {lr}, {slope}, {product}.
    pub product: String,
    /// Good guesses in a row: {current}, {best}.
    pub streak: String,
    /// A race: the question, the pick ({ball}), and the answer ({ball}, {first}, {picked}, {step}).
    pub race_question: String,
    pub race_picked: String,
    pub race_right: String,
    pub race_wrong: String,
    pub race_none: String,
}

/// Minibatch descent in scene 2: each step's gradient from a random batch of the points.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinibatchText {
    /// The part's heading in the panel.
    pub title: String,
    /// The loss-by-step plot's heading and its two lines.
    pub loss_plot: String,
    pub loss_all: String,
    pub loss_batch: String,
    pub explain: String,
    /// Before the batch-size slider.
    pub batch: String,
    /// Beside it at the number of points, {n}: no batching.
    pub all_points: String,
    /// Beside it below: {k} of {n}.
    pub some_points: String,
    /// In its place with a single point.
    pub one_point: String,
    /// Before the seed, and the button that changes it.
    pub seed: String,
    pub new_seed: String,
    /// What the seed does.
    pub seed_note: String,
    /// The button that puts 100 noisy points in place of the data, and what it is for.
    pub noisy: String,
    pub noisy_note: String,
    /// Over the readout of the last step's gradient, both taken where that step started.
    pub last_step: String,
    /// Its column heads, {k} and {n}, and row names.
    pub batch_column: String,
    pub all_column: String,
    pub dw: String,
    pub db: String,
}

/// The words of the slope plot, f'(x) drawn under the curve, and of its written formula.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivativeText {
    /// The plot's name, in its top corner.
    pub name: String,
    /// The plot's name and the point's words where no notation is shown (the attract loop, a visitor):
    /// {slope}.
    pub name_plain: String,
    pub point_plain: String,
    /// Beside the point that moves with the ball: {slope}.
    pub point: String,
    /// Beside it where the curve has a corner and no slope.
    pub corner: String,
    /// In its place where f' is not a number (the formula is undefined there).
    pub no_slope: String,
    /// In the panel when the window is too short to show the slope plot.
    pub no_room: String,
    /// After a long list of places where f' is not defined: {count} more.
    pub more: String,
    /// Above and below the zero line.
    pub rising: String,
    pub falling: String,
    /// In an empty trace: how to draw one.
    pub trace_hint: String,
    /// The derivative written out in the panel: {formula}.
    pub written: String,
    /// Where it is not defined: {places}.
    pub undefined: String,
    /// When it could not be written out (a formula too long to differentiate by hand).
    pub unwritten: String,
    /// The panel's switches and button.
    pub show: String,
    pub trace: String,
    pub clear: String,
}

/// The words of scene 2, the two-parameter fit.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradientText {
    pub title: String,
    pub intro: String,
    pub landscape: String,
    pub data: String,
    pub slice: String,
    pub chain: String,
    pub averaged: String,
    pub converged: String,
    pub diverged: String,
    pub critical: String,
    pub best: String,
    pub not_unique: String,
    /// Scene 2's run is plainly flying away: {step}, {lr}, {curvature}, {critical}.
    pub running_away: String,
    /// Beside the marker at the landscape's edge when the ball has left the view: {w}, {b}.
    pub off_view: String,
    /// Over the data controls: how many points there are, {n}, and how many there may be, {max}.
    pub data_count: String,
    /// The run buttons scene 2 adds to Play, Step and Reset: jump to the least-squares line, and frame the
    /// landscape about the ball.
    pub fit: String,
    pub frame: String,
    /// Before the picker of the update rule.
    pub optimizer: String,
    /// The data buttons: take the last point away, and go back to the lesson's one point.
    pub remove_point: String,
    pub lesson_point: String,
}

/// The words only the web page shows.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebText {
    /// The panel's button that puts the settings on screen into the address bar.
    pub copy_link: String,
    /// Said after it, when the clipboard could not take the link too.
    pub copied: String,
    pub copied_to_clipboard: String,
    /// A setting in the address that could not be used; `{problem}` says which and why.
    pub problem: String,
    /// The address named a scenario there is not: `{wanted}`, `{titles}`.
    pub no_scenario: String,
    /// The program stopped on a fault: `{why}`.
    pub stopped: String,
}

/// The words of exhibit mode: the attract prompt and the staff keypad.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExhibitText {
    pub touch_to_play: String,
    pub keypad_title: String,
    pub keypad_wrong: String,
    pub erase: String,
    pub cancel: String,
    pub enter: String,
    /// One line under the scene in exhibit mode, in place of the keyboard strip.
    pub help: String,
    /// The attract loop's tags on the racing balls: plain descent's, and the ones that keep their speed.
    pub plain_ball: String,
    pub momentum_ball: String,
    /// The "too big" scene's last moment, when the ball is about to be thrown off the screen.
    pub flew_away: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabText {
    pub intro: String,
    pub parabola: String,
    pub collapsed: String,
    pub plot: String,
    /// Per chord under the error plot: a V with a best h and a measured slope ...
    pub dip: String,
    /// ... an error that falls all the way down ...
    pub falling: String,
    /// ... nothing but rounding ...
    pub round_off: String,
    /// ... no error at all ...
    pub exact: String,
    /// ... or no value to measure.
    pub undefined: String,
    /// The chord's slope against the exact one.
    pub chord_slope: String,
    pub table: String,
    /// The lab's section titles (the first, h, is h in every language).
    pub chord_title: String,
    pub error_title: String,
    pub table_title: String,
    pub notation_title: String,
    /// The zoom lens's switch, beside the chords.
    pub lens: String,
    /// The shrinking of h: play and pause it, stop it, its two ways (smoothly, or ten times smaller at a
    /// time), and the name of the bar that moves h by hand.
    pub shrink: String,
    pub pause_shrink: String,
    pub stop: String,
    pub glide: String,
    pub by_tens: String,
    pub scrub: String,
    /// The error plot's y axis, and its key's entries for your h and the best h (the chords are named by
    /// `[scheme_names]`).
    pub error_axis: String,
    pub your_h: String,
    pub best_h: String,
    /// The slope table's column heads after h: the two chords' slopes, and each one's error.
    pub table_forward: String,
    pub table_central: String,
    pub table_error: String,
}

/// The words of a race: each ball's name and how it stands.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RaceText {
    pub ball: String,
    pub waiting: String,
    pub rolling: String,
    pub bouncing: String,
    pub paused: String,
    pub converged: String,
    pub diverged: String,
    pub running_away: String,
    pub undefined: String,
    pub first: String,
    /// The balls section's title; the main ball's learning rate, {lr}, set by the slider above; the button
    /// that takes a ball out of the race and the one that adds one; how many race, {count} of {max}.
    pub balls: String,
    pub main_lr: String,
    pub remove: String,
    pub add_ball: String,
    pub count: String,
    /// The optimizers' settings, folded away, and the name of each.
    pub settings: String,
    pub momentum_mu: String,
    pub rmsprop_alpha: String,
    pub adam_beta1: String,
    pub adam_beta2: String,
    pub eps: String,
    /// The loss plot: its title, its log-scale switch, and its y axis on a log scale and not (its x axis is
    /// `[labels]`'s step_count).
    pub loss_title: String,
    pub log_scale: String,
    pub log_loss_axis: String,
    pub loss_axis: String,
    /// Over the scenario buttons.
    pub scenarios: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotationText {
    pub intro: String,
    pub rows: Vec<NotationRow>,
}

/// One way of writing the derivative: its symbol, the symbol with numbers, and how to read it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotationRow {
    pub symbol: String,
    pub filled: String,
    pub reading: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignText {
    pub rising: String,
    pub falling: String,
    pub flat: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusText {
    pub ready: String,
    pub running: String,
    pub paused: String,
    pub bouncing: String,
    pub converged: String,
    pub diverged: String,
    pub running_away: String,
    pub undefined: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChordText {
    pub explain: String,
    pub shrinking: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateText {
    pub explain: String,
    pub noise: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpText {
    /// One short line of keys, shown along the bottom of the scene.
    pub strip: String,
    pub keys: Vec<String>,
}

/// The words of scene 1's panel: the tabs, the section titles and the controls (scene 2 shares the run's
/// buttons and "At the ball").
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelText {
    /// The two scenes' tabs at the top of the panel.
    pub scene_slope: String,
    pub scene_gradient: String,
    /// Scene 1's two pages.
    pub descent: String,
    pub chord_lab: String,
    /// The descent page's section titles; `at_the_ball` also heads scene 2's numbers.
    pub curve: String,
    pub run: String,
    pub learning_rate: String,
    pub at_the_ball: String,
    pub next_step: String,
    pub chord_step: String,
    pub why: String,
    pub keys: String,
    /// The run's buttons, in both scenes.
    pub play: String,
    pub pause: String,
    pub back: String,
    pub step: String,
    pub reset: String,
    /// Before the speed slider.
    pub steps_per_second: String,
    /// Before the field for a formula of your own.
    pub formula_prompt: String,
    /// Under a formula that could not be read: the {column} at fault and the {message} from
    /// `[formula_errors]`.
    pub formula_error: String,
    /// Before the field to type the learning rate.
    pub type_learning_rate: String,
    /// Why a typed learning rate cannot be used: what was {typed}, and the range, {low} to {high}.
    pub rate_not_a_number: String,
    pub rate_not_finite: String,
    pub rate_out_of_range: String,
    /// The numbers at the ball: the exact slope, the chord's slope ({scheme} names the chord), its error;
    /// and the step count, also under the loss plots' x axes.
    pub exact_slope: String,
    pub chord_slope: String,
    pub chord_error: String,
    pub step_count: String,
    /// Under the next step's equation: write its numbers with every digit.
    pub every_digit: String,
    /// The chord-step section's button, while h is not shrinking and while it is.
    pub shrink: String,
    pub stop_shrinking: String,
    /// The panel's button that switches the colours (and the T key): it names the theme it switches to.
    pub to_light: String,
    pub to_dark: String,
    /// Under the loss plot's and the error plot's titles: show the plot large over the scene, and back.
    pub show_large: String,
    pub show_in_panel: String,
    /// The panel's button that folds it away (with the words under the pointer), and the one in the
    /// window's corner that brings it back.
    pub fold_panel: String,
    pub fold_panel_hint: String,
    pub unfold_panel: String,
}

/// The words drawn on scene 1's plot: an axis, the minima, the ball off the plot, the key and the zoom lens.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlotText {
    /// The y axis's name (the x axis is x).
    pub loss_axis: String,
    /// Under a minimum: the only one, the lowest of several, another one.
    pub minimum: String,
    pub global_minimum: String,
    pub local_minimum: String,
    /// Beside the arrow at the plot's edge when the ball has left it: {x}.
    pub ball_at: String,
    /// The key's two rows: the tangent and its {slope}; the {scheme} chord, its {slope} and {h}.
    pub tangent: String,
    pub chord: String,
    /// The same two rows in everyday words, for the attract loop and a visitor (no h, no f'): {slope}.
    pub tangent_plain: String,
    pub chord_plain: String,
    /// The zoom lens's corner: its {factor} and {h}; and at its foot when x + h is x.
    pub lens: String,
    pub lens_collapsed: String,
}

/// The chords' names, by the scheme each one uses: in the lab's buttons and sentences, the readouts and the
/// plot's key.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemeNames {
    pub forward: String,
    pub backward: String,
    pub central: String,
}

/// The update rules' names in the pickers, the balls' names and the sentences (the command line keeps
/// gd, momentum, nesterov, rmsprop and adam).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptimizerNames {
    pub gd: String,
    pub momentum: String,
    pub nesterov: String,
    pub rmsprop: String,
    pub adam: String,
}

impl LessonText {
    /// Parse lesson text; the error names `origin` and the line that is wrong, or the table that lacks a key.
    pub fn parse(source: &str, origin: &str) -> Result<Self, String> {
        let text: Self = parse_toml(source, origin)?;
        text.check_tables()
            .map_err(|why| format!("{origin}: {why}"))?;
        Ok(text)
    }

    /// The tables whose keys serde does not check: a name for each captioned curve, and a template for each
    /// formula mistake and no other.
    fn check_tables(&self) -> Result<(), String> {
        let unnamed: Vec<&str> = self
            .curves
            .keys()
            .filter(|name| !self.curve_names.contains_key(*name))
            .map(String::as_str)
            .collect();
        if !unnamed.is_empty() {
            return Err(format!(
                "[curve_names] has no name for {}; add one for each curve [curves] captions",
                unnamed.join(", ")
            ));
        }
        let missing: Vec<&str> = ERROR_KEYS
            .iter()
            .map(|(key, _)| *key)
            .filter(|key| !self.formula_errors.contains_key(*key))
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "[formula_errors] has no template for {}; add one for each mistake a formula can have",
                missing.join(", ")
            ));
        }
        let unknown: Vec<&str> = self
            .formula_errors
            .keys()
            .map(String::as_str)
            .filter(|key| !ERROR_KEYS.iter().any(|(k, _)| k == key))
            .collect();
        if !unknown.is_empty() {
            return Err(format!(
                "[formula_errors] has no mistake called {}; the keys are {}",
                unknown.join(", "),
                ERROR_KEYS
                    .iter()
                    .map(|(key, _)| *key)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Ok(())
    }

    /// A curve's name as the picker shows it: the language's word for a built-in curve, else the name itself.
    pub fn curve_name<'a>(&'a self, name: &'a str) -> &'a str {
        self.curve_names.get(name).map_or(name, String::as_str)
    }

    /// An update rule's name on screen.
    pub fn optimizer_name(&self, method: Method) -> &str {
        let names = &self.optimizer_names;
        match method {
            Method::Gd => &names.gd,
            Method::Momentum => &names.momentum,
            Method::Nesterov => &names.nesterov,
            Method::RmsProp => &names.rmsprop,
            Method::Adam => &names.adam,
        }
    }

    /// A chord's name on screen, by its scheme.
    pub fn scheme_name(&self, scheme: Scheme) -> &str {
        let names = &self.scheme_names;
        match scheme {
            Scheme::Forward => &names.forward,
            Scheme::Backward => &names.backward,
            Scheme::Central => &names.central,
        }
    }

    /// The line under a formula that could not be read: the column and what is wrong, in this language (in
    /// English when the mistake has no template here).
    pub fn formula_error(&self, error: &FormulaError) -> String {
        let message = self.formula_errors.get(error.key).map_or_else(
            || error.message.clone(),
            |template| fill(template, &error.values),
        );
        fill(
            &self.labels.formula_error,
            &[("column", error.column.to_string()), ("message", message)],
        )
    }

    /// The copy built into the program (all a web page has; the desktop program reads `assets/` first).
    pub fn built_in() -> Result<Self, String> {
        Self::parse(BUILT_IN_LESSON, "built-in en.toml")
    }

    /// A race story's title in this language.
    pub fn scenario_title<'a>(&'a self, english: &'a str) -> &'a str {
        self.scenarios
            .get(english)
            .map_or(english, |words| words.title.as_str())
    }

    /// A race story's story in this language (`english_title` finds it, `english` is the English story).
    pub fn scenario_story<'a>(&'a self, english_title: &str, english: &'a str) -> &'a str {
        self.scenarios
            .get(english_title)
            .map_or(english, |words| words.story.as_str())
    }

    /// The caption of a curve, or an empty string when the text file has none for it.
    pub fn caption(&self, curve_name: &str) -> &str {
        self.curves
            .get(curve_name)
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Parse a TOML asset file; an error is one line naming `origin` and the line that is wrong.
pub fn parse_toml<T: serde::de::DeserializeOwned>(source: &str, origin: &str) -> Result<T, String> {
    toml::from_str(source).map_err(|error| {
        let line = error.span().map(|span| {
            source[..span.start.min(source.len())]
                .lines()
                .count()
                .max(1)
        });
        let message = error.message().replace('\n', " ");
        match line {
            Some(line) => format!("{origin}:{line}: {message}"),
            None => format!("{origin}: {message}"),
        }
    })
}

/// Fill `{name}` placeholders in a sentence.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::Curve;

    #[test]
    fn the_built_in_lesson_parses_and_captions_every_curve() {
        let lesson = LessonText::parse(BUILT_IN_LESSON, "lesson.toml").unwrap();
        for curve in Curve::builtins() {
            assert!(
                !lesson.caption(&curve.name).is_empty(),
                "no caption for {}",
                curve.name
            );
        }
        assert!(lesson.help.keys.len() >= 6);
    }

    /// The `{name}`s of a template.
    fn placeholders(template: &str) -> Vec<&str> {
        template
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn every_built_in_language_names_every_curve_and_says_every_formula_mistake() {
        let languages = Languages::built_in().unwrap();
        let english = languages.first();
        for (key, words) in ERROR_KEYS {
            assert_eq!(
                english.formula_errors.get(key).map(String::as_str),
                Some(words),
                "en.toml's [formula_errors] {key} must say what the command line says"
            );
        }
        for code in languages.codes() {
            let text = languages.get(code).unwrap();
            for curve in Curve::builtins() {
                assert!(
                    text.curve_names.contains_key(&curve.name),
                    "{code}: no name for {}",
                    curve.name
                );
            }
            for (key, words) in ERROR_KEYS {
                let template = &text.formula_errors[key];
                for name in placeholders(template) {
                    assert!(
                        placeholders(words).contains(&name),
                        "{code}: [formula_errors] {key} has {{{name}}}, which the parser does not fill"
                    );
                }
            }
        }
    }

    #[test]
    fn a_formula_mistake_is_said_in_the_language_shown() {
        let languages = Languages::built_in().unwrap();
        let error = Curve::from_formula("x $ 2").unwrap_err();
        assert_eq!(
            languages.first().formula_error(&error),
            "Column 3: '$' cannot be used in a formula"
        );
        let spanish = languages.get("es").unwrap().formula_error(&error);
        assert!(
            spanish.contains("3") && spanish.contains("'$'"),
            "{spanish}"
        );
        assert!(!spanish.contains("cannot"), "{spanish}");
    }

    #[test]
    fn a_file_without_a_formula_mistake_names_the_table_and_the_key() {
        let source = BUILT_IN_LESSON.replace("\nempty = ", "\nempty_formula = ");
        let error = LessonText::parse(&source, "en.toml").unwrap_err();
        assert!(
            error.starts_with("en.toml: [formula_errors] has no template for empty"),
            "{error}"
        );
    }

    #[test]
    fn a_broken_lesson_file_names_the_line() {
        let source = "title = \"x\"\ntagline = \"y\"\n[curves]\nbowl = 3\n";
        let error = LessonText::parse(source, "lesson.toml").unwrap_err();
        assert!(error.starts_with("lesson.toml:4:"), "{error}");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill(
                "step {step} at {lr}",
                &[("step", "3".into()), ("lr", "0.1".into())]
            ),
            "step 3 at 0.1"
        );
    }
}
