//! The chord lab: h and its shrinking, the three chord schemes, the error plot, the slope table, the notation.

use bevy::prelude::*;
use bevy_egui::egui::{self, Color32, RichText};
use egui_plot::{Corner, Line, LineStyle, PlotPoints, Points, VLine};

use super::numbers::{format_h, format_number, format_significant};
use super::{Controls, chord_step_slider, section};
use crate::math::Scheme;
use crate::math::difference::{DECADES, chord_collapsed, error_sweep, log_log_slope};
use crate::sim::{RunCommand, ShrinkCommand, ShrinkMode};
use crate::text::fill;
use crate::view::palette;

/// Samples of the error plot between h = 1 and h = 1e-16.
const SWEEP_SAMPLES: usize = 161;
/// Errors of exactly zero are drawn at this floor so the log scale can show them.
const ERROR_FLOOR: f64 = 1e-17;
/// The central scheme's colour in the plot and table.
pub const CENTRAL: Color32 = Color32::from_rgb(190, 140, 255);

pub fn chord_lab_tab(
    ui: &mut egui::Ui,
    controls: &mut Controls,
    commands: &mut MessageWriter<RunCommand>,
) {
    let lesson = controls.lesson.clone();
    let curve = controls.landscape.0.clone();
    let curve = &*curve;
    let x = controls.run.0.x;
    let h = controls.chord.0;
    let exact = curve.slope(x);
    let scheme = controls.scheme.0;
    ui.label(RichText::new(&lesson.lab.intro).weak());

    section(ui, "h");
    chord_step_slider(ui, h, commands);
    shrink_controls(ui, controls, commands);

    section(ui, "Chord");
    ui.horizontal_wrapped(|ui| {
        for choice in Scheme::ALL {
            ui.selectable_value(&mut controls.scheme.0, choice, choice.name());
        }
        ui.checkbox(&mut controls.lens.0, "zoom lens");
    });
    let chord_slope = scheme.slope(|t| curve.value(t), x, h);
    ui.label(
        RichText::new(format!(
            "slope {} vs f'(x) = {}: off by {}",
            format_number(chord_slope),
            format_number(exact),
            format_significant((chord_slope - exact).abs(), 3)
        ))
        .monospace()
        .color(palette::CHORD.egui()),
    );
    if scheme == Scheme::Central && curve.central_chord_is_exact() {
        ui.label(RichText::new(&lesson.lab.parabola).color(palette::MINIMUM.egui()));
    }
    if chord_collapsed(scheme, x, h) {
        let text = fill(
            &lesson.lab.collapsed,
            &[("slope", format_number(chord_slope))],
        );
        ui.label(RichText::new(text).color(palette::WARNING.egui()));
    }

    section(ui, "Error against h");
    error_plot(ui, controls, &lesson);

    section(ui, "Slope table");
    ui.label(RichText::new(&lesson.lab.table).weak());
    slope_table(ui, controls);

    section(ui, "Notation");
    ui.label(RichText::new(&lesson.notation.intro).weak());
    let values = [("x", format_number(x)), ("slope", format_number(exact))];
    for row in &lesson.notation.rows {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(fill(&row.filled, &values))
                    .monospace()
                    .color(palette::TANGENT.egui()),
            );
        });
        ui.label(RichText::new(&row.reading).small());
    }
}

fn shrink_controls(
    ui: &mut egui::Ui,
    controls: &mut Controls,
    commands: &mut MessageWriter<RunCommand>,
) {
    let shrink = *controls.shrink;
    ui.horizontal_wrapped(|ui| {
        let play = if shrink.playing {
            "⏸ Pause shrink"
        } else {
            "▶ Shrink h"
        };
        if ui.button(play).clicked() {
            commands.write(RunCommand::Shrink(ShrinkCommand::TogglePause));
        }
        if ui
            .add_enabled(shrink.active, egui::Button::new("Stop"))
            .clicked()
        {
            commands.write(RunCommand::Shrink(ShrinkCommand::Toggle));
        }
        for (mode, name) in [
            (ShrinkMode::Smooth, "glide"),
            (ShrinkMode::Decades, "by tens"),
        ] {
            if ui.selectable_label(shrink.mode == mode, name).clicked() && shrink.mode != mode {
                commands.write(RunCommand::Shrink(ShrinkCommand::Mode(mode)));
            }
        }
    });
    // While the animation is off, the scrub bar still shows where h is.
    let mut decades = if shrink.active {
        shrink.decades_down()
    } else {
        -controls.chord.0.log10()
    };
    ui.horizontal(|ui| {
        ui.label("scrub");
        let slider = ui.add(
            egui::Slider::new(&mut decades, 0.0..=shrink.last_decade())
                .custom_formatter(|p, _| format!("h = {}", format_h(10f64.powf(-p)))),
        );
        if slider.changed() {
            commands.write(RunCommand::Shrink(ShrinkCommand::Scrub(decades)));
        }
    });
}

fn log_point(h: f64, error: f64) -> [f64; 2] {
    [h.log10(), error.max(ERROR_FLOOR).log10()]
}

fn power_of_ten(value: f64) -> String {
    let rounded = value.round();
    if (value - rounded).abs() < 1e-6 {
        format!("1e{}", rounded as i64)
    } else {
        String::new()
    }
}

