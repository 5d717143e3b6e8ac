//! The look: every colour and size, how numbers are written, and the small helpers every egui painter
//! shares.

pub mod numbers;
pub mod palette;

use bevy::math::Vec2;
use bevy::prelude::Resource;
use bevy_egui::egui::{self, Color32, Pos2, Stroke};

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
