//! What exhibit mode draws over the scene: the attract caption and prompt, the catcher that swallows the waking
//! touch, and the staff keypad.

use bevy::prelude::*;
use bevy_egui::egui::{self, Color32, RichText};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::machine::KeypadKey;
use super::scenes::SceneScript;
use super::{Exhibit, KeypadPress};
use crate::EguiPass;
use crate::input::InputGate;
use crate::text::LessonText;
use crate::theme::palette;

/// Size of a keypad key in points (66 pixels on a 1080-line screen at ui_scale 1).
const KEY_SIZE: f32 = 44.0;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<AttractLayout>()
        .init_resource::<TouchAudit>()
        .add_systems(
            EguiPrimaryContextPass,
            (show_attract_caption, catch_waking_touch, show_keypad)
                .chain()
                .in_set(EguiPass::Exhibit),
        );
}

/// Where the attract caption and prompt were drawn last frame (logical pixels), for tests.
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq)]
pub struct AttractLayout {
    pub caption: Option<[f32; 4]>,
    pub prompt: Option<[f32; 4]>,
}

/// The smallest control and the smallest letters on screen last frame, in physical pixels.
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq)]
pub struct TouchAudit {
    pub smallest_control_px: Option<f32>,
    /// Where the smallest control is (logical pixels), to find it when it is too small.
    pub smallest_control_rect: Option<[f32; 4]>,
    pub smallest_text_px: Option<f32>,
    pub controls: usize,
}

fn rect_of(r: egui::Rect) -> [f32; 4] {
    [r.min.x, r.min.y, r.max.x, r.max.y]
}

/// Measures every interactive widget and every piece of text painted this frame (the screenshot's note
/// reports the smallest of each; `capture` runs it after everything else has painted).
pub fn audit_touch_sizes(mut contexts: EguiContexts, mut audit: ResMut<TouchAudit>) -> Result {
    let ctx = contexts.ctx_mut()?;
    let ppp = ctx.pixels_per_point();
    let screen = ctx.content_rect();
    let (smallest_control, controls) = ctx.viewport(|viewport| {
        let mut smallest: Option<(f32, [f32; 4])> = None;
        let mut count = 0;
        for (_, widgets) in viewport.this_pass.widgets.layers() {
            for widget in widgets {
                let r = widget.rect;
                // Whole areas that can be dragged to scroll are not controls.
                let covers_area =
                    r.width() > 0.25 * screen.width() && r.height() > 0.25 * screen.height();
                // egui_plot gives its axis strips a drag sense that does nothing when axis zoom is off
                // (as here): they are not controls. Every real control in egui also senses clicks.
                let inert_axis = widget.sense == egui::Sense::drag();
                if !widget.enabled || !widget.sense.interactive() || covers_area || inert_axis {
                    continue;
                }
                // Widgets scrolled out of sight count too (measured whole): a finger can scroll to them.
                if r.area() <= 0.0 {
                    continue;
                }
                count += 1;
                let side = r.width().min(r.height()) * ppp;
                if smallest.is_none_or(|(s, _)| side < s) {
                    smallest = Some((side, rect_of(r)));
                }
            }
        }
        (smallest, count)
    });
    let layers: Vec<egui::LayerId> = ctx.memory(|m| m.layer_ids().collect());
    let smallest_text = ctx.graphics(|graphics| {
        let mut smallest: Option<f32> = None;
        let mut visit = |shape: &egui::Shape| {
            if let egui::Shape::Text(text) = shape
                && !text.galley.is_empty()
            {
                for section in &text.galley.job.sections {
                    let size = section.format.font_id.size * ppp;
                    smallest = Some(smallest.map_or(size, |s: f32| s.min(size)));
                }
            }
        };
        for layer in layers {
            if let Some(list) = graphics.get(layer) {
                for clipped in list.all_entries() {
                    match &clipped.shape {
                        egui::Shape::Vec(shapes) => shapes.iter().for_each(&mut visit),
                        shape => visit(shape),
                    }
                }
            }
        }
        smallest
    });
    *audit = TouchAudit {
        smallest_control_px: smallest_control.map(|(side, _)| side),
        smallest_control_rect: smallest_control.map(|(_, r)| r),
        smallest_text_px: smallest_text,
        controls,
    };
    Ok(())
}

