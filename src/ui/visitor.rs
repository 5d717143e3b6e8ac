//! The exhibit's visitor panel: what a visitor gets after the waking touch. Big Play / Pause, One step and
//! Start again; the step size as a big slider in three zones named in plain words; pictures of the curves
//! to pick from; the guessing game; a "How does it work?" card per scene; the language buttons. Nothing in
//! it needs a keyboard. A short guided start ("Drag the ball ...", then "Now touch Play") steps aside as
//! soon as the visitor does each thing.

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_egui::egui::{self, Color32, Pos2, Rect, RichText, Stroke, pos2, vec2};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::language::{LanguageChoices, SetLanguage, language_buttons};
use super::marks::rail_position;
use super::root_ui;
use crate::launch::RestoreLaunch;
use crate::math::Curve;
use crate::math::curve::evenly_spaced;
use crate::math::regression::largest_curvature;
use crate::math::stability::{Zone, Zones, bend_at_nearest_bottom};
use crate::scene::{Scene, Shown};
use crate::sim::gradient::{GradientCommand, GradientRun};
use crate::sim::predict::{Predict, PredictCommand};
use crate::sim::{LearningRate, LossCurve, Playback, Run, RunCommand};
use crate::text::{CurrentLanguage, Languages, LessonText, VisitorText, fill};
use crate::theme::numbers::format_number;
use crate::theme::{PANEL_WIDTH, Palette};
use crate::view::{PanelWidth, PlotArea};
use crate::{AppSystems, EguiPass};

/// The big buttons' height in points (72 pixels on a 1080-line screen).
const BIG_BUTTON: f32 = 48.0;
/// A curve's picture in the picker, in points.
const THUMBNAIL: egui::Vec2 = vec2(94.0, 42.0);

pub fn plugin(app: &mut App) {
    app.init_resource::<VisitorPanel>()
        .add_systems(
            Update,
            follow_the_guide
                .after(AppSystems::RecordInput)
                .before(AppSystems::Simulate),
        )
        .add_systems(
            EguiPrimaryContextPass,
            (show_visitor_panel, show_guide, show_card)
                .chain()
                .in_set(EguiPass::Panel),
        )
        .add_observer(restore_launch);
}

/// The guided start: what the visitor is shown how to do next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Guide {
    /// "Drag the ball anywhere on the curve."
    #[default]
    Drag,
    /// "Now touch Play."
    Play,
    /// The visitor has done both (or done something else first): no more hints.
    Done,
}

/// The visitor panel's own state: the guide, whether the card is open, and where the Play button was
/// drawn last frame (the guide points at it).
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct VisitorPanel {
    pub guide: Guide,
    pub card_open: bool,
    pub play_button: Option<Rect>,
    /// The zone the visitor last moved the step size into (said in the log).
    pub zone: Option<Zone>,
}

/// Each new visitor starts with the guide from the beginning and the card closed.
fn restore_launch(_: On<RestoreLaunch>, mut panel: ResMut<VisitorPanel>) {
    *panel = VisitorPanel::default();
}

/// The guide steps aside as the visitor acts: a drag (or a touch on the curve) moves it on to Play; Play, a
/// step, another curve or the other scene end it.
fn follow_the_guide(
    mut runs: MessageReader<RunCommand>,
    mut fits: MessageReader<GradientCommand>,
    shown: Res<Shown>,
    mut panel: ResMut<VisitorPanel>,
) {
    let before = panel.guide;
    for command in runs.read() {
        if !shown.visitor {
            continue;
        }
        panel.guide = match (panel.guide, command) {
            (Guide::Drag, RunCommand::StartAt(_)) => Guide::Play,
            (_, RunCommand::TogglePlay | RunCommand::Step | RunCommand::ChooseCurve(_)) => {
                Guide::Done
            }
            (guide, _) => guide,
        };
    }
    if fits.read().next().is_some() && shown.visitor {
        panel.guide = Guide::Done;
    }
    if panel.guide != before {
        info!("visitor: the guided start is now at {:?}", panel.guide);
    }
}

