//! The panel's "Predict, then see": the switch, what to do, how the last step went and why, the streak, and
//! in a race "which ball settles first?" with a button per ball (every ball starts on the same spot, so a
//! button is the one pick a finger can make there).

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_egui::egui::{self, RichText};

use super::Controls;
use super::race::{ball_labels, ball_states};
use crate::math::predict::{Outcome, RaceResult, Reason, Side, Way};
use crate::sim::predict::{Predict, PredictCommand};
use crate::text::{PredictText, fill};
use crate::theme::numbers::format_number;
use crate::theme::{Palette, palette};

/// Predict mode as the panel reads it, and the commands the panel sends it.
#[derive(SystemParam)]
pub struct PredictControls<'w> {
    pub predict: Res<'w, Predict>,
    pub commands: MessageWriter<'w, PredictCommand>,
}

/// The section: the switch, and while it is on, the race's question, what to do, the last step and the
/// streak.
pub fn predict_section(ui: &mut egui::Ui, controls: &mut Controls) {
    let pal = crate::theme::palette_of(ui.ctx());
    let balls = ball_states(controls);
    let names = ball_labels(&controls.lesson, &balls);
    let method = controls.run.0.optimizer.method;
    let can_pick =
        controls
            .predict
            .predict
            .can_pick(&controls.run, &controls.rivals, &controls.playback);
    let words = &controls.lesson.predict;
    let predict = &*controls.predict.predict;
    let commands = &mut controls.predict.commands;
    // Off, it is one toggle under the run's buttons; on, its words follow the toggle.
    let mut on = predict.on;
    if ui.toggle_value(&mut on, words.toggle.as_str()).clicked() {
        commands.write(PredictCommand::Toggle);
    }
    if !predict.on {
        return;
    }
    if names.len() > 1 {
        race_question(ui, words, predict, &names, can_pick, commands);
    }
    ui.label(RichText::new(&words.instruction).color(pal.ghost.egui()));
    if let Some(last) = &predict.last {
        let lines = outcome_lines(words, last, controls.lesson.optimizer_name(method));
        let colour = match last.good() {
            Some(true) => pal.good,
            Some(false) => pal.warning,
            None => pal.text,
        };
        for (i, line) in lines.iter().enumerate() {
            // The verdict (the second line) in its colour; its words say it too.
            let shown = if i == 1 { colour } else { pal.text };
            ui.label(RichText::new(line).color(shown.egui()));
        }
    }
    let streak = fill(
        &words.streak,
        &[
            ("current", predict.streak.current.to_string()),
            ("best", predict.streak.best.to_string()),
        ],
    );
    ui.label(RichText::new(streak).strong().color(pal.text.egui()));
}

/// "Which ball settles first?": the question or its answer, and a button per ball (`names`, the main one
/// first), usable while the race has not started.
fn race_question(
    ui: &mut egui::Ui,
    words: &PredictText,
    predict: &Predict,
    names: &[String],
    can_pick: bool,
    commands: &mut MessageWriter<PredictCommand>,
) {
    let pal = crate::theme::palette_of(ui.ctx());
    let name = |ball: usize| names.get(ball).cloned().unwrap_or_default();
    match (predict.race_result, predict.race_pick) {
        (Some(result), _) => {
            let (text, colour) = race_sentence(pal, words, result, name);
            ui.label(RichText::new(text).strong().color(colour.egui()));
        }
        (None, Some(pick)) => {
            ui.label(fill(&words.race_picked, &[("ball", name(pick))]));
        }
        (None, None) => {
            ui.label(RichText::new(&words.race_question).strong());
        }
    }
    ui.horizontal_wrapped(|ui| {
        for (ball, label) in names.iter().enumerate() {
            let colour = pal.ball_colour(ball);
            let picked = predict.race_pick == Some(ball);
            let button = egui::Button::selectable(
                picked,
                RichText::new(label.as_str()).color(colour.egui()),
            );
            if ui.add_enabled(can_pick, button).clicked() {
                commands.write(PredictCommand::Pick(ball));
            }
        }
    });
}

