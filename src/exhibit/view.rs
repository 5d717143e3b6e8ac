//! What exhibit mode draws over the scene: the attract caption and prompt, the catcher that swallows the waking
//! touch, and the staff keypad.

use bevy::prelude::*;
use bevy_egui::egui::{self, RichText};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use bevy::ecs::system::SystemParam;

use super::machine::KeypadKey;
use super::scenes::SceneScript;
use super::{Exhibit, KeypadPress};
use crate::EguiPass;
use crate::input::InputGate;
use crate::sim::{LossCurve, Run};
use crate::text::LessonText;
use crate::text::{CurrentLanguage, Languages};
use crate::ui::language::{LanguageChoices, SetLanguage, language_buttons};
use crate::view::PlotArea;

/// Size of a keypad key in points (66 pixels on a 1080-line screen at ui_scale 1).
const KEY_SIZE: f32 = 44.0;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<AttractLayout>()
        .init_resource::<TouchAudit>()
        .add_systems(
            EguiPrimaryContextPass,
            (
                show_attract_caption,
                show_attract_moments,
                catch_waking_touch,
                show_attract_languages,
                show_keypad,
            )
                .chain()
                .in_set(EguiPass::Exhibit),
        );
}

/// Where the attract caption and prompt were drawn last frame (logical pixels), for tests.
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq)]
pub struct AttractLayout {
    pub caption: Option<[f32; 4]>,
    pub prompt: Option<[f32; 4]>,
    /// The language buttons (a touch there changes the language without waking the exhibit).
    pub language: Option<[f32; 4]>,
    /// The "too big a step!" stamp, when shown.
    pub moment: Option<[f32; 4]>,
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
    theme: Res<crate::theme::Theme>,
    mut contexts: EguiContexts,
    exhibit: Res<Exhibit>,
    script: Option<Res<SceneScript>>,
    lesson: Res<LessonText>,
    time: Res<Time<Real>>,
    mut layout: ResMut<AttractLayout>,
) -> Result {
    let pal = theme.0;
    if !exhibit.machine.is_attracting() {
        layout.set_if_neq(AttractLayout::default());
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let screen = ctx.content_rect();
    let mut placed = AttractLayout {
        language: layout.language,
        moment: layout.moment,
        ..AttractLayout::default()
    };
    if let Some(script) = script {
        let width = (screen.width() * 0.8).min(900.0);
        let shown = egui::Area::new("attract-caption".into())
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 18.0))
            .interactable(false)
            .order(egui::Order::Middle)
            .show(ctx, |ui| {
                egui::Frame::new()
                    .fill(pal.background.egui_alpha(0.88))
                    .stroke(egui::Stroke::new(1.5, pal.axis.egui()))
                    .corner_radius(12.0)
                    .inner_margin(egui::Margin::symmetric(22, 14))
                    .show(ui, |ui| {
                        ui.set_width(width);
                        ui.label(
                            RichText::new(script.caption.words(&lesson))
                                .size(22.0)
                                .color(pal.text.egui()),
                        );
                    });
            });
        placed.caption = Some(rect_of(shown.response.rect));
    }
    // The prompt breathes, so the screen looks alive from across the room.
    let glow = 0.85 + 0.15 * (time.elapsed_secs() * 2.4).sin();
    let colour = pal.minimum.egui().gamma_multiply(glow);
    // In the strip the plots leave free at the bottom of the screen, so it never covers them.
    let prompt = egui::Area::new("touch-to-play".into())
        .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -8.0))
        .interactable(false)
        .order(egui::Order::Middle)
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(pal.background.egui_alpha(0.82))
                .corner_radius(24.0)
                .inner_margin(egui::Margin::symmetric(28, 8))
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