/// The learning rate's zones where the ball is now: from the bend at the bottom nearest it (scene 1), or
/// from the landscape's steepest bend lambda_max (scene 2).
pub fn zones_for_curve(curve: &Curve, x: f64) -> Zones {
    let bottoms: Vec<f64> = curve.minima().iter().map(|m| m.x).collect();
    Zones::for_bend(bend_at_nearest_bottom(&bottoms, x, |b| curve.bend(b)).unwrap_or(0.0))
}

/// What the visitor panel reads and changes.
#[derive(SystemParam)]
pub struct VisitorControls<'w> {
    lesson: Res<'w, LessonText>,
    shown: Res<'w, Shown>,
    scene: Res<'w, State<Scene>>,
    next_scene: ResMut<'w, NextState<Scene>>,
    curve: Res<'w, LossCurve>,
    run: Res<'w, Run>,
    playback: Res<'w, Playback>,
    learning_rate: ResMut<'w, LearningRate>,
    runs: MessageWriter<'w, RunCommand>,
    gradient: Res<'w, GradientRun>,
    fits: MessageWriter<'w, GradientCommand>,
    predict: Res<'w, Predict>,
    guesses: MessageWriter<'w, PredictCommand>,
    languages: Option<Res<'w, Languages>>,
    choices: Res<'w, LanguageChoices>,
    current: Res<'w, CurrentLanguage>,
    set_language: MessageWriter<'w, SetLanguage>,
    panel: ResMut<'w, VisitorPanel>,
}

fn show_visitor_panel(
    mut contexts: EguiContexts,
    mut controls: VisitorControls,
    mut panel_width: ResMut<PanelWidth>,
) -> Result {
    if !controls.shown.visitor {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let mut root = root_ui(ctx);
    let response = egui::Panel::right("visitor")
        .exact_size(PANEL_WIDTH)
        .resizable(false)
        .show_separator_line(false)
        .show(&mut root, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    // Inside the scroll bar, which touch sizes keep on screen.
                    ui.set_max_width(ui.available_width() - 6.0);
                    visitor_panel(ui, &mut controls);
                });
        });
    panel_width.set_if_neq(PanelWidth(response.response.rect.width()));
    Ok(())
}

fn visitor_panel(ui: &mut egui::Ui, c: &mut VisitorControls) {
    let words = c.lesson.visitor.clone();
    let slope_scene = *c.scene.get() == Scene::Slope;
    ui.add_space(4.0);
    // The two scenes, as two big tabs.
    ui.columns(2, |columns| {
        for (column, (scene, name)) in columns.iter_mut().zip([
            (Scene::Slope, &words.scene_slope),
            (Scene::Gradient, &words.scene_gradient),
        ]) {
            let on = *c.scene.get() == scene;
            if big_button(column, name, on, None).clicked() && !on {
                c.next_scene.set(scene);
                c.panel.guide = Guide::Done;
                c.panel.card_open = false;
            }
        }
    });
    if let Some(languages) = c.languages.as_deref()
        && c.choices.0.len() > 1
        && let Some(code) = language_buttons(ui, languages, &c.choices.0, &c.current.0, 40.0)
    {
        c.set_language.write(SetLanguage(code));
    }
    ui.add_space(4.0);
    run_buttons(ui, c, &words, slope_scene);
    ui.add_space(4.0);
    step_size(ui, c, &words, slope_scene);
    ui.add_space(4.0);
    if big_button(ui, &words.how, c.panel.card_open, None).clicked() {
        c.panel.card_open = !c.panel.card_open;
    }
    if slope_scene {
        ui.add_space(4.0);
        curve_picker(ui, c, &words);
        ui.add_space(4.0);
        guessing_game(ui, c, &words);
    }
}