/// The answer to the race's question in words, and its colour; `name` names a ball by its number.
pub fn race_sentence(
    pal: &Palette,
    words: &PredictText,
    result: RaceResult,
    name: impl Fn(usize) -> String,
) -> (String, palette::Rgb) {
    match result {
        RaceResult::Right { ball, step } => (
            fill(
                &words.race_right,
                &[("ball", name(ball)), ("step", step.to_string())],
            ),
            pal.good,
        ),
        RaceResult::Wrong {
            picked,
            first,
            step,
        } => (
            fill(
                &words.race_wrong,
                &[
                    ("first", name(first)),
                    ("picked", name(picked)),
                    ("step", step.to_string()),
                ],
            ),
            pal.warning,
        ),
        RaceResult::NoneSettled { .. } => (words.race_none.clone(), pal.text),
    }
}

/// The last step in words: where it went, how the guess did (or that there was none), which way it went and
/// why it landed there. `method` names the main ball's rule.
pub fn outcome_lines(words: &PredictText, outcome: &Outcome, method: &str) -> Vec<String> {
    let mut lines = vec![fill(
        &words.landed,
        &[
            ("step", outcome.step.to_string()),
            ("start", format_number(outcome.start)),
            ("landing", format_number(outcome.landing)),
        ],
    )];
    lines.push(match (outcome.guess, outcome.judged) {
        (Some(guess), Some(judged)) => fill(
            if judged.good { &words.good } else { &words.bad },
            &[
                ("guess", format_number(guess)),
                ("miss", format_number(judged.miss)),
                ("tolerance", format_number(judged.tolerance)),
            ],
        ),
        _ => words.unguessed.clone(),
    });
    if outcome.reason != Reason::LeftTheLine {
        lines.push(way_sentence(words, outcome));
    }
    lines.push(reason_sentence(words, outcome, method));
    lines
}

/// Which way the step went, and whether that was downhill.
pub fn way_sentence(words: &PredictText, outcome: &Outcome) -> String {
    let side = |side: Side| match side {
        Side::Left => words.left.clone(),
        Side::Right => words.right.clone(),
    };
    let other = |s: Side| match s {
        Side::Left => side(Side::Right),
        Side::Right => side(Side::Left),
    };
    let slope = format_number(outcome.slope);
    let distance = format_number((outcome.landing - outcome.start).abs());
    match outcome.way {
        Way::Downhill(s) => fill(
            &words.downhill,
            &[("slope", slope), ("side", side(s)), ("distance", distance)],
        ),
        Way::Uphill(s) => fill(
            &words.uphill,
            &[
                ("slope", slope),
                ("side", side(s)),
                ("other", other(s)),
                ("distance", distance),
            ],
        ),
        Way::Coasting(s) => fill(
            &words.coasting,
            &[("side", side(s)), ("distance", distance)],
        ),
        Way::Stayed => words.stayed.clone(),
    }
}

/// Why the step landed where it did; `method` names the main ball's rule.
pub fn reason_sentence(words: &PredictText, outcome: &Outcome, method: &str) -> String {
    let template = match outcome.reason {
        Reason::LeftTheLine => &words.left_the_line,
        Reason::Overshoot => &words.overshoot,
        Reason::Carried => &words.carried,
        Reason::Scaled => &words.scaled,
        Reason::Flat => &words.flat,
        Reason::Steep => &words.steep,
        Reason::Gentle => &words.gentle,
        Reason::SmallRate => &words.small_rate,
        Reason::LargeRate => &words.large_rate,
        Reason::Product => &words.product,
    };
    fill(
        template,
        &[
            ("one_step", format_number(1.0 / outcome.bend)),
            ("method", method.to_owned()),
            ("lr", format_number(outcome.lr)),
            ("slope", format_number(outcome.slope)),
            ("product", format_number(outcome.lr * outcome.slope)),
        ],
    )
}
