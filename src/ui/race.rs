//! The race: the balls on the curve with their update rules and learning rates, the optimizers' settings,
//! the loss of every ball against its step, and the scenarios that set up a race in one click.

use bevy::prelude::*;
use bevy_egui::egui::{self, RichText};
use egui_plot::{Corner, Line, LineStyle, PlotPoints};

use super::{Controls, section};
use crate::math::descent::RunStatus;
use crate::math::optimizer::Method;
use crate::sim::{MAX_BALLS, RunCommand, suggested_ball};
use crate::text::{LessonText, fill};
use crate::theme::numbers::format_number;
use crate::view::slope::race::ball_label;

/// One ball as the race's words need it: its rule, learning rate, where its run stands and its step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BallState {
    pub method: Method,
    pub learning_rate: f64,
    pub status: RunStatus,
    pub step: u64,
    /// Its last step landed exactly as high as it started, on the other side: it will bounce for ever.
    pub bouncing: bool,
}

/// Every ball of the race, the main one first.
pub fn ball_states(controls: &Controls) -> Vec<BallState> {
    let main = &controls.run.0;
    std::iter::once((main, controls.learning_rate.0))
        .chain(controls.rivals.0.iter().map(|r| (&r.run, r.learning_rate)))
        .map(|(run, learning_rate)| BallState {
            method: run.optimizer.method,
            learning_rate,
            status: run.status,
            step: run.step,
            bouncing: super::words::is_bouncing(&controls.loss_curve.0, run),
        })
        .collect()
}

/// Every ball's name, the main one first.
pub fn ball_labels(lesson: &LessonText, balls: &[BallState]) -> Vec<String> {
    balls
        .iter()
        .map(|ball| ball_label(lesson, ball.method, ball.learning_rate))
        .collect()
}

/// How one ball stands, in words: waiting until it has moved, then rolling or paused, or how it ended.
fn ball_status(lesson: &LessonText, ball: &BallState, playing: bool) -> String {
    let words = &lesson.race;
    let at = |template: &str, step: u64| fill(template, &[("step", step.to_string())]);
    match ball.status {
        RunStatus::Running if ball.step == 0 => words.waiting.clone(),
        RunStatus::Running if ball.bouncing => at(&words.bouncing, ball.step),
        RunStatus::Running if playing => at(&words.rolling, ball.step),
        RunStatus::Running => at(&words.paused, ball.step),
        RunStatus::Converged { step } => at(&words.converged, step),
        RunStatus::Diverged { step } => at(&words.diverged, step),
        RunStatus::RunningAway { since } => at(&words.running_away, since),
        RunStatus::Undefined { step } => at(&words.undefined, step),
    }
}

/// How each ball stands in the race, in words, and who settled first (the earliest step, the lower ball
/// number on a tie); a ball that starts where it is already settled has not won anything.
pub fn race_summary(
    lesson: &LessonText,
    balls: &[BallState],
    playing: bool,
) -> (Vec<String>, Option<String>) {
    let labels = ball_labels(lesson, balls);
    let lines = balls
        .iter()
        .zip(&labels)
        .map(|(ball, label)| format!("{label}: {}", ball_status(lesson, ball, playing)))
        .collect();
    let first = balls
        .iter()
        .zip(&labels)
        .filter_map(|(ball, label)| match ball.status {
            RunStatus::Converged { step } if step > 0 => Some((step, label)),
            _ => None,
        })
        .min_by_key(|(step, _)| *step)
        .map(|(step, label)| {
            fill(
                &lesson.race.first,
                &[("ball", label.clone()), ("step", step.to_string())],
            )
        });
    (lines, first)
}

fn swatch(ui: &mut egui::Ui, index: usize) {
    let pal = crate::theme::palette_of(ui.ctx());
    let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
    ui.painter()
        .circle_filled(rect.center(), 6.5, pal.ball_colour(index).egui());
}

fn method_picker(
    ui: &mut egui::Ui,
    lesson: &LessonText,
    id: usize,
    current: Method,
) -> Option<Method> {
    let mut picked = None;
    egui::ComboBox::from_id_salt(("method", id))
        .selected_text(lesson.optimizer_name(current))
        .width(100.0)
        .show_ui(ui, |ui| {
            for method in Method::ALL {
                if ui
                    .selectable_label(method == current, lesson.optimizer_name(method))
                    .clicked()
                    && method != current
                {
                    picked = Some(method);
                }
            }
        });
    picked
}