/// A wide button with large words; `fill` colours it (Play's green), `on` draws it selected.
fn big_button(ui: &mut egui::Ui, words: &str, on: bool, fill: Option<Color32>) -> egui::Response {
    let pal = crate::theme::palette_of(ui.ctx());
    let text = RichText::new(words).size(20.0).strong();
    let (text, background) = match (on, fill) {
        (true, _) => (text.color(pal.background.egui()), Some(pal.text.egui())),
        (false, Some(fill)) => (text.color(pal.background.egui()), Some(fill)),
        (false, None) => (text.color(pal.text.egui()), None),
    };
    let mut button = egui::Button::new(text).min_size(vec2(ui.available_width(), BIG_BUTTON));
    if let Some(background) = background {
        button = button.fill(background);
    }
    ui.add(button)
}

fn run_buttons(ui: &mut egui::Ui, c: &mut VisitorControls, words: &VisitorText, slope: bool) {
    let pal = crate::theme::palette_of(ui.ctx());
    let playing = if slope {
        c.playback.playing
    } else {
        c.gradient.playing
    };
    let label = if playing { &words.pause } else { &words.play };
    let play = big_button(ui, label, false, Some(pal.good.egui()));
    c.panel.play_button = Some(play.rect);
    if play.clicked() {
        if slope {
            c.runs.write(RunCommand::TogglePlay);
        } else {
            c.fits.write(GradientCommand::TogglePlay);
        }
    }
    ui.columns(2, |columns| {
        if big_button(&mut columns[0], &words.step, false, None).clicked() {
            if slope {
                c.runs.write(RunCommand::Step);
            } else {
                c.fits.write(GradientCommand::Step);
            }
        }
        if big_button(&mut columns[1], &words.reset, false, None).clicked() {
            if slope {
                c.runs.write(RunCommand::Reset);
            } else {
                c.fits.write(GradientCommand::Reset);
            }
        }
    });
}

/// The zones' colours: a calm blue for tiny steps, green for just right, red for too big.
fn zone_colour(pal: &Palette, zone: Zone) -> Color32 {
    match zone {
        Zone::Tiny => pal.curve.egui(),
        Zone::JustRight => pal.good.egui(),
        Zone::TooBig => pal.warning.egui(),
    }
}

/// The step size: a big logarithmic slider over three coloured bands named in plain words, live.
fn step_size(ui: &mut egui::Ui, c: &mut VisitorControls, words: &VisitorText, slope: bool) {
    let pal = crate::theme::palette_of(ui.ctx());
    ui.label(RichText::new(&words.rate_title).size(20.0).strong());
    let (zones, mut lr) = if slope {
        (zones_for_curve(&c.curve.0, c.run.0.x), c.learning_rate.0)
    } else {
        (
            Zones::for_bend(largest_curvature(&c.gradient.points)),
            c.gradient.learning_rate,
        )
    };
    let range = zones.slider_range();
    // The slider shows the rate within its ends; the words say the rate in use, which may lie beyond them
    // (a steeper curve picked, the ball near another valley) until the slider is moved.
    let in_use = lr;
    let width = ui.available_width();
    let changed = ui
        .scope(|ui| {
            ui.spacing_mut().slider_width = width;
            ui.spacing_mut().interact_size.y = BIG_BUTTON;
            let response = ui.add(
                egui::Slider::new(&mut lr, range.0..=range.1)
                    .logarithmic(true)
                    .show_value(false)
                    .clamping(egui::SliderClamping::Always),
            );
            paint_zones(ui, response.rect, zones, range, words);
            response.changed()
        })
        .inner;
    let changed = changed && lr.is_finite() && lr > 0.0;
    if !changed {
        lr = in_use;
    }
    if changed {
        let zone = zones.zone(lr);
        if c.panel.zone != Some(zone) {
            c.panel.zone = Some(zone);
            info!(
                "visitor: step size {} is in the zone {zone:?}",
                format_number(lr)
            );
        }
        if slope {
            c.learning_rate.0 = lr;
        } else {
            c.fits.write(GradientCommand::SetLearningRate(lr));
        }
    }
    let zone = zones.zone(lr);
    let (name, note) = match zone {
        Zone::Tiny => (&words.tiny, &words.tiny_note),
        Zone::JustRight => (&words.right, &words.right_note),
        Zone::TooBig => (&words.too_big, &words.too_big_note),
    };
    ui.label(
        RichText::new(format!("{name}: {}", format_number(lr)))
            .size(20.0)
            .strong()
            .color(zone_colour(pal, zone)),
    );
    ui.label(RichText::new(note).size(17.0));
}

