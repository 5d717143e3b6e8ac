//! Scene 2's side of the panel: the numbers with the chain rule written out, and the controls.

use bevy::prelude::*;
use bevy_egui::egui::{self, RichText};

use super::marks::{SliderMark, marked_log_slider};
use super::race::{Mark, plot_key};
use crate::math::optimizer::Method;
use crate::math::regression::{
    FitStatus, MAX_POINTS, Point, largest_curvature, least_squares, loss_at,
};
use crate::sim::gradient::{GradientCommand, GradientRun};
use crate::text::{LessonText, fill};
use crate::theme::numbers::{format_number, four, four_operand};
use egui_plot::{Corner, Line, LineStyle, PlotPoints};

/// The learning-rate slider's range.
const LEARNING_RATE_SLIDER: (f64, f64) = (1e-4, 1.0);

fn row(ui: &mut egui::Ui, name: &str, value: String, colour: egui::Color32) {
    let pal = crate::theme::palette_of(ui.ctx());
    ui.horizontal(|ui| {
        ui.label(RichText::new(name).color(pal.label.egui()));
        ui.label(RichText::new(value).monospace().color(colour));
    });
}

/// The numbers at the ball, name and value, as the panel lists them.
pub fn readouts(lesson: &LessonText, gradient: &GradientRun) -> Vec<(String, String)> {
    let fit = &gradient.fit;
    let at = loss_at(&gradient.points, fit.w, fit.b);
    vec![
        ("w =".to_owned(), four(fit.w)),
        ("b =".to_owned(), four(fit.b)),
        ("L =".to_owned(), four(at.loss)),
        ("dL/dw =".to_owned(), four(at.dw)),
        ("dL/db =".to_owned(), four(at.db)),
        (lesson.labels.step_count.clone(), fit.step.to_string()),
    ]
}

/// The last step's gradient from its batch and from every point, both at the (w, b) that step started from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LastStepGradients {
    /// How many points the batch had.
    pub batch: usize,
    /// (dL/dw, dL/db) over the batch, which the step followed.
    pub of_batch: (f64, f64),
    /// (dL/dw, dL/db) over all the points.
    pub of_all: (f64, f64),
}

/// [`LastStepGradients`] while the run uses a minibatch and has taken a step with one; `None` otherwise.
pub fn last_step_gradients(gradient: &GradientRun) -> Option<LastStepGradients> {
    let batch = gradient.batch_size()?;
    let fit = &gradient.fit;
    let of_batch = fit.last_batch?;
    let &(w, b) = fit.path.back()?;
    let all = loss_at(&gradient.points, w, b);
    Some(LastStepGradients {
        batch,
        of_batch,
        of_all: (all.dw, all.db),
    })
}

/// The chain rule written out with the first point's numbers (empty without points).
pub fn chain_lines(gradient: &GradientRun) -> Vec<String> {
    let fit = &gradient.fit;
    let Some(p) = gradient.points.first() else {
        return Vec::new();
    };
    let r = p.y - (fit.w * p.x + fit.b);
    vec![
        format!(
            "r = {} - ({}·{} + {}) = {}",
            four(p.y),
            four_operand(fit.w),
            four_operand(p.x),
            four_operand(fit.b),
            four(r)
        ),
        format!("dL/dr = 2r = {}", four(2.0 * r)),
        format!(
            "dL/dw = 2r·(-x) = {}·{} = {}",
            four_operand(2.0 * r),
            four_operand(-p.x),
            four(-2.0 * p.x * r)
        ),
        format!(
            "dL/db = 2r·(-1) = {}·(-1) = {}",
            four_operand(2.0 * r),
            four(-2.0 * r)
        ),
    ]
}

/// What the run's state says, and whether it is a warning; nothing while it simply runs.
pub fn status_line(lesson: &LessonText, gradient: &GradientRun) -> Option<(String, bool)> {
    let words = &lesson.gradient;
    let curvature = largest_curvature(&gradient.points);
    let critical = 2.0 / curvature;
    match gradient.fit.status {
        FitStatus::Converged { step } => {
            Some((fill(&words.converged, &[("step", step.to_string())]), false))
        }
        FitStatus::Diverged { step } => Some((
            fill(
                &words.diverged,
                &[
                    ("step", step.to_string()),
                    ("curvature", four(curvature)),
                    ("critical", four(critical)),
                ],
            ),
            true,
        )),
        FitStatus::RunningAway { since } => Some((
            fill(
                &words.running_away,
                &[
                    ("step", since.to_string()),
                    // The rate that ran away, even after the slider has moved on.
                    (
                        "lr",
                        four(gradient.fit.last_lr.unwrap_or(gradient.learning_rate)),
                    ),
                    ("curvature", four(curvature)),
                    ("critical", four(critical)),
                ],
            ),
            true,
        )),
        FitStatus::Running => None,
    }
}