pub fn balls_section(
    ui: &mut egui::Ui,
    controls: &mut Controls,
    commands: &mut MessageWriter<RunCommand>,
) {
    let pal = crate::theme::palette_of(ui.ctx());
    let lesson = controls.lesson.clone();
    let words = &lesson.race;
    if !section(ui, &words.balls) {
        return;
    }
    ui.horizontal(|ui| {
        swatch(ui, 0);
        if let Some(method) = method_picker(ui, &lesson, 0, controls.run.0.optimizer.method) {
            commands.write(RunCommand::SetMethod { ball: 0, method });
        }
        ui.label(fill(
            &words.main_lr,
            &[("lr", format_number(controls.learning_rate.0))],
        ));
    });
    let mut remove = None;
    for (i, rival) in controls.rivals.0.iter_mut().enumerate() {
        let ball = i + 1;
        ui.horizontal(|ui| {
            swatch(ui, ball);
            if let Some(method) = method_picker(ui, &lesson, ball, rival.run.optimizer.method) {
                commands.write(RunCommand::SetMethod { ball, method });
            }
            ui.label("lr");
            ui.add(
                egui::DragValue::new(&mut rival.learning_rate)
                    .range(1e-4..=2.0)
                    .speed(0.002)
                    .custom_formatter(|v, _| format_number(v)),
            );
            if ui.button(words.remove.as_str()).clicked() {
                remove = Some(ball);
            }
        });
    }
    if let Some(ball) = remove {
        commands.write(RunCommand::RemoveBall(ball));
    }
    let count = 1 + controls.rivals.0.len();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                count < MAX_BALLS,
                egui::Button::new(words.add_ball.as_str()),
            )
            .clicked()
        {
            let racing: Vec<(Method, f64)> = ball_states(controls)
                .iter()
                .map(|b| (b.method, b.learning_rate))
                .collect();
            let (method, learning_rate) = suggested_ball(&controls.loss_curve.0, &racing);
            commands.write(RunCommand::AddBall {
                method,
                learning_rate,
            });
        }
        let of = fill(
            &words.count,
            &[("count", count.to_string()), ("max", MAX_BALLS.to_string())],
        );
        ui.label(RichText::new(of).weak());
    });
    if count > 1 {
        let balls = ball_states(controls);
        let (lines, first) = race_summary(&controls.lesson, &balls, controls.playback.playing);
        for (i, line) in lines.iter().enumerate() {
            ui.label(RichText::new(line).small().color(pal.balls[i].egui()));
        }
        if let Some(first) = first {
            ui.label(RichText::new(first).strong());
        }
    }
    // Its id stays the English one, so it stays open or closed when the language changes.
    egui::CollapsingHeader::new(words.settings.as_str())
        .id_salt("Optimizer settings")
        .show(ui, |ui| {
            let settings = &mut controls.settings.0;
            egui::Grid::new("optimizer-settings")
                .num_columns(2)
                .show(ui, |ui| {
                    for (name, value) in [
                        (&words.momentum_mu, &mut settings.momentum),
                        (&words.rmsprop_alpha, &mut settings.alpha),
                        (&words.adam_beta1, &mut settings.beta1),
                        (&words.adam_beta2, &mut settings.beta2),
                    ] {
                        ui.label(name.as_str());
                        ui.add(egui::DragValue::new(value).range(0.0..=0.9999).speed(0.001));
                        ui.end_row();
                    }
                    ui.label(words.eps.as_str());
                    ui.add(
                        egui::DragValue::new(&mut settings.eps)
                            .range(1e-12..=1.0)
                            .speed(1e-9)
                            .custom_formatter(|v, _| format!("{v:e}")),
                    );
                    ui.end_row();
                });
        });
}

/// The loss plot's section in the panel: the plot, or, while it is shown large, the button that brings it
/// back.
pub fn loss_plot(ui: &mut egui::Ui, controls: &mut Controls) {
    let lesson = controls.lesson.clone();
    if !section(ui, &lesson.race.loss_title) {
        return;
    }
    if super::large_plot_button(
        ui,
        &mut controls.state,
        super::LargePlot::Loss,
        &lesson.labels,
    ) {
        loss_plot_body(ui, controls, LOSS_PLOT_HEIGHT);
    }
}

/// The loss plot's height in the panel, in points.
const LOSS_PLOT_HEIGHT: f32 = 170.0;