/// The three bands on the slider's rail and their names in a row under it.
fn paint_zones(
    ui: &mut egui::Ui,
    rect: Rect,
    zones: Zones,
    range: (f64, f64),
    words: &VisitorText,
) {
    let pal = crate::theme::palette_of(ui.ctx());
    let radius = rect.height() / 2.5;
    let rail = rect.x_range().shrink(radius);
    let at = |value: f64| rail_position(value, range, rail);
    let bands = [
        (Zone::Tiny, rect.left(), at(zones.tiny_below), &words.tiny),
        (
            Zone::JustRight,
            at(zones.tiny_below),
            at(zones.too_big_above),
            &words.right,
        ),
        (
            Zone::TooBig,
            at(zones.too_big_above),
            rect.right(),
            &words.too_big,
        ),
    ];
    let (top, bottom) = (rect.center().y + 9.0, rect.center().y + 15.0);
    let painter = ui.painter().clone();
    let font = egui::FontId::proportional(16.0);
    for (zone, left, right, _) in bands {
        painter.rect_filled(
            Rect::from_min_max(pos2(left, top), pos2(right, bottom)),
            2.0,
            zone_colour(pal, zone),
        );
    }
    // The names under their bands: the outer two at the rail's ends, the middle one centred on its band,
    // or on a row of its own when that would run into either of them (longer words, a narrow band).
    let galleys: Vec<_> = bands
        .iter()
        .map(|(zone, _, _, name)| {
            painter.layout_no_wrap((*name).clone(), font.clone(), zone_colour(pal, *zone))
        })
        .collect();
    let line = galleys.iter().map(|g| g.size().y).fold(0.0, f32::max);
    let (first, _) = ui.allocate_exact_size(vec2(rect.width(), line + 2.0), egui::Sense::hover());
    let tiny_right = first.left() + galleys[0].size().x;
    let big_left = first.right() - galleys[2].size().x;
    let middle_width = galleys[1].size().x;
    let middle_left = (0.5 * (bands[1].1 + bands[1].2) - 0.5 * middle_width)
        .max(first.left())
        .min(first.right() - middle_width);
    let fits = middle_left >= tiny_right + 8.0 && middle_left + middle_width <= big_left - 8.0;
    let middle_top = if fits {
        first.top()
    } else {
        let (second, _) =
            ui.allocate_exact_size(vec2(rect.width(), line + 2.0), egui::Sense::hover());
        second.top()
    };
    let colours: Vec<Color32> = bands.iter().map(|b| zone_colour(pal, b.0)).collect();
    let mut galleys = galleys.into_iter();
    let (tiny, middle, big) = (
        galleys.next().expect("three bands"),
        galleys.next().expect("three bands"),
        galleys.next().expect("three bands"),
    );
    painter.galley(pos2(first.left(), first.top()), tiny, colours[0]);
    painter.galley(pos2(big_left, first.top()), big, colours[2]);
    painter.galley(pos2(middle_left, middle_top), middle, colours[1]);
}

/// The built-in curves as small pictures, three to a row; the one in use is framed.
fn curve_picker(ui: &mut egui::Ui, c: &mut VisitorControls, words: &VisitorText) {
    ui.label(RichText::new(&words.pick_curve).size(20.0).strong());
    let curves = Curve::builtins();
    let current = c.curve.0.name.clone();
    egui::Grid::new("visitor-curves")
        .spacing(vec2(8.0, 8.0))
        .show(ui, |ui| {
            for (i, curve) in curves.iter().enumerate() {
                let on = curve.name == current;
                if curve_thumbnail(ui, curve, on, THUMBNAIL).clicked() && !on {
                    c.runs.write(RunCommand::ChooseCurve(curve.clone()));
                }
                if i % 3 == 2 {
                    ui.end_row();
                }
            }
        });
}