/// The row of run controls: each button with the command it sends when clicked.
pub fn run_controls(
    ui: &mut egui::Ui,
    lesson: &LessonText,
    playing: bool,
) -> Vec<(GradientCommand, egui::Response)> {
    let words = &lesson.labels;
    let (play_word, pause_word) = (words.play.as_str(), words.pause.as_str());
    let mut buttons = Vec::new();
    ui.horizontal_wrapped(|ui| {
        // Close enough together that all five fit in one row of the panel.
        ui.spacing_mut().item_spacing.x = 4.0;
        // One width for Play and Pause, so the buttons after it never move when it changes.
        let font = egui::TextStyle::Button.resolve(ui.style());
        let widest = [play_word, pause_word]
            .map(|text| {
                ui.painter()
                    .layout_no_wrap(text.to_owned(), font.clone(), egui::Color32::PLACEHOLDER)
                    .size()
                    .x
            })
            .into_iter()
            .fold(0.0, f32::max);
        let width = widest + 2.0 * ui.spacing().button_padding.x;
        let play = egui::Button::new(if playing { pause_word } else { play_word })
            .min_size(egui::vec2(width, 0.0));
        buttons.push((GradientCommand::TogglePlay, ui.add(play)));
        for (label, command) in [
            (&words.step, GradientCommand::Step),
            (&words.reset, GradientCommand::Reset),
            (&lesson.gradient.fit, GradientCommand::Fit),
            (&lesson.gradient.frame, GradientCommand::FitView),
        ] {
            buttons.push((command, ui.button(label.as_str())));
        }
    });
    buttons
}

pub fn gradient_panel(
    ui: &mut egui::Ui,
    lesson: &LessonText,
    gradient: &GradientRun,
    commands: &mut MessageWriter<GradientCommand>,
) {
    let pal = crate::theme::palette_of(ui.ctx());
    let words = &lesson.gradient;
    let points = &gradient.points;

    ui.label(
        RichText::new(&lesson.labels.at_the_ball)
            .strong()
            .size(17.0),
    );
    for (k, (name, value)) in readouts(lesson, gradient).into_iter().enumerate() {
        let colour = if (3..5).contains(&k) {
            pal.tangent.egui()
        } else {
            pal.text.egui()
        };
        row(ui, &name, value, colour);
    }
    if let Some(last) = last_step_gradients(gradient) {
        last_step_readout(ui, lesson, &last, points.len());
    }

    ui.separator();
    ui.label(RichText::new(&words.chain).weak());
    for line in chain_lines(gradient) {
        ui.label(RichText::new(line).monospace());
    }
    if points.len() > 1 {
        ui.label(RichText::new(fill(&words.averaged, &[("n", points.len().to_string())])).weak());
    }

    ui.separator();
    for (command, response) in run_controls(ui, lesson, gradient.playing) {
        if response.clicked() {
            commands.write(command);
        }
    }
    ui.horizontal(|ui| {
        ui.label("lr");
        let mut lr = gradient.learning_rate;
        // Plain descent's limit, 2 / lambda_max, marked on the rail, and the rates beyond it shaded.
        let limit = 2.0 / largest_curvature(points);
        let marks: Vec<SliderMark> = (limit.is_finite() && limit > 0.0)
            .then(|| SliderMark {
                value: limit,
                label: fill(
                    &lesson.stability.scene2_limit,
                    &[("value", format_number(limit))],
                ),
                colour: pal.warning.egui(),
            })
            .into_iter()
            .collect();
        let shade_from = marks.first().map(|mark| mark.value);
        let changed = ui
            .vertical(|ui| marked_log_slider(ui, &mut lr, LEARNING_RATE_SLIDER, &marks, shade_from))
            .inner
            .changed();
        if changed && lr.is_finite() && lr > 0.0 {
            commands.write(GradientCommand::SetLearningRate(lr));
        }
    });
    ui.horizontal(|ui| {
        ui.label(words.optimizer.as_str());
        egui::ComboBox::from_id_salt("gradient-optimizer")
            .selected_text(lesson.optimizer_name(gradient.method))
            .show_ui(ui, |ui| {
                for method in Method::ALL {
                    if ui
                        .selectable_label(gradient.method == method, lesson.optimizer_name(method))
                        .clicked()
                    {
                        commands.write(GradientCommand::SetMethod(method));
                    }
                }
            });
    });

    if let Some((text, warning)) = status_line(lesson, gradient) {
        let colour = if warning {
            pal.warning.egui()
        } else {
            pal.good.egui()
        };
        ui.label(RichText::new(text).color(colour));
    }
    let curvature = largest_curvature(points);
    let critical = 2.0 / curvature;
    ui.label(
        RichText::new(fill(
            &words.critical,
            &[("curvature", four(curvature)), ("critical", four(critical))],
        ))
        .weak(),
    );
    match least_squares(points) {
        Some((w, b)) => {
            ui.label(RichText::new(fill(&words.best, &[("w", four(w)), ("b", four(b))])).weak())
        }
        None => ui.label(RichText::new(&words.not_unique).weak()),
    };

    loss_plot(ui, lesson, gradient);
    minibatch_controls(ui, lesson, gradient, commands);
    data_controls(ui, lesson, points, commands);
}

