//! The look: every colour, and the small helpers every egui painter shares.

pub mod palette;

use bevy::math::Vec2;
use bevy_egui::egui::Pos2;

/// A screen point (logical pixels, y down) as egui takes it.
pub fn pos(p: Vec2) -> Pos2 {
    Pos2::new(p.x, p.y)
}
