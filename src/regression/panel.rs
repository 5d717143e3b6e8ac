//! Scene 2's side of the panel: the numbers with the chain rule written out, and the controls.

use bevy::prelude::*;
use bevy_egui::egui::{self, RichText};

use super::{Regression, RegressionCommand};
use crate::math::optimizer::Method;
use crate::math::regression::{FitStatus, largest_curvature, least_squares, loss_at};
use crate::text::{LessonText, fill};
use crate::view::palette;

fn row(ui: &mut egui::Ui, name: &str, value: String, colour: egui::Color32) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(name).color(palette::LABEL.egui()));
        ui.label(RichText::new(value).monospace().color(colour));
    });
}

/// Four decimals, as the lesson writes them (-8.0000).
pub fn four(v: f64) -> String {
    format!("{v:.4}")
}

pub fn regression_panel(
    ui: &mut egui::Ui,
    lesson: &LessonText,
    regression: &Regression,
    commands: &mut MessageWriter<RegressionCommand>,
) {
    let words = &lesson.regression;
    let fit = &regression.fit;
    let points = &regression.points;
    let at = loss_at(points, fit.w, fit.b);

    ui.label(RichText::new("At the ball").strong().size(17.0));
    row(ui, "w =", four(fit.w), palette::TEXT.egui());
    row(ui, "b =", four(fit.b), palette::TEXT.egui());
    row(ui, "L =", four(at.loss), palette::TEXT.egui());
    row(ui, "dL/dw =", four(at.dw), palette::TANGENT.egui());
    row(ui, "dL/db =", four(at.db), palette::TANGENT.egui());
    row(ui, "step", fit.step.to_string(), palette::TEXT.egui());

    ui.separator();
    ui.label(RichText::new(&words.chain).weak());
    if let Some(p) = points.first() {
        let r = p.y - (fit.w * p.x + fit.b);
        let lines = [
            format!(
                "r = {} - ({}·{} + {}) = {}",
                four(p.y),
                four(fit.w),
                four(p.x),
                four(fit.b),
                four(r)
            ),
            format!("dL/dr = 2r = {}", four(2.0 * r)),
            format!(
                "dL/dw = 2r·(-x) = {}·{} = {}",
                four(2.0 * r),
                four(-p.x),
                four(-2.0 * p.x * r)
            ),
            format!("dL/db = 2r·(-1) = {}", four(-2.0 * r)),
        ];
        for line in lines {
            ui.label(RichText::new(line).monospace());
        }
        if points.len() > 1 {
            ui.label(
                RichText::new(fill(&words.averaged, &[("n", points.len().to_string())])).weak(),
            );
        }
    }

    ui.separator();
    ui.horizontal_wrapped(|ui| {
        let play = if regression.playing {
            "⏸ Pause"
        } else {
            "▶ Play"
        };
        if ui.button(play).clicked() {
            commands.write(RegressionCommand::TogglePlay);
        }
        if ui.button("Step ▶").clicked() {
            commands.write(RegressionCommand::Step);
        }
        if ui.button("Reset").clicked() {
            commands.write(RegressionCommand::Reset);
        }
        if ui.button("Fit").clicked() {
            commands.write(RegressionCommand::Fit);
        }
        if ui.button("Frame").clicked() {
            commands.write(RegressionCommand::FitView);
        }
    });
    ui.horizontal(|ui| {
        ui.label("lr");
        let mut lr = regression.learning_rate;
        let changed = ui
            .add(
                egui::Slider::new(&mut lr, 1e-4..=1.0)
                    .logarithmic(true)
                    .custom_formatter(|v, _| format!("{v:.4}")),
            )
            .changed();
        if changed {
            commands.write(RegressionCommand::SetLearningRate(lr));
        }
    });
    ui.horizontal(|ui| {
        ui.label("optimizer");
        egui::ComboBox::from_id_salt("regression-optimizer")
            .selected_text(regression.method.name())
            .show_ui(ui, |ui| {
                for method in Method::ALL {
                    if ui
                        .selectable_label(regression.method == method, method.name())
                        .clicked()
                    {
                        commands.write(RegressionCommand::SetMethod(method));
                    }
                }
            });
    });

    let curvature = largest_curvature(points);
    let critical = 2.0 / curvature;
    let status = match fit.status {
        FitStatus::Converged { step } => Some((
            fill(&words.converged, &[("step", step.to_string())]),
            palette::GOOD.egui(),
        )),
        FitStatus::Diverged { step } => Some((
            fill(
                &words.diverged,
                &[
                    ("step", step.to_string()),
                    ("curvature", four(curvature)),
                    ("critical", four(critical)),
                ],
            ),
            palette::WARNING.egui(),
        )),
        FitStatus::Running => None,
    };
    if let Some((text, colour)) = status {
        ui.label(RichText::new(text).color(colour));
    }
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

    ui.separator();
    ui.label(RichText::new(format!("Data: {} point(s), at most 20", points.len())).strong());
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(points.len() > 1, egui::Button::new("Remove last point"))
            .clicked()
        {
            commands.write(RegressionCommand::RemovePoint(points.len() - 1));
        }
        if ui.button("Back to (2, 3)").clicked() {
            commands.write(RegressionCommand::LessonPoint);
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
}