/// The loss by step: over every point (the line plain descent walks down) and, while batching, over each
/// step's batch, which jumps about from step to step.
fn loss_plot(ui: &mut egui::Ui, lesson: &LessonText, gradient: &GradientRun) {
    let pal = crate::theme::palette_of(ui.ctx());
    let words = &lesson.minibatch;
    let fit = &gradient.fit;
    // Shown from the start, empty, so the panel does not jump when the first step is taken.
    ui.label(RichText::new(&words.loss_plot).strong());
    // The key is written under the plot (no legend over the lines). Each list ends at the step just taken; a few hundred points draw as smoothly as thousands.
    let line = |losses: &std::collections::VecDeque<f64>| -> PlotPoints<'static> {
        let first = fit.step as usize - losses.len();
        let every = (losses.len() / 400).max(1);
        losses
            .iter()
            .enumerate()
            .filter(|(i, l)| i % every == 0 && l.is_finite())
            .map(|(i, &l)| [(first + i) as f64, l])
            .collect()
    };
    super::still_plot("gradient-loss-plot", 130.0, Corner::RightTop, true)
        .x_axis_label(lesson.labels.step_count.as_str())
        .y_axis_label("L")
        .show(ui, |plot| {
            if !fit.batch_losses.is_empty() {
                plot.line(
                    Line::new("", line(&fit.batch_losses))
                        .id(egui::Id::new("batch-loss-line"))
                        .color(pal.chord.egui())
                        .style(LineStyle::dashed_dense())
                        .width(1.5),
                );
            }
            plot.line(
                Line::new("", line(&fit.losses))
                    .id(egui::Id::new("all-loss-line"))
                    .color(pal.curve.egui())
                    .width(2.0),
            );
        });
    let mut key = vec![(words.loss_all.as_str(), pal.curve.egui(), Mark::Line)];
    if !fit.batch_losses.is_empty() {
        key.push((words.loss_batch.as_str(), pal.chord.egui(), Mark::Dashed));
    }
    plot_key(ui, &key);
}

/// The last step's gradient from its batch beside the one from all `n` points.
fn last_step_readout(ui: &mut egui::Ui, lesson: &LessonText, last: &LastStepGradients, n: usize) {
    let pal = crate::theme::palette_of(ui.ctx());
    let words = &lesson.minibatch;
    ui.label(RichText::new(&words.last_step).color(pal.label.egui()));
    egui::Grid::new("gradient-last-step")
        .num_columns(3)
        .show(ui, |ui| {
            ui.label("");
            ui.label(
                RichText::new(fill(&words.batch_column, &[("k", last.batch.to_string())]))
                    .color(pal.label.egui()),
            );
            ui.label(
                RichText::new(fill(&words.all_column, &[("n", n.to_string())]))
                    .color(pal.label.egui()),
            );
            ui.end_row();
            for (name, batch, all) in [
                (&words.dw, last.of_batch.0, last.of_all.0),
                (&words.db, last.of_batch.1, last.of_all.1),
            ] {
                ui.label(RichText::new(name).color(pal.label.egui()));
                ui.label(
                    RichText::new(four(batch))
                        .monospace()
                        .color(pal.text.egui()),
                );
                ui.label(
                    RichText::new(four(all))
                        .monospace()
                        .color(pal.tangent.egui()),
                );
                ui.end_row();
            }
        });
}

