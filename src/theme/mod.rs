//! The look: every colour and size, how numbers are written, and the small helpers every egui painter
//! shares.

pub mod numbers;
pub mod palette;

use bevy::math::Vec2;
use bevy::prelude::Resource;
use bevy_egui::egui::{self, Color32, Pos2, Stroke};

pub use palette::{Palette, Theme, ThemeName};

/// Where the theme in use is kept in egui's context, beside egui's own style, so every egui painter can
/// reach it the way it reaches the style.
fn theme_id() -> egui::Id {
    egui::Id::new("downhill-theme")
}

/// The palette of the theme in use, for an egui painter: as the theme resource says, from the frame the
/// panel styled egui on (the dark one before that).
pub fn palette_of(ctx: &egui::Context) -> &'static Palette {
    ctx.data(|d| d.get_temp::<ThemeName>(theme_id()))
        .unwrap_or_default()
        .palette()
}

/// How opaque the plate behind a label on the plot is: enough that a line under it cannot take the label's
/// contrast below AA (`tests/theme.rs` checks the worst line under the worst label).
pub const LABEL_PLATE_ALPHA: f32 = 0.9;

/// The plate behind a label on the plot, in the theme in use.
pub fn label_plate(ctx: &egui::Context) -> Color32 {
    palette_of(ctx).plate.egui_alpha(LABEL_PLATE_ALPHA)
}

/// Tell egui's painters which theme is in use (see [`palette_of`]).
pub fn set_palette(ctx: &egui::Context, name: ThemeName) {
    if ctx.data(|d| d.get_temp::<ThemeName>(theme_id())) != Some(name) {
        ctx.data_mut(|d| d.insert_temp(theme_id(), name));
    }
}

/// Width of the control panel in logical pixels (the plot takes what is left of the window).
pub const PANEL_WIDTH: f32 = 360.0;

/// Touch-first sizes (the exhibit) or the desktop's.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sizing {
    pub touch: bool,
}

impl Sizing {
    /// A text size in points, raised to the touch minimum when sizes are for fingers.
    pub fn text(self, points: f32) -> f32 {
        if self.touch {
            points.max(TOUCH_SMALLEST_TEXT)
        } else {
            points
        }
    }
}

/// How large the desktop draws its whole interface (panel, plot labels, legends, captions and lines), as
/// a browser's zoom does: Ctrl+= and Ctrl+- step through [`TextScale::STEPS`], Ctrl+0 goes back to 100%,
/// `--ui-scale` sets it at launch. It multiplies the scale that follows the window ([`window_scale`]).
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct TextScale(pub f32);

impl Default for TextScale {
    fn default() -> Self {
        TextScale(1.0)
    }
}

impl TextScale {
    /// The steps of Ctrl+= and Ctrl+-, as browsers offer them, from 75% to 300%.
    pub const STEPS: [f32; 11] = [0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0];

    /// The next step up (from a scale between steps, the first step above it); 300% stays.
    pub fn larger(self) -> TextScale {
        TextScale(
            Self::STEPS
                .into_iter()
                .find(|s| *s > self.0 + 1e-3)
                .unwrap_or(Self::STEPS[Self::STEPS.len() - 1]),
        )
    }

    /// The next step down; 75% stays.
    pub fn smaller(self) -> TextScale {
        TextScale(
            Self::STEPS
                .into_iter()
                .rev()
                .find(|s| *s < self.0 - 1e-3)
                .unwrap_or(Self::STEPS[0]),
        )
    }
}

/// The desktop's layout is made for a 1280x720 window: a larger window draws everything larger by as much
/// as it is larger both ways (1.5 at 1920x1080, 2 at 2560x1440), never smaller, so going fullscreen on a
/// 1080-line screen or a projector makes the text larger. Sizes in physical pixels over the screen's own
/// scale factor.
pub fn window_scale(physical: (u32, u32), screen_scale: f32) -> f32 {
    let screen_scale = if screen_scale.is_finite() && screen_scale > 0.0 {
        screen_scale
    } else {
        1.0
    };
    let w = physical.0 as f32 / screen_scale / DESIGN_SIZE.0;
    let h = physical.1 as f32 / screen_scale / DESIGN_SIZE.1;
    w.min(h).max(1.0)
}

/// The window size the desktop's layout is made for, in logical pixels at 100%.
pub const DESIGN_SIZE: (f32, f32) = (1280.0, 720.0);