/// One curve's picture: a button `size` big with the curve drawn over its own view; the chosen one is
/// ringed. The visitor panel's pictures and the desktop panel's curve picker.
pub fn curve_thumbnail(
    ui: &mut egui::Ui,
    curve: &Curve,
    on: bool,
    size: egui::Vec2,
) -> egui::Response {
    let pal = crate::theme::palette_of(ui.ctx());
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click());
    let painter = ui.painter();
    let fill = if on || response.hovered() {
        pal.button_hovered.egui()
    } else {
        pal.button.egui()
    };
    painter.rect_filled(rect, 8.0, fill);
    let inner = rect.shrink((size.y / 6.0).clamp(4.0, 7.0));
    let (lo, hi) = curve.x_range;
    let (bottom, top) = curve.y_range;
    let points: Vec<Pos2> = evenly_spaced((lo, hi), 48)
        .filter_map(|x| {
            let y = curve.value(x);
            y.is_finite().then(|| {
                let t = ((y - bottom) / (top - bottom)).clamp(0.0, 1.0) as f32;
                pos2(
                    inner.left() + inner.width() * ((x - lo) / (hi - lo)) as f32,
                    inner.bottom() - inner.height() * t,
                )
            })
        })
        .collect();
    painter.add(egui::Shape::line(
        points,
        Stroke::new(3.0, pal.curve.egui()),
    ));
    if on {
        painter.rect_stroke(
            rect,
            8.0,
            Stroke::new(3.0, pal.text.egui()),
            egui::StrokeKind::Inside,
        );
    }
    response
}

/// The guessing game (predict mode): its switch, what to do, and how the last guess went.
fn guessing_game(ui: &mut egui::Ui, c: &mut VisitorControls, words: &VisitorText) {
    let pal = crate::theme::palette_of(ui.ctx());
    let on = c.predict.on;
    if big_button(ui, &words.predict, on, None).clicked() {
        c.guesses.write(PredictCommand::Toggle);
    }
    if !on {
        return;
    }
    ui.label(RichText::new(&words.predict_note).size(17.0));
    let judged = c
        .predict
        .last
        .as_ref()
        .and_then(|last| last.judged.map(|j| (j, last.landing)));
    if let Some((judged, _)) = judged {
        let (praise, colour) = if judged.good {
            (&words.great, pal.good.egui())
        } else {
            (&words.try_again, pal.warning.egui())
        };
        ui.label(RichText::new(praise).size(20.0).strong().color(colour));
        ui.label(
            RichText::new(fill(
                &words.landed,
                &[("distance", format_number(judged.miss))],
            ))
            .size(17.0),
        );
    }
    ui.label(
        RichText::new(fill(
            &words.streak,
            &[("streak", c.predict.streak.current.to_string())],
        ))
        .size(17.0),
    );
}

/// What the guide needs from the scene.
#[derive(SystemParam)]
pub struct GuideScene<'w> {
    lesson: Res<'w, LessonText>,
    shown: Res<'w, Shown>,
    scene: Res<'w, State<Scene>>,
    plot: Res<'w, PlotArea>,
    curve: Res<'w, LossCurve>,
    run: Res<'w, Run>,
    panel: Res<'w, VisitorPanel>,
}