/// The batch size, the seed its batches come from, and the noisy points for the noise to act on.
fn minibatch_controls(
    ui: &mut egui::Ui,
    lesson: &LessonText,
    gradient: &GradientRun,
    commands: &mut MessageWriter<GradientCommand>,
) {
    let pal = crate::theme::palette_of(ui.ctx());
    let words = &lesson.minibatch;
    let n = gradient.points.len();
    ui.separator();
    ui.label(RichText::new(&words.title).strong());
    ui.label(RichText::new(&words.explain).weak());
    if n > 1 {
        let mut k = gradient.batch_size().unwrap_or(n);
        ui.horizontal(|ui| {
            ui.label(words.batch.as_str());
            if ui.add(egui::Slider::new(&mut k, 1..=n)).changed() {
                commands.write(GradientCommand::SetBatch((k < n).then_some(k)));
            }
        });
        let said = if k < n {
            fill(
                &words.some_points,
                &[("k", k.to_string()), ("n", n.to_string())],
            )
        } else {
            fill(&words.all_points, &[("n", n.to_string())])
        };
        ui.label(RichText::new(said).color(pal.text.egui()));
    } else {
        ui.label(RichText::new(&words.one_point).weak());
    }
    ui.horizontal(|ui| {
        ui.label(words.seed.as_str());
        let mut seed = gradient.seed;
        if ui.add(egui::DragValue::new(&mut seed).speed(0.2)).changed() {
            commands.write(GradientCommand::SetSeed(seed));
        }
        if ui.button(words.new_seed.as_str()).clicked() {
            commands.write(GradientCommand::SetSeed(gradient.seed.wrapping_add(1)));
        }
    });
    ui.label(RichText::new(&words.seed_note).weak());
    if ui.button(words.noisy.as_str()).clicked() {
        commands.write(GradientCommand::NoisyLine);
    }
    ui.label(RichText::new(&words.noisy_note).weak());
}

/// How many points there are, removing the last or going back to the lesson's one point, and how to add some.
fn data_controls(
    ui: &mut egui::Ui,
    lesson: &LessonText,
    points: &[Point],
    commands: &mut MessageWriter<GradientCommand>,
) {
    let words = &lesson.gradient;
    ui.separator();
    let count = fill(
        &words.data_count,
        &[
            ("n", points.len().to_string()),
            ("max", MAX_POINTS.to_string()),
        ],
    );
    ui.label(RichText::new(count).strong());
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(
                points.len() > 1,
                egui::Button::new(words.remove_point.as_str()),
            )
            .clicked()
        {
            commands.write(GradientCommand::RemovePoint(points.len() - 1));
        }
        if ui.button(words.lesson_point.as_str()).clicked() {
            commands.write(GradientCommand::LessonPoint);
        }
    });
    ui.label(RichText::new(&words.intro).weak());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::regression::lesson_data;

    #[test]
    fn the_readouts_show_the_lessons_numbers_to_four_decimals() {
        let at = loss_at(&lesson_data(), 0.5, 0.0);
        assert_eq!(four(at.loss), "4.0000");
        assert_eq!(four(at.dw), "-8.0000");
        assert_eq!(four(at.db), "-4.0000");
    }

    /// Where the "Frame" button lands in a panel `width` wide, paused or playing, in `lesson`'s words.
    fn frame_button(lesson: &LessonText, width: f32, playing: bool) -> egui::Rect {
        let ctx = egui::Context::default();
        let mut rect = egui::Rect::NOTHING;
        for _ in 0..2 {
            let input = egui::RawInput {
                screen_rect: Some(egui::Rect::from_min_size(
                    egui::Pos2::ZERO,
                    egui::vec2(width, 600.0),
                )),
                ..Default::default()
            };
            ctx.run_ui(input, |ui| {
                rect = run_controls(ui, lesson, playing)
                    .last()
                    .map(|(_, response)| response.rect)
                    .unwrap_or(egui::Rect::NOTHING);
            })
            .drop_without_applying_deltas();
        }
        rect
    }

    #[test]
    fn the_five_run_buttons_fit_in_one_row_of_the_panel() {
        // The panel's content is 360 - 28 points wide (src/ui/mod.rs). In English; longer words wrap.
        let english = LessonText::built_in().unwrap();
        for playing in [false, true] {
            let frame = frame_button(&english, 332.0, playing);
            assert_eq!(
                frame.min.y, 0.0,
                "playing {playing}: Frame wrapped to {frame:?}"
            );
        }
    }

    #[test]
    fn frame_stays_in_its_row_when_play_becomes_pause() {
        let languages = crate::text::Languages::built_in().unwrap();
        for code in languages.codes() {
            let lesson = languages.get(code).unwrap();
            for width in (260..=480).step_by(4) {
                let width = width as f32;
                let paused = frame_button(lesson, width, false);
                let playing = frame_button(lesson, width, true);
                assert_eq!(
                    paused, playing,
                    "{code}, panel {width} wide: Frame moves from {paused:?} to {playing:?}"
                );
            }
        }
    }
}
