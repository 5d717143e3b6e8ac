//! The race: the balls on the curve with their update rules and learning rates, the optimizers' settings,
//! the loss of every ball against its step, and the scenarios that set up a race in one click.

use bevy::prelude::*;
use bevy_egui::egui::{self, RichText};
use egui_plot::{Corner, Line, PlotPoints};

use super::numbers::format_number;
use super::{Controls, section};
use crate::math::descent::RunStatus;
use crate::math::optimizer::Method;
use crate::sim::{MAX_BALLS, RunCommand};
use crate::view::palette;

/// How each ball stands in the race, in words, and who converged first.
pub fn race_summary(controls: &Controls) -> (Vec<String>, Option<(usize, u64)>) {
    let mut first: Option<(usize, u64)> = None;
    let lines = balls(controls)
        .enumerate()
        .map(|(i, (method, lr, status))| {
            if let RunStatus::Converged { step } = status
                && first.is_none_or(|(_, s)| step < s)
            {
                first = Some((i, step));
            }
            let state = match status {
                RunStatus::Running => "rolling".to_owned(),
                RunStatus::Converged { step } => format!("converged at step {step}"),
                RunStatus::Diverged { step } => format!("diverged at step {step}"),
                RunStatus::Undefined { step } => format!("undefined at step {step}"),
            };
            format!("{} lr {}: {state}", method.name(), format_number(lr))
        })
        .collect();
    (lines, first)
}

/// (method, learning rate, status) of every ball, the main one first.
fn balls<'a>(controls: &'a Controls) -> impl Iterator<Item = (Method, f64, RunStatus)> + 'a {
    let main = &controls.run.0;
    std::iter::once((main.optimizer.method, controls.learning_rate.0, main.status)).chain(
        controls
            .rivals
            .0
            .iter()
            .map(|r| (r.run.optimizer.method, r.learning_rate, r.run.status)),
    )
}

fn swatch(ui: &mut egui::Ui, index: usize) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
    ui.painter().circle_filled(
        rect.center(),
        6.5,
        palette::BALLS[index % palette::BALLS.len()].egui(),
    );
}

fn method_picker(ui: &mut egui::Ui, id: usize, current: Method) -> Option<Method> {
    let mut picked = None;
    egui::ComboBox::from_id_salt(("method", id))
        .selected_text(current.name())
        .width(100.0)
        .show_ui(ui, |ui| {
            for method in Method::ALL {
                if ui
                    .selectable_label(method == current, method.name())
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
    section(ui, "Balls");
    ui.horizontal(|ui| {
        swatch(ui, 0);
        if let Some(method) = method_picker(ui, 0, controls.run.0.optimizer.method) {
            commands.write(RunCommand::SetMethod { ball: 0, method });
        }
        ui.label(format!(
            "lr {} (above)",
            format_number(controls.learning_rate.0)
        ));
    });
    let mut remove = None;
    for (i, rival) in controls.rivals.0.iter_mut().enumerate() {
        let ball = i + 1;
        ui.horizontal(|ui| {
            swatch(ui, ball);
            if let Some(method) = method_picker(ui, ball, rival.run.optimizer.method) {
                commands.write(RunCommand::SetMethod { ball, method });
            }
            ui.label("lr");
            ui.add(
                egui::DragValue::new(&mut rival.learning_rate)
                    .range(1e-4..=2.0)
                    .speed(0.002)
                    .custom_formatter(|v, _| format_number(v)),
            );
            if ui.button("remove").clicked() {
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
            .add_enabled(count < MAX_BALLS, egui::Button::new("+ Add a ball"))
            .clicked()
        {
            // Each new ball tries the next rule along, so a race compares them.
            let method = Method::ALL[count % Method::ALL.len()];
            commands.write(RunCommand::AddBall {
                method,
                learning_rate: controls.learning_rate.0,
            });
        }
        ui.label(RichText::new(format!("{count} of {MAX_BALLS}")).weak());
    });
    if count > 1 {
        let (lines, first) = race_summary(controls);
        for (i, line) in lines.iter().enumerate() {
            ui.label(RichText::new(line).small().color(palette::BALLS[i].egui()));
        }
        if let Some((ball, step)) = first {
            ui.label(
                RichText::new(format!("First to settle: ball {} at step {step}", ball + 1))
                    .strong(),
            );
        }
    }
    egui::CollapsingHeader::new("Optimizer settings").show(ui, |ui| {
        let settings = &mut controls.settings.0;
        egui::Grid::new("optimizer-settings")
            .num_columns(2)
            .show(ui, |ui| {
                for (name, value) in [
                    ("momentum mu", &mut settings.momentum),
                    ("rmsprop alpha", &mut settings.alpha),
                    ("adam beta1", &mut settings.beta1),
                    ("adam beta2", &mut settings.beta2),
                ] {
                    ui.label(name);
                    ui.add(egui::DragValue::new(value).range(0.0..=0.9999).speed(0.001));
                    ui.end_row();
                }
                ui.label("eps");
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

pub fn loss_plot(ui: &mut egui::Ui, controls: &mut Controls) {
    section(ui, "Loss by step");
    ui.checkbox(
        &mut controls.state.log_loss,
        "log scale (distance above the lowest point)",
    );
    let curve = controls.landscape.0.clone();
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
    let names: Vec<String> = std::iter::once(main)
        .chain(controls.rivals.0.iter().map(|r| &r.run))
        .enumerate()
        .map(|(i, run)| format!("{} {}", i + 1, run.optimizer.method.name()))
        .collect();
    let shown = super::still_plot("loss-plot", 150.0, Corner::RightTop, touch)
        .x_axis_label("step")
        .y_axis_label(if log { "log10(loss - lowest)" } else { "loss" })
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
                    Line::new(names[i].clone(), points)
                        .color(palette::BALLS[i].egui())
                        .width(2.0),
                );
            }
        });
    let r = shown.response.rect;
    controls.state.loss_plot = Some([r.min.x, r.min.y, r.max.x, r.max.y]);
    if touch {
        let entries: Vec<(&str, egui::Color32)> = names
            .iter()
            .enumerate()
            .map(|(i, name)| (name.as_str(), palette::BALLS[i].egui()))
            .collect();
        super::plot_key(ui, &entries);
    }
}

pub fn scenario_buttons(
    ui: &mut egui::Ui,
    controls: &mut Controls,
    commands: &mut MessageWriter<RunCommand>,
) {
    section(ui, "Scenarios");
    let scenarios = controls.scenarios.0.clone();
    ui.horizontal_wrapped(|ui| {
        for scenario in &scenarios {
            if ui.button(&scenario.title).clicked() {
                controls.state.story = Some(scenario.story.clone());
                commands.write(RunCommand::Scenario(scenario.clone()));
            }
        }
    });
    if let Some(story) = &controls.state.story {
        ui.label(RichText::new(story).color(palette::MINIMUM.egui()));
    }
}