/// The guided start's hint: a bubble on the plot with an arrow to the ball (drag it) or to Play.
fn show_guide(
    theme: Res<crate::theme::Theme>,
    mut contexts: EguiContexts,
    scene: GuideScene,
) -> Result {
    let pal = theme.0;
    if !scene.shown.visitor
        || scene.panel.guide == Guide::Done
        || scene.panel.card_open
        || *scene.scene.get() != Scene::Slope
    {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let words = &scene.lesson.visitor;
    let x = scene.run.0.x;
    let ball = scene.plot.to_screen(x, scene.curve.0.value(x));
    let (text, target) = match scene.panel.guide {
        Guide::Drag => (&words.guide_drag, pos2(ball.x, ball.y)),
        _ => match scene.panel.play_button {
            Some(play) => (&words.guide_play, play.left_center()),
            None => return Ok(()),
        },
    };
    // The bubble sits in the plot's upper middle, clear of the ball, the caption and the panel.
    let plot = Rect::from_min_max(
        pos2(scene.plot.min.x, scene.plot.min.y),
        pos2(scene.plot.max.x, scene.plot.max.y),
    );
    let above = target.y > plot.center().y;
    let anchor = if above {
        pos2(plot.center().x, plot.top() + 0.18 * plot.height())
    } else {
        pos2(plot.center().x, plot.bottom() - 0.22 * plot.height())
    };
    let bubble = egui::Area::new("visitor-guide".into())
        .fixed_pos(anchor)
        .pivot(egui::Align2::CENTER_CENTER)
        .interactable(false)
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(pal.minimum.egui())
                .corner_radius(14.0)
                .inner_margin(egui::Margin::symmetric(20, 12))
                .show(ui, |ui| {
                    ui.label(
                        RichText::new(text)
                            .size(24.0)
                            .strong()
                            .color(pal.background.egui()),
                    );
                });
        })
        .response
        .rect;
    let from = if above {
        bubble.center_bottom()
    } else {
        bubble.center_top()
    };
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        "visitor-guide-arrow".into(),
    ));
    // A shaft and a solid head that stops short of the target.
    let along = (target - from).normalized();
    let tip = target - along * 24.0;
    let colour = pal.minimum.egui();
    painter.line_segment([from, tip - along * 14.0], Stroke::new(5.0, colour));
    let side = along.rot90() * 11.0;
    painter.add(egui::Shape::convex_polygon(
        vec![tip, tip - along * 20.0 + side, tip - along * 20.0 - side],
        colour,
        Stroke::NONE,
    ));
    if scene.panel.guide == Guide::Drag {
        painter.circle_stroke(ball_pos(ball), 20.0, Stroke::new(4.0, pal.minimum.egui()));
    }
    Ok(())
}

fn ball_pos(p: Vec2) -> Pos2 {
    pos2(p.x, p.y)
}

/// What the card shows, and the commands to close it.
#[derive(SystemParam)]
pub struct CardScene<'w> {
    lesson: Res<'w, LessonText>,
    shown: Res<'w, Shown>,
    scene: Res<'w, State<Scene>>,
    plot: Res<'w, PlotArea>,
    panel: ResMut<'w, VisitorPanel>,
}

/// "How does it work?": a card over the plot with the scene's explanation and a Close button.
fn show_card(
    theme: Res<crate::theme::Theme>,
    mut contexts: EguiContexts,
    mut card: CardScene,
) -> Result {
    let pal = theme.0;
    if !card.shown.visitor || !card.panel.card_open {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let words = &card.lesson.visitor;
    let text = match card.scene.get() {
        Scene::Slope => &words.how_slope,
        Scene::Gradient => &words.how_gradient,
    };
    let plot = Rect::from_min_max(
        pos2(card.plot.min.x, card.plot.min.y),
        pos2(card.plot.max.x, card.plot.max.y),
    );
    let width = (plot.width() * 0.7).clamp(260.0, 640.0);
    let mut close = false;
    egui::Area::new("visitor-card".into())
        .fixed_pos(plot.center())
        .pivot(egui::Align2::CENTER_CENTER)
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(pal.background.egui())
                .stroke(Stroke::new(2.0, pal.text.egui()))
                .corner_radius(14.0)
                .inner_margin(egui::Margin::same(22))
                .show(ui, |ui| {
                    ui.set_width(width);
                    ui.label(RichText::new(&words.how).size(24.0).strong());
                    ui.add_space(6.0);
                    ui.label(RichText::new(text).size(20.0));
                    // The step size's own name, which the panel's zones leave out.
                    ui.add_space(6.0);
                    ui.label(
                        RichText::new(&words.rate_word)
                            .size(20.0)
                            .color(pal.label.egui()),
                    );
                    ui.add_space(10.0);
                    close = big_button(ui, &words.close, false, None).clicked();
                });
        });
    if close {
        card.panel.card_open = false;
    }
    Ok(())
}
