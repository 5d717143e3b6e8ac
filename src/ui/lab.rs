//! The chord lab: h and its shrinking, the three chord schemes, the error plot, the slope table, the notation.

use bevy::prelude::*;
use bevy_egui::egui::{self, Color32, RichText};
use egui_plot::{Corner, Line, LineStyle, PlotPoints, Points, VLine};

use super::race::{Mark, plot_key};
use super::{Controls, chord_step_slider, folding_section, section};
use crate::math::Curve;
use crate::math::Scheme;
use crate::math::difference::{DECADES, ErrorShape, chord_collapsed, error_shape, error_sweep};
use crate::sim::{RunCommand, ShrinkCommand, ShrinkMode};
use crate::text::{LessonText, fill};
use crate::theme::numbers::{format_h, format_number, format_significant};

/// Samples of the error plot between h = 1 and h = 1e-16.
const SWEEP_SAMPLES: usize = 161;
/// Errors of exactly zero are drawn at this floor so the log scale can show them.
const ERROR_FLOOR: f64 = 1e-17;

pub fn chord_lab_tab(
    ui: &mut egui::Ui,
    controls: &mut Controls,
    commands: &mut MessageWriter<RunCommand>,
) {
    let pal = crate::theme::palette_of(ui.ctx());
    let lesson = controls.lesson.clone();
    let curve = controls.loss_curve.0.clone();
    let curve = &*curve;
    let x = controls.run.0.x;
    let h = controls.chord.0;
    let exact = curve.slope(x);
    let scheme = controls.scheme.0;
    ui.label(RichText::new(&lesson.lab.intro).weak());

    if section(ui, "h") {
        chord_step_slider(ui, h, commands);
        shrink_controls(ui, controls, &lesson, commands);
    }

    if section(ui, &lesson.lab.chord_title) {
        ui.horizontal_wrapped(|ui| {
            for choice in Scheme::ALL {
                ui.selectable_value(&mut controls.scheme.0, choice, lesson.scheme_name(choice));
            }
            ui.checkbox(&mut controls.lens.0, lesson.lab.lens.as_str());
        });
        let chord_slope = scheme.slope(|t| curve.value(t), x, h);
        let versus = fill(
            &lesson.lab.chord_slope,
            &[
                ("slope", format_number(chord_slope)),
                ("exact", format_number(exact)),
                ("error", format_significant((chord_slope - exact).abs(), 3)),
            ],
        );
        ui.label(RichText::new(versus).monospace().color(pal.chord.egui()));
        if scheme == Scheme::Central && curve.central_chord_is_exact() {
            ui.label(RichText::new(&lesson.lab.parabola).color(pal.minimum.egui()));
        }
        if chord_collapsed(scheme, x, h) {
            let text = fill(
                &lesson.lab.collapsed,
                &[("slope", format_number(chord_slope))],
            );
            ui.label(RichText::new(text).color(pal.warning.egui()));
        }
    }

    if section(ui, &lesson.lab.error_title)
        && super::large_plot_button(
            ui,
            &mut controls.state,
            super::LargePlot::Error,
            &lesson.labels,
        )
    {
        error_plot(ui, controls, &lesson, ERROR_PLOT_HEIGHT);
    }

    if folding_section(ui, &lesson.lab.table_title, false) {
        ui.label(RichText::new(&lesson.lab.table).weak());
        slope_table(ui, controls, &lesson);
    }

    if !folding_section(ui, &lesson.lab.notation_title, false) {
        return;
    }
    ui.label(RichText::new(&lesson.notation.intro).weak());
    let values = [("x", format_number(x)), ("slope", format_number(exact))];
    for row in &lesson.notation.rows {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(fill(&row.filled, &values))
                    .monospace()
                    .color(pal.tangent.egui()),
            );
        });
        ui.label(RichText::new(&row.reading).small());
    }
}