/// The strip along the bottom of the screen the attract loop keeps for its "Touch the screen to play"
/// prompt, in logical pixels: the plots end above it, so the prompt never covers them.
pub const ATTRACT_PROMPT_ROOM: f32 = 76.0;

/// The smallest text in touch sizes, in points; the exhibit's zoom of 1.5 at 1080 lines makes it 24 pixels.
pub const TOUCH_SMALLEST_TEXT: f32 = 16.0;
/// The height of every control in touch sizes, in points (48 pixels at 1080 lines in the exhibit).
pub const TOUCH_CONTROL_HEIGHT: f32 = 32.0;

/// A screen point (logical pixels, y down) as egui takes it.
pub fn pos(p: Vec2) -> Pos2 {
    Pos2::new(p.x, p.y)
}

/// How big an arrow's head is, in logical pixels: its length along the shaft, and how far it reaches either
/// side of it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Head {
    pub length: f32,
    pub half_width: f32,
}

/// An arrow from `from` to `to`: a shaft `width` wide and a filled `head`. Nothing is drawn for an arrow
/// shorter than a pixel or not finite.
pub fn arrow(
    painter: &egui::Painter,
    from: Pos2,
    to: Pos2,
    colour: Color32,
    width: f32,
    head: Head,
) {
    let d = to - from;
    let length = d.length();
    if !(length.is_finite() && length >= 1.0) {
        return;
    }
    painter.line_segment([from, to], Stroke::new(width, colour));
    let dir = d / length;
    let side = egui::vec2(-dir.y, dir.x) * head.half_width;
    let back = to - dir * head.length;
    painter.add(egui::Shape::convex_polygon(
        vec![to, back + side, back - side],
        colour,
        Stroke::NONE,
    ));
}

/// How opaque a control that cannot be used now is drawn (egui's own is 0.5).
pub const DISABLED_ALPHA: f32 = 0.9;

/// egui's look for a theme: its panel, its text (body text, the weak explanations, buttons) and its fields in
/// the theme's colours, every one of them at WCAG AA contrast against what it is drawn on (`tests/theme.rs`).
pub fn egui_visuals(pal: &Palette) -> egui::Visuals {
    let mut v = match pal.name {
        ThemeName::Dark => egui::Visuals::dark(),
        ThemeName::Light => egui::Visuals::light(),
    };
    v.panel_fill = pal.panel.egui();
    v.window_fill = pal.panel.egui();
    v.extreme_bg_color = pal.plate.egui();
    v.faint_bg_color = pal.panel.egui();
    v.weak_text_color = Some(pal.weak_text.egui());
    v.hyperlink_color = pal.curve.egui();
    v.warn_fg_color = pal.warning.egui();
    v.error_fg_color = pal.warning.egui();
    let w = &mut v.widgets;
    w.noninteractive.fg_stroke.color = pal.label.egui();
    w.noninteractive.bg_fill = pal.panel.egui();
    w.noninteractive.weak_bg_fill = pal.panel.egui();
    w.noninteractive.bg_stroke.color = pal.grid.egui();
    w.inactive.fg_stroke.color = pal.text.egui();
    w.inactive.weak_bg_fill = pal.button.egui();
    w.inactive.bg_fill = pal.button.egui();
    w.hovered.fg_stroke.color = pal.text.egui();
    w.hovered.weak_bg_fill = pal.button_hovered.egui();
    w.hovered.bg_fill = pal.button_hovered.egui();
    w.hovered.bg_stroke.color = pal.axis.egui();
    w.active.fg_stroke.color = pal.text.egui();
    w.active.weak_bg_fill = pal.button_pressed.egui();
    w.active.bg_fill = pal.button_pressed.egui();
    w.active.bg_stroke.color = pal.text.egui();
    w.open.fg_stroke.color = pal.text.egui();
    w.open.weak_bg_fill = pal.button.egui();
    w.open.bg_fill = pal.panel.egui();
    // A control that cannot be used now (Back at step 0) is drawn fainter, but still readable: egui's own
    // half opacity left its word at 1.8:1 on the light theme's button.
    v.disabled_alpha = DISABLED_ALPHA;
    v.selection.bg_fill = pal.selection.egui();
    v.selection.stroke.color = pal.text.egui();
    v
}

/// egui's own theme name for one of ours.
pub fn egui_theme(name: ThemeName) -> egui::Theme {
    match name {
        ThemeName::Dark => egui::Theme::Dark,
        ThemeName::Light => egui::Theme::Light,
    }
}
