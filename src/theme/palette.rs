//! The colours of the scene, shared by the gizmos and the egui overlay so both agree: one [`Palette`] per
//! theme, `dark` for a screen and `light` for a projector or daylight. Nothing else in the program writes a
//! colour; the tests in `tests/theme.rs` measure every text and line of both palettes against what is behind
//! it (WCAG 2.1) and through three kinds of colour blindness.

use bevy::color::{Alpha, Color};
use bevy::prelude::Resource;
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

    /// This colour with an opacity for egui, `alpha` from 0 to 1.
    pub fn egui_alpha(self, alpha: f32) -> Color32 {
        Color32::from_rgba_unmultiplied(
            self.0,
            self.1,
            self.2,
            (alpha.clamp(0.0, 1.0) * 255.0).round() as u8,
        )
    }
}

/// The two themes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub enum ThemeName {
    /// Light strokes on near-black: a screen in a room.
    #[default]
    Dark,
    /// Saturated, thicker strokes on near-white: a projector, or a screen in daylight.
    Light,
}

impl ThemeName {
    pub const ALL: [ThemeName; 2] = [ThemeName::Dark, ThemeName::Light];

    /// The name on the command line and in the exhibit's settings.
    pub fn code(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
        }
    }

    /// The theme a name on the command line or in a settings file means, if any.
    pub fn parse(code: &str) -> Option<ThemeName> {
        ThemeName::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The other theme (the T key).
    pub fn other(self) -> ThemeName {
        match self {
            ThemeName::Dark => ThemeName::Light,
            ThemeName::Light => ThemeName::Dark,
        }
    }

    pub fn palette(self) -> &'static Palette {
        match self {
            ThemeName::Dark => &DARK,
            ThemeName::Light => &LIGHT,
        }
    }
}

/// Every colour one theme uses, by its role.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub name: ThemeName,
    /// The plot's background (the window's clear colour).
    pub background: Rgb,
    /// The control panel's fill.
    pub panel: Rgb,
    /// A button, hovered and pressed, and a selected one (a chosen tab, a ticked toggle).
    pub button: Rgb,
    pub button_hovered: Rgb,
    pub button_pressed: Rgb,
    pub selection: Rgb,
    /// The plate behind labels and boxes drawn over the plot (the lens, the keys, scene 2's plots).
    pub plate: Rgb,
    pub grid: Rgb,
    pub axis: Rgb,
    /// Tick labels and the plot's quieter words.
    pub label: Rgb,
    /// Explanations under the controls (egui's "weak" text).
    pub weak_text: Rgb,
    pub text: Rgb,
    pub curve: Rgb,
    pub ball: Rgb,
    /// The ring round the ball and round marks drawn on lines.
    pub ball_rim: Rgb,
    pub tangent: Rgb,
    pub chord: Rgb,
    /// The chord lab's central difference (its error line beside the forward one, which is `chord`).
    pub central: Rgb,
    pub minimum: Rgb,
    pub warning: Rgb,
    pub good: Rgb,
    /// The slope plot: f' above zero (the curve rises) and below (it falls), and the guides where it is
    /// zero. The words "rising" and "falling" and the side of the zero line say it as well.
    pub rising: Rgb,
    pub falling: Rgb,
    pub flat_guide: Rgb,
    /// Predict mode: the ghost ball (the guess, drawn hollow over a dashed line) and the real landing (a
    /// solid diamond over a solid line); the ring against the diamond and the dashes tell them apart too.
    pub ghost: Rgb,
    pub reveal: Rgb,
    /// Scene 2's loss landscape, from low loss to high, and its contour lines (drawn at a third of their
    /// strength).
    pub landscape: [Rgb; 4],
    pub contour: Rgb,
    /// The plate behind scene 2's data and slice plots.
    pub plot_fill: Rgb,
    /// One colour per ball in a race; the first is the main ball's. Each ball also carries a tag with its
    /// name, so no ball is told by its colour alone.
    pub balls: [Rgb; 6],
    /// How much thicker than the dark theme's this theme draws its lines.
    pub line_scale: f32,
}

impl Palette {
    /// The colour of ball `index` in a race, repeating after the sixth.
    pub fn ball_colour(&self, index: usize) -> Rgb {
        self.balls[index % self.balls.len()]
    }

    /// A line `width` pixels wide in the dark theme, as wide as this theme draws it.
    pub fn line(&self, width: f32) -> f32 {
        width * self.line_scale
    }
}