/// The "too big" scene's last moment, over the plot (the race's balls say what they are themselves).
fn show_attract_moments(
    mut contexts: EguiContexts,
    exhibit: Res<Exhibit>,
    script: Option<Res<SceneScript>>,
    scene: MomentScene,
    mut layout: ResMut<AttractLayout>,
) -> Result {
    let moment = match script.as_deref() {
        Some(script) if exhibit.machine.is_attracting() && script.thrown_out => {
            paint_thrown_out(contexts.ctx_mut()?, &scene)
        }
        _ => None,
    };
    if layout.moment != moment {
        layout.moment = moment;
    }
    Ok(())
}

/// The scene the attract loop's moments are painted over.
#[derive(SystemParam)]
struct MomentScene<'w> {
    lesson: Res<'w, LessonText>,
    plot: Res<'w, PlotArea>,
    curve: Res<'w, LossCurve>,
    run: Res<'w, Run>,
}

/// A ball's place on screen, if it is on the plot.
fn ball_on_screen(scene: &MomentScene, x: f64) -> Option<egui::Pos2> {
    let at = scene.plot.to_screen(x, scene.curve.0.value(x));
    scene.plot.contains(at).then(|| egui::pos2(at.x, at.y))
}

/// "Too big a step!" in large red letters beside the ball, which is still in view.
fn paint_thrown_out(ctx: &egui::Context, scene: &MomentScene) -> Option<[f32; 4]> {
    let pal = crate::theme::palette_of(ctx);
    let ball = ball_on_screen(scene, scene.run.0.x)?;
    let plot_centre = 0.5 * (scene.plot.min.x + scene.plot.max.x);
    // On the side of the plot's middle, away from the edge the ball is at.
    let (pivot, at) = if ball.x > plot_centre {
        (egui::Align2::RIGHT_CENTER, ball + egui::vec2(-40.0, 30.0))
    } else {
        (egui::Align2::LEFT_CENTER, ball + egui::vec2(40.0, 30.0))
    };
    let shown = egui::Area::new("attract-too-big".into())
        .fixed_pos(at)
        .pivot(pivot)
        .interactable(false)
        .order(egui::Order::Middle)
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(pal.warning.egui())
                .corner_radius(12.0)
                .inner_margin(egui::Margin::symmetric(18, 10))
                .show(ui, |ui| {
                    ui.label(
                        RichText::new(&scene.lesson.exhibit.flew_away)
                            .size(32.0)
                            .strong()
                            .color(pal.background.egui()),
                    );
                });
        });
    Some(rect_of(shown.response.rect))
}

/// The attract screen's language buttons, in the top right corner above the waking sheet: a touch there
/// changes the captions' language and leaves the attract loop playing.
fn show_attract_languages(
    mut contexts: EguiContexts,
    exhibit: Res<Exhibit>,
    languages: Option<Res<Languages>>,
    choices: Res<LanguageChoices>,
    current: Res<CurrentLanguage>,
    mut set_language: MessageWriter<SetLanguage>,
    mut layout: ResMut<AttractLayout>,
) -> Result {
    let Some(languages) =
        languages.filter(|_| exhibit.machine.is_attracting() && choices.0.len() > 1)
    else {
        if layout.language.is_some() {
            layout.language = None;
        }
        return Ok(());
    };
    let ctx = contexts.ctx_mut()?;
    let shown = egui::Area::new("attract-languages".into())
        .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-16.0, -8.0))
        .order(egui::Order::Tooltip)
        .show(ctx, |ui| {
            language_buttons(ui, &languages, &choices.0, &current.0, 44.0)
        });
    if let Some(code) = shown.inner {
        set_language.write(SetLanguage(code));
    }
    let rect = Some(rect_of(shown.response.rect));
    if layout.language != rect {
        layout.language = rect;
    }
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
    theme: Res<crate::theme::Theme>,
    mut contexts: EguiContexts,
    exhibit: Res<Exhibit>,
    lesson: Res<LessonText>,
    mut presses: MessageWriter<KeypadPress>,
) -> Result {
    let pal = theme.0;
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
                .fill(pal.background.egui())
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
                                .color(pal.warning.egui()),
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