/// The loss plot `height` points tall, with its log-scale switch and its key.
pub fn loss_plot_body(ui: &mut egui::Ui, controls: &mut Controls, height: f32) {
    let pal = crate::theme::palette_of(ui.ctx());
    let lesson = controls.lesson.clone();
    let words = &lesson.race;
    ui.checkbox(&mut controls.state.log_loss, words.log_scale.as_str());
    let curve = controls.loss_curve.0.clone();
    let floor = curve.minima().first().map(|m| m.y);
    let log = controls.state.log_loss;
    let to_y = |loss: f64| {
        if log {
            let above = loss - floor.unwrap_or(0.0);
            above.abs().max(1e-16).log10()
        } else {
            loss
        }
    };
    let main = &controls.run.0;
    let runs = std::iter::once(main).chain(controls.rivals.0.iter().map(|r| &r.run));
    let touch = controls.sizing.touch;
    let names = ball_labels(&controls.lesson, &ball_states(controls));
    // The lines have no names, so egui_plot draws no legend over them (six entries covered the plot): the
    // key is written under the plot instead, on every screen.
    let shown = super::still_plot("loss-plot", height, Corner::RightTop, touch)
        .x_axis_label(lesson.labels.step_count.as_str())
        .y_axis_label(if log {
            words.log_loss_axis.as_str()
        } else {
            words.loss_axis.as_str()
        })
        .show(ui, |plot| {
            for (i, run) in runs.enumerate() {
                // A few hundred points per line draw as smoothly as thousands and cost far less.
                let every = (run.history.len() / 400).max(1);
                let points: PlotPoints = run
                    .losses(&curve)
                    .enumerate()
                    .filter(|(i, (_, l))| i % every == 0 && l.is_finite())
                    .map(|(_, (s, l))| [s as f64, to_y(l)])
                    .collect();
                plot.line(
                    Line::new("", points)
                        .id(egui::Id::new(("loss-line", i)))
                        .color(pal.balls[i].egui())
                        .style(loss_line_style(i))
                        .width(pal.line(2.0)),
                );
            }
        });
    let r = shown.response.rect;
    controls.state.loss_plot = Some([r.min.x, r.min.y, r.max.x, r.max.y]);
    let entries: Vec<(&str, egui::Color32, Mark)> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mark = if i == 0 { Mark::Line } else { Mark::Dashed };
            (name.as_str(), pal.balls[i].egui(), mark)
        })
        .collect();
    plot_key(ui, &entries);
}

/// The main ball's loss is a solid line, every other ball's a dashed one with its own dash length: where two
/// balls' losses run together (every race starts at one loss) both colours still show.
fn loss_line_style(ball: usize) -> LineStyle {
    if ball == 0 {
        LineStyle::Solid
    } else {
        LineStyle::Dashed {
            length: 4.0 + 4.0 * ball as f32,
        }
    }
}

/// How an entry of a plot's key is drawn, as the plot draws it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Line,
    Dashed,
    Dot,
}

/// A plot's key, written under the plot where it covers nothing: each entry a painted mark and its name in
/// the same colour, one piece that the key's rows wrap around, never between mark and name.
pub fn plot_key(ui: &mut egui::Ui, entries: &[(&str, egui::Color32, Mark)]) {
    const MARK_WIDTH: f32 = 20.0;
    const MARK_GAP: f32 = 5.0;
    let font = egui::TextStyle::Body.resolve(ui.style());
    ui.horizontal_wrapped(|ui| {
        for &(name, colour, mark) in entries {
            let galley = ui
                .painter()
                .layout_no_wrap(name.to_owned(), font.clone(), colour);
            let size = egui::vec2(
                MARK_WIDTH + MARK_GAP + galley.size().x,
                galley.size().y.max(ui.spacing().interact_size.y * 0.6),
            );
            let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
            let mark_rect =
                egui::Rect::from_min_size(rect.min, egui::vec2(MARK_WIDTH, rect.height()));
            let (a, b) = (mark_rect.left_center(), mark_rect.right_center());
            let stroke = egui::Stroke::new(2.5, colour);
            let painter = ui.painter();
            match mark {
                Mark::Line => {
                    painter.line_segment([a, b], stroke);
                }
                Mark::Dashed => {
                    painter.add(egui::Shape::dashed_line(&[a, b], stroke, 5.0, 3.0));
                }
                Mark::Dot => {
                    painter.circle_filled(mark_rect.center(), 5.0, colour);
                }
            }
            let text_at = egui::pos2(
                mark_rect.right() + MARK_GAP,
                rect.center().y - galley.size().y / 2.0,
            );
            painter.galley(text_at, galley, colour);
        }
    });
}