/// The dark theme. The curve is sky blue and the tangent orange, the pair Okabe and Ito chose because
/// every kind of colour blindness keeps them apart; the chord is near-white, apart from both in lightness
/// too; the race's six balls were searched for so that each pair stays at CIEDE2000 15 or more through
/// protanopia, deuteranopia and tritanopia (`tests/theme.rs`).
pub const DARK: Palette = Palette {
    name: ThemeName::Dark,
    background: Rgb(16, 19, 26),
    panel: Rgb(27, 30, 38),
    button: Rgb(58, 64, 78),
    button_hovered: Rgb(72, 80, 96),
    button_pressed: Rgb(50, 56, 68),
    selection: Rgb(0, 92, 150),
    plate: Rgb(8, 10, 15),
    grid: Rgb(44, 50, 64),
    axis: Rgb(128, 138, 156),
    label: Rgb(176, 186, 202),
    weak_text: Rgb(176, 184, 198),
    text: Rgb(232, 236, 242),
    curve: Rgb(86, 180, 233),
    ball: Rgb(245, 80, 125),
    ball_rim: Rgb(255, 240, 245),
    tangent: Rgb(240, 160, 20),
    chord: Rgb(240, 240, 230),
    central: Rgb(204, 121, 167),
    minimum: Rgb(240, 228, 66),
    warning: Rgb(255, 110, 90),
    good: Rgb(120, 230, 140),
    rising: Rgb(232, 118, 212),
    falling: Rgb(70, 204, 236),
    flat_guide: Rgb(250, 214, 80),
    ghost: Rgb(190, 240, 60),
    reveal: Rgb(255, 196, 214),
    // Navy, blue, teal, sand: dark for low loss, bright for high.
    landscape: [
        Rgb(22, 28, 58),
        Rgb(36, 78, 150),
        Rgb(40, 150, 150),
        Rgb(236, 214, 120),
    ],
    contour: Rgb(230, 236, 242),
    plot_fill: Rgb(22, 26, 36),
    balls: [
        Rgb(245, 80, 125),
        Rgb(225, 225, 232),
        Rgb(255, 205, 70),
        Rgb(165, 105, 255),
        Rgb(180, 255, 195),
        Rgb(150, 165, 195),
    ],
    line_scale: 1.0,
};

/// The light theme: near-white behind saturated, darker strokes drawn half as thick again, for a projector
/// that washes out the dark theme's greys. The same roles as the dark theme's: a blue curve, an orange
/// (vermilion) tangent, a near-black chord; darker balls, each at 4.5:1 or more against the white.
pub const LIGHT: Palette = Palette {
    name: ThemeName::Light,
    background: Rgb(250, 250, 247),
    panel: Rgb(236, 237, 240),
    button: Rgb(214, 218, 226),
    button_hovered: Rgb(200, 206, 216),
    button_pressed: Rgb(184, 190, 202),
    selection: Rgb(150, 200, 240),
    plate: Rgb(255, 255, 255),
    grid: Rgb(214, 218, 226),
    axis: Rgb(96, 104, 118),
    label: Rgb(60, 66, 78),
    weak_text: Rgb(64, 70, 82),
    text: Rgb(16, 20, 28),
    curve: Rgb(0, 100, 170),
    ball: Rgb(200, 30, 90),
    ball_rim: Rgb(20, 20, 28),
    tangent: Rgb(180, 70, 0),
    chord: Rgb(40, 40, 48),
    central: Rgb(170, 60, 150),
    minimum: Rgb(125, 90, 0),
    warning: Rgb(190, 40, 20),
    good: Rgb(15, 115, 45),
    rising: Rgb(170, 40, 150),
    falling: Rgb(0, 105, 140),
    flat_guide: Rgb(125, 90, 0),
    ghost: Rgb(70, 105, 0),
    reveal: Rgb(170, 50, 90),
    // Brighter for higher, as in the dark theme (the caption says so), from a soft blue that the dark
    // arrows and balls still stand out on: blue, sky, mist, cream.
    landscape: [
        Rgb(120, 150, 200),
        Rgb(170, 200, 225),
        Rgb(215, 232, 235),
        Rgb(252, 248, 225),
    ],
    contour: Rgb(20, 30, 50),
    plot_fill: Rgb(255, 255, 255),
    balls: [
        Rgb(200, 30, 90),
        Rgb(0, 0, 60),
        Rgb(60, 90, 0),
        Rgb(135, 75, 195),
        Rgb(75, 0, 15),
        Rgb(75, 0, 150),
    ],
    line_scale: 1.5,
};

/// The theme in use: switched by `--theme`, the T key, the panel and the exhibit's settings.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct Theme(pub &'static Palette);

impl Default for Theme {
    fn default() -> Self {
        Theme(&DARK)
    }
}

impl Theme {
    pub fn named(name: ThemeName) -> Self {
        Theme(name.palette())
    }
}

impl std::ops::Deref for Theme {
    type Target = Palette;
    fn deref(&self) -> &Palette {
        self.0
    }
}