fn show_attract_caption(
    mut contexts: EguiContexts,
    exhibit: Res<Exhibit>,
    script: Option<Res<SceneScript>>,
    lesson: Res<LessonText>,
    time: Res<Time<Real>>,
    mut layout: ResMut<AttractLayout>,
) -> Result {
    if !exhibit.machine.is_attracting() {
        layout.set_if_neq(AttractLayout::default());
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let screen = ctx.content_rect();
    let mut placed = AttractLayout::default();
    if let Some(script) = script {
        let width = (screen.width() * 0.8).min(900.0);
        let shown = egui::Area::new("attract-caption".into())
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 18.0))
            .interactable(false)
            .order(egui::Order::Middle)
            .show(ctx, |ui| {
                egui::Frame::new()
                    .fill(Color32::from_rgba_unmultiplied(16, 19, 26, 225))
                    .stroke(egui::Stroke::new(1.5, palette::AXIS.egui()))
                    .corner_radius(12.0)
                    .inner_margin(egui::Margin::symmetric(22, 14))
                    .show(ui, |ui| {
                        ui.set_width(width);
                        ui.label(
                            RichText::new(script.caption.words(&lesson))
                                .size(22.0)
                                .color(palette::TEXT.egui()),
                        );
                    });
            });
        placed.caption = Some(rect_of(shown.response.rect));
    }
    // The prompt breathes, so the screen looks alive from across the room.
    let glow = 0.85 + 0.15 * (time.elapsed_secs() * 2.4).sin();
    let colour = palette::MINIMUM.egui().gamma_multiply(glow);
    let prompt = egui::Area::new("touch-to-play".into())
        .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -22.0))
        .interactable(false)
        .order(egui::Order::Middle)
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(Color32::from_rgba_unmultiplied(16, 19, 26, 210))
                .corner_radius(24.0)
                .inner_margin(egui::Margin::symmetric(28, 10))
                .show(ui, |ui| {
                    ui.label(
                        RichText::new(&lesson.exhibit.touch_to_play)
                            .size(28.0)
                            .strong()
                            .color(colour),
                    );
                });
        });
    placed.prompt = Some(rect_of(prompt.response.rect));
    layout.set_if_neq(placed);
    Ok(())
}

/// While input is held back, an invisible sheet over everything takes the touch, so no control under the
/// finger sees it.
fn catch_waking_touch(mut contexts: EguiContexts, gate: Res<InputGate>) -> Result {
    if !gate.blocked {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let screen = ctx.content_rect();
    egui::Area::new("waking-touch".into())
        .fixed_pos(screen.min)
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            ui.allocate_rect(screen, egui::Sense::click_and_drag());
        });
    Ok(())
}

fn show_keypad(
    mut contexts: EguiContexts,
    exhibit: Res<Exhibit>,
    lesson: Res<LessonText>,
    mut presses: MessageWriter<KeypadPress>,
) -> Result {
    let Some(keypad) = &exhibit.machine.keypad else {
        return Ok(());
    };
    let words = &lesson.exhibit;
    let ctx = contexts.ctx_mut()?;
    egui::Area::new("staff-keypad".into())
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .order(egui::Order::Tooltip)
        .show(ctx, |ui| {
            egui::Frame::window(ui.style())
                .fill(palette::BACKGROUND.egui())
                .inner_margin(egui::Margin::same(18))
                .show(ui, |ui| {
                    ui.set_width(4.0 * KEY_SIZE + 3.0 * 10.0);
                    ui.label(RichText::new(&words.keypad_title).size(16.0).strong());
                    let dots = "●".repeat(keypad.typed.len());
                    ui.label(
                        RichText::new(if dots.is_empty() { " ".into() } else { dots }).size(22.0),
                    );
                    if keypad.wrong_tries > 0 {
                        ui.label(
                            RichText::new(&words.keypad_wrong)
                                .size(14.0)
                                .color(palette::WARNING.egui()),
                        );
                    }
                    ui.spacing_mut().item_spacing = egui::vec2(10.0, 10.0);
                    let key = |ui: &mut egui::Ui, label: &str, width: f32| {
                        ui.add_sized(
                            [width, KEY_SIZE],
                            egui::Button::new(RichText::new(label).size(20.0)),
                        )
                        .clicked()
                    };
                    for row in [[1, 2, 3], [4, 5, 6], [7, 8, 9]] {
                        ui.horizontal(|ui| {
                            for d in row {
                                if key(ui, &d.to_string(), KEY_SIZE * 1.3) {
                                    presses.write(KeypadPress(KeypadKey::Digit(d)));
                                }
                            }
                        });
                    }
                    ui.horizontal(|ui| {
                        if key(ui, &words.erase, KEY_SIZE * 1.3) {
                            presses.write(KeypadPress(KeypadKey::Erase));
                        }
                        if key(ui, "0", KEY_SIZE * 1.3) {
                            presses.write(KeypadPress(KeypadKey::Digit(0)));
                        }
                        if key(ui, &words.enter, KEY_SIZE * 1.3) {
                            presses.write(KeypadPress(KeypadKey::Enter));
                        }
                    });
                    if key(ui, &words.cancel, 3.0 * KEY_SIZE * 1.3 + 20.0) {
                        presses.write(KeypadPress(KeypadKey::Cancel));
                    }
                });
        });
    Ok(())
}
