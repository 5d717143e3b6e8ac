//! The colours of the scene, shared by the gizmos and the egui overlay so both agree.

use bevy::color::{Alpha, Color};
use bevy_egui::egui::Color32;

/// An sRGB colour usable by both Bevy and egui.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn bevy(self) -> Color {
        Color::srgb_u8(self.0, self.1, self.2)
    }

    pub fn egui(self) -> Color32 {
        Color32::from_rgb(self.0, self.1, self.2)
    }

    pub fn bevy_alpha(self, alpha: f32) -> Color {
        self.bevy().with_alpha(alpha)
    }
}

pub const BACKGROUND: Rgb = Rgb(16, 19, 26);
pub const GRID: Rgb = Rgb(38, 44, 56);
pub const AXIS: Rgb = Rgb(112, 122, 140);
pub const LABEL: Rgb = Rgb(170, 180, 196);
pub const CURVE: Rgb = Rgb(92, 168, 255);
pub const BALL: Rgb = Rgb(240, 62, 110);
pub const BALL_RIM: Rgb = Rgb(255, 240, 245);
pub const TANGENT: Rgb = Rgb(255, 150, 30);
pub const CHORD: Rgb = Rgb(70, 220, 150);
pub const MINIMUM: Rgb = Rgb(250, 214, 80);
pub const TEXT: Rgb = Rgb(232, 236, 242);
pub const WARNING: Rgb = Rgb(255, 110, 90);
pub const GOOD: Rgb = Rgb(120, 230, 140);
/// The slope plot: f' above zero (the curve rises) and below (it falls), and the guides where it is zero.
/// A magenta and a cyan, hues no other line of scene 1 uses, and far apart in lightness too; the words
/// "rising" and "falling" and the side of the zero line say it as well, never the colour alone.
pub const RISING: Rgb = Rgb(232, 118, 212);
pub const FALLING: Rgb = Rgb(70, 204, 236);
pub const FLAT_GUIDE: Rgb = Rgb(250, 214, 80);
/// Predict mode: the ghost ball (the guess, drawn hollow over a dashed line) and the real landing (a solid
/// diamond over a solid line). A lime no other mark uses, and a pale pink lighter than the ball; the ring
/// against the diamond, the dashes against the solid line and their words tell them apart as well.
pub const GHOST: Rgb = Rgb(190, 240, 60);
pub const REVEAL: Rgb = Rgb(255, 196, 214);

/// One colour per ball in a race; the first is the main ball's. The second (the one every two-ball race
/// has) is a near-white that stands apart from the blue curve it rolls on; the light blue is kept for the
/// fifth, which only a full race has.
pub const BALLS: [Rgb; 6] = [
    BALL,
    Rgb(225, 225, 232),
    Rgb(255, 205, 70),
    Rgb(175, 130, 255),
    Rgb(80, 190, 255),
    Rgb(40, 200, 190),
];