fn error_plot(ui: &mut egui::Ui, controls: &mut Controls, lesson: &crate::text::LessonText) {
    let curve = controls.landscape.0.clone();
    let curve = &*curve;
    let x = controls.run.0.x;
    let exact = curve.slope(x);
    let f = |t: f64| curve.value(t);
    let forward = error_sweep(f, exact, Scheme::Forward, x, SWEEP_SAMPLES);
    let central = error_sweep(f, exact, Scheme::Central, x, SWEEP_SAMPLES);
    let best_forward = Scheme::Forward.best_h(x);
    let best_central = Scheme::Central.best_h(x);
    let h = controls.chord.0;
    let touch = controls.sizing.touch;
    let shown = super::still_plot("error-plot", 230.0, Corner::LeftBottom, touch)
        .include_x(-16.0)
        .include_x(0.0)
        .include_y(ERROR_FLOOR.log10())
        .include_y(1.0)
        .x_axis_label("h")
        .y_axis_label("|slope - f'(x)|")
        .x_axis_formatter(|mark, _| power_of_ten(mark.value))
        .y_axis_formatter(|mark, _| power_of_ten(mark.value))
        .show(ui, |plot| {
            let to_points = |sweep: &[(f64, f64)]| -> PlotPoints {
                sweep.iter().map(|&(h, e)| log_point(h, e)).collect()
            };
            plot.line(
                Line::new("forward", to_points(&forward))
                    .color(palette::CHORD.egui())
                    .width(2.0),
            );
            plot.line(
                Line::new("central", to_points(&central))
                    .color(CENTRAL)
                    .width(2.0),
            );
            let forward_at = |h: f64| (Scheme::Forward.slope(f, x, h) - exact).abs();
            let central_at = |h: f64| (Scheme::Central.slope(f, x, h) - exact).abs();
            plot.points(
                Points::new(
                    "best h",
                    vec![
                        log_point(best_forward, forward_at(best_forward)),
                        log_point(best_central, central_at(best_central)),
                    ],
                )
                .color(palette::MINIMUM.egui())
                .radius(5.0)
                .filled(true),
            );
            plot.vline(
                VLine::new("your h", h.log10())
                    .color(palette::TEXT.egui())
                    .style(LineStyle::dashed_loose())
                    .width(1.5),
            );
        });
    let r = shown.response.rect;
    controls.state.error_plot = Some([r.min.x, r.min.y, r.max.x, r.max.y]);
    if touch {
        super::plot_key(
            ui,
            &[
                ("your h", palette::TEXT.egui()),
                ("forward", palette::CHORD.egui()),
                ("central", CENTRAL),
                ("best h", palette::MINIMUM.egui()),
            ],
        );
    }
    let best = fill(
        &lesson.lab.best,
        &[
            ("forward", format_significant(best_forward, 2)),
            ("central", format_significant(best_central, 2)),
        ],
    );
    ui.label(RichText::new(best).color(palette::MINIMUM.egui()));
    // The fitted slope of the right-hand side of the V, from a hundred times the best h up to h = 0.1.
    let fit = |sweep: &[(f64, f64)], best: f64| {
        let right: Vec<(f64, f64)> = sweep
            .iter()
            .copied()
            .filter(|&(h, _)| h <= 0.1 && h >= 100.0 * best)
            .collect();
        log_log_slope(&right).map_or("-".to_owned(), |s| format_significant(s, 3))
    };
    let central_fit = if curve.central_chord_is_exact() {
        "-".to_owned()
    } else {
        fit(&central, best_central)
    };
    let measured = fill(
        &lesson.lab.measured,
        &[
            ("forward", fit(&forward, best_forward)),
            ("central", central_fit),
        ],
    );
    ui.label(RichText::new(measured).small());
    ui.label(RichText::new(&lesson.lab.plot).weak());
}

fn slope_table(ui: &mut egui::Ui, controls: &Controls) {
    let curve = controls.landscape.0.clone();
    let curve = &*curve;
    let x = controls.run.0.x;
    let exact = curve.slope(x);
    let f = |t: f64| curve.value(t);
    let nearest = DECADES
        .iter()
        .enumerate()
        .min_by(|a, b| {
            (a.1.log10() - controls.chord.0.log10())
                .abs()
                .total_cmp(&(b.1.log10() - controls.chord.0.log10()).abs())
        })
        .map(|(i, _)| i);
    egui::Grid::new("slope-table")
        .num_columns(5)
        .spacing([10.0, 2.0])
        .striped(true)
        .show(ui, |ui| {
            for title in ["h", "forward", "error", "central", "error"] {
                ui.label(RichText::new(title).small().strong());
            }
            ui.end_row();
            for (i, &h) in DECADES.iter().enumerate() {
                let forward = Scheme::Forward.slope(f, x, h);
                let central = Scheme::Central.slope(f, x, h);
                let colour = if Some(i) == nearest {
                    palette::TEXT.egui()
                } else {
                    palette::LABEL.egui()
                };
                let cell = |text: String, colour: Color32| {
                    RichText::new(text)
                        .monospace()
                        .size(controls.sizing.text(12.5))
                        .color(colour)
                };
                ui.label(cell(format_h(h), colour));
                ui.label(cell(format_significant(forward, 7), palette::CHORD.egui()));
                ui.label(cell(format_significant((forward - exact).abs(), 2), colour));
                ui.label(cell(format_significant(central, 7), CENTRAL));
                ui.label(cell(format_significant((central - exact).abs(), 2), colour));
                ui.end_row();
            }
        });
}