pub fn scenario_buttons(
    ui: &mut egui::Ui,
    controls: &mut Controls,
    commands: &mut MessageWriter<RunCommand>,
) {
    let pal = crate::theme::palette_of(ui.ctx());
    let lesson = controls.lesson.clone();
    if !section(ui, &lesson.race.scenarios) {
        return;
    }
    let scenarios = controls.scenarios.0.clone();
    ui.horizontal_wrapped(|ui| {
        for scenario in &scenarios {
            if ui.button(lesson.scenario_title(&scenario.title)).clicked() {
                controls.state.picked_scenario = Some(scenario.title.clone());
                commands.write(RunCommand::Scenario(scenario.clone()));
            }
        }
    });
    let picked = controls
        .state
        .picked_scenario
        .as_ref()
        .and_then(|title| scenarios.iter().find(|s| &s.title == title));
    if let Some(scenario) = picked {
        let story = lesson.scenario_story(&scenario.title, &scenario.story);
        ui.label(RichText::new(story).color(pal.minimum.egui()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::BUILT_IN_LESSON;

    fn lesson() -> LessonText {
        LessonText::parse(BUILT_IN_LESSON, "lesson.toml").unwrap()
    }

    fn ball(method: Method, learning_rate: f64, status: RunStatus, step: u64) -> BallState {
        BallState {
            method,
            learning_rate,
            status,
            step,
            bouncing: false,
        }
    }

    #[test]
    fn a_ball_that_lands_as_high_as_it_started_is_said_to_bounce_not_roll() {
        let bowl = crate::math::Curve::by_name("bowl").unwrap();
        let mut run = crate::math::Descent::new(bowl, 1.5);
        run.advance(bowl, 1.0);
        assert!(super::super::words::is_bouncing(bowl, &run));
        let bouncing = BallState {
            bouncing: true,
            ..ball(Method::Gd, 1.0, RunStatus::Running, 1)
        };
        let said = ball_status(&lesson(), &bouncing, true);
        assert!(said.contains("jumping across the valley"), "{said}");
        let mut settling = crate::math::Descent::new(bowl, 1.5);
        settling.advance(bowl, 0.75);
        assert!(!super::super::words::is_bouncing(bowl, &settling));
    }

    #[test]
    fn a_ball_that_has_not_moved_yet_is_waiting_not_rolling() {
        let balls = [
            ball(Method::Gd, 0.1, RunStatus::Running, 0),
            ball(Method::Momentum, 0.05, RunStatus::Running, 0),
        ];
        for playing in [false, true] {
            let (lines, first) = race_summary(&lesson(), &balls, playing);
            for line in &lines {
                assert!(line.contains("waiting"), "{line}");
                assert!(!line.contains("rolling"), "{line}");
            }
            assert_eq!(first, None);
        }
        // Paused part way, a ball says it is paused and where; playing, it rolls.
        let moved = [ball(Method::Gd, 0.1, RunStatus::Running, 4)];
        let (paused, _) = race_summary(&lesson(), &moved, false);
        assert!(paused[0].contains("paused at step 4"), "{}", paused[0]);
        let (playing, _) = race_summary(&lesson(), &moved, true);
        assert!(playing[0].contains("rolling"), "{}", playing[0]);
    }

    #[test]
    fn the_first_to_settle_is_named_by_rule_and_learning_rate() {
        let balls = [
            ball(Method::Gd, 1.05, RunStatus::RunningAway { since: 3 }, 3),
            ball(Method::Gd, 0.1, RunStatus::Converged { step: 90 }, 90),
            ball(Method::Gd, 0.5, RunStatus::Converged { step: 1 }, 12),
        ];
        let (lines, first) = race_summary(&lesson(), &balls, true);
        assert!(
            lines[0].contains("running away (seen by step 3)"),
            "{}",
            lines[0]
        );
        assert!(lines[1].contains("step 90"), "{}", lines[1]);
        let first = first.unwrap();
        assert!(
            first.contains("gd lr 0.5") && first.contains("step 1"),
            "{first}"
        );
    }

    #[test]
    fn every_ball_in_the_loss_key_is_named_by_its_rule_and_learning_rate() {
        let balls = [
            ball(Method::Gd, 1.05, RunStatus::Running, 0),
            ball(Method::Gd, 0.1, RunStatus::Running, 0),
            ball(Method::Adam, 0.05, RunStatus::Running, 0),
        ];
        let labels = ball_labels(&lesson(), &balls);
        assert_eq!(labels, ["gd lr 1.05", "gd lr 0.1", "adam lr 0.05"]);
    }
}