fn shrink_controls(
    ui: &mut egui::Ui,
    controls: &mut Controls,
    lesson: &LessonText,
    commands: &mut MessageWriter<RunCommand>,
) {
    let words = &lesson.lab;
    let shrink = *controls.shrink;
    ui.horizontal_wrapped(|ui| {
        let play = if shrink.playing {
            &words.pause_shrink
        } else {
            &words.shrink
        };
        if ui.button(play.as_str()).clicked() {
            commands.write(RunCommand::Shrink(ShrinkCommand::TogglePause));
        }
        if ui
            .add_enabled(shrink.active, egui::Button::new(words.stop.as_str()))
            .clicked()
        {
            commands.write(RunCommand::Shrink(ShrinkCommand::Toggle));
        }
        for (mode, name) in [
            (ShrinkMode::Smooth, &words.glide),
            (ShrinkMode::Decades, &words.by_tens),
        ] {
            if ui
                .selectable_label(shrink.mode == mode, name.as_str())
                .clicked()
                && shrink.mode != mode
            {
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
        ui.label(words.scrub.as_str());
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

/// The error plot's height in the panel, in points.
const ERROR_PLOT_HEIGHT: f32 = 230.0;

/// The error plot `height` points tall, with its key and what it shows at x.
pub fn error_plot(ui: &mut egui::Ui, controls: &mut Controls, lesson: &LessonText, height: f32) {
    let pal = crate::theme::palette_of(ui.ctx());
    let curve = controls.loss_curve.0.clone();
    let curve = &*curve;
    let x = controls.run.0.x;
    let exact = curve.slope(x);
    let f = |t: f64| curve.value(t);
    let forward = error_sweep(f, exact, Scheme::Forward, x, SWEEP_SAMPLES);
    let central = error_sweep(f, exact, Scheme::Central, x, SWEEP_SAMPLES);
    let notes = error_notes(lesson, curve, x, &forward, &central);
    let h = controls.chord.0;
    let touch = controls.sizing.touch;
    // The items have no names, so egui_plot draws no legend over the lines (it hid the V's left arm): the
    // key is written under the plot instead, on every screen.
    let shown = super::still_plot("error-plot", height, Corner::LeftBottom, touch)
        .include_x(-16.0)
        .include_x(0.0)
        .include_y(ERROR_FLOOR.log10())
        .include_y(1.0)
        .x_axis_label("h")
        .y_axis_label(lesson.lab.error_axis.as_str())
        .x_axis_formatter(|mark, _| power_of_ten(mark.value))
        .y_axis_formatter(|mark, _| power_of_ten(mark.value))
        .show(ui, |plot| {
            let to_points = |sweep: &[(f64, f64)]| -> PlotPoints {
                sweep.iter().map(|&(h, e)| log_point(h, e)).collect()
            };
            // The forward chord's V is the lesson's, so it is drawn on top where the two lines share the
            // round-off arm.
            plot.line(
                Line::new("", to_points(&central))
                    .id("central")
                    .color(pal.central.egui())
                    // Dashed as well as coloured: the two lines are told apart without colour.
                    .style(LineStyle::dashed_dense())
                    .width(pal.line(2.0)),
            );
            plot.line(
                Line::new("", to_points(&forward))
                    .id("forward")
                    .color(pal.chord.egui())
                    .width(pal.line(2.0)),
            );
            if !notes.dots.is_empty() {
                plot.points(
                    Points::new("", notes.dots.clone())
                        .id("best h")
                        .color(pal.minimum.egui())
                        .radius(5.0)
                        .filled(true),
                );
            }
            plot.vline(
                VLine::new("", h.log10())
                    .id("your h")
                    .color(pal.text.egui())
                    .style(LineStyle::dashed_loose())
                    .width(1.5),
            );
        });
    let r = shown.response.rect;
    controls.state.error_plot = Some([r.min.x, r.min.y, r.max.x, r.max.y]);
    let mut key = vec![
        (lesson.lab.your_h.as_str(), pal.text.egui(), Mark::Dashed),
        (
            lesson.scheme_name(Scheme::Forward),
            pal.chord.egui(),
            Mark::Line,
        ),
        (
            lesson.scheme_name(Scheme::Central),
            pal.central.egui(),
            Mark::Dashed,
        ),
    ];
    if !notes.dots.is_empty() {
        key.push((lesson.lab.best_h.as_str(), pal.minimum.egui(), Mark::Dot));
    }
    plot_key(ui, &key);
    for (sentence, colour) in notes
        .sentences
        .iter()
        .zip([pal.chord.egui(), pal.central.egui()])
    {
        ui.label(RichText::new(sentence).color(colour));
    }
    ui.label(RichText::new(&lesson.lab.plot).weak());
}

/// What the error plot marks and what is said under it.
#[derive(Clone, Debug, PartialEq)]
struct ErrorNotes {
    /// The best-h dots, as plot points (log10 h, log10 error).
    dots: Vec<[f64; 2]>,
    sentences: Vec<String>,
}

/// The best-h dots and one sentence about each of the forward and central sweeps at x: a dot only where
/// the error really dips, and words, not a blank, wherever there is no best h or no slope to measure.
fn error_notes(
    lesson: &LessonText,
    curve: &Curve,
    x: f64,
    forward: &[(f64, f64)],
    central: &[(f64, f64)],
) -> ErrorNotes {
    let f = |t: f64| curve.value(t);
    let exact = curve.slope(x);
    let words = &lesson.lab;
    let mut notes = ErrorNotes {
        dots: Vec::new(),
        sentences: Vec::new(),
    };
    for (scheme, sweep) in [(Scheme::Forward, forward), (Scheme::Central, central)] {
        let name = ("scheme", lesson.scheme_name(scheme).to_owned());
        let sentence = match error_shape(sweep, scheme, x) {
            ErrorShape::Dip { best_h, slope } => {
                let error = (scheme.slope(f, x, best_h) - exact).abs();
                notes.dots.push(log_point(best_h, error));
                fill(
                    &words.dip,
                    &[
                        name,
                        ("best", format_significant(best_h, 2)),
                        ("slope", format_significant(slope, 3)),
                    ],
                )
            }
            ErrorShape::Falling { slope } => fill(
                &words.falling,
                &[name, ("slope", format_significant(slope, 3))],
            ),
            ErrorShape::RoundOffOnly => fill(&words.round_off, &[name]),
            ErrorShape::Exact => fill(&words.exact, &[name]),
            ErrorShape::Undefined => fill(&words.undefined, &[name]),
        };
        notes.sentences.push(sentence);
    }
    notes
}

fn slope_table(ui: &mut egui::Ui, controls: &Controls, lesson: &LessonText) {
    let pal = crate::theme::palette_of(ui.ctx());
    let curve = controls.loss_curve.0.clone();
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
            let words = &lesson.lab;
            for title in [
                "h",
                words.table_forward.as_str(),
                words.table_error.as_str(),
                words.table_central.as_str(),
                words.table_error.as_str(),
            ] {
                ui.label(RichText::new(title).small().strong());
            }
            ui.end_row();
            for (i, &h) in DECADES.iter().enumerate() {
                let forward = Scheme::Forward.slope(f, x, h);
                let central = Scheme::Central.slope(f, x, h);
                let colour = if Some(i) == nearest {
                    pal.text.egui()
                } else {
                    pal.label.egui()
                };
                let cell = |text: String, colour: Color32| {
                    RichText::new(text)
                        .monospace()
                        .size(controls.sizing.text(12.5))
                        .color(colour)
                };
                ui.label(cell(format_h(h), colour));
                ui.label(cell(format_significant(forward, 7), pal.chord.egui()));
                ui.label(cell(format_significant((forward - exact).abs(), 2), colour));
                ui.label(cell(format_significant(central, 7), pal.central.egui()));
                ui.label(cell(format_significant((central - exact).abs(), 2), colour));
                ui.end_row();
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::BUILT_IN_LESSON;

    fn notes_at(curve_name: &str, x: f64) -> ErrorNotes {
        let lesson = LessonText::parse(BUILT_IN_LESSON, "lesson.toml").unwrap();
        let curve = Curve::by_name(curve_name).unwrap();
        let f = |t: f64| curve.value(t);
        let exact = curve.slope(x);
        let forward = error_sweep(f, exact, Scheme::Forward, x, SWEEP_SAMPLES);
        let central = error_sweep(f, exact, Scheme::Central, x, SWEEP_SAMPLES);
        error_notes(&lesson, curve, x, &forward, &central)
    }

    /// No placeholder left unfilled and no number missing from a sentence.
    fn assert_whole(sentences: &[String]) {
        for sentence in sentences {
            assert!(
                !sentence.contains('{') && !sentence.contains(" -.") && !sentence.contains(" - "),
                "a broken sentence: {sentence}"
            );
        }
    }

    #[test]
    fn on_the_bowl_the_central_error_is_called_rounding_and_gets_no_best_h() {
        for x in [2.5, 1.5, -0.7] {
            let notes = notes_at("bowl", x);
            assert_whole(&notes.sentences);
            // Only the forward chord has a V on a parabola, so only it has a best h.
            assert_eq!(notes.dots.len(), 1, "x = {x}: {:?}", notes.dots);
            let text = notes.sentences.join(" ");
            assert!(text.contains("only rounding"), "{text}");
            let forward_best = format_significant(Scheme::Forward.best_h(x), 2);
            assert!(text.contains(&forward_best), "{text}");
        }
    }

    #[test]
    fn on_exp_both_chords_have_a_best_h_and_a_measured_slope() {
        let notes = notes_at("exp", 1.0);
        assert_whole(&notes.sentences);
        assert_eq!(notes.dots.len(), 2);
        let text = notes.sentences.join(" ");
        assert!(text.contains("1.5e-8") && text.contains("6.1e-6"), "{text}");
    }

    #[test]
    fn at_the_bottom_of_the_bowl_every_case_is_said_in_words() {
        // x = 0: the central chord is exact at every h, the forward one's error is h itself all the way down.
        let notes = notes_at("bowl", 0.0);
        assert_whole(&notes.sentences);
        assert!(notes.dots.is_empty(), "{:?}", notes.dots);
    }
}
