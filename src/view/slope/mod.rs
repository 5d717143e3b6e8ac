//! Scene 1 in the world: the curve with its grid and axes, the ball, the tangent and the chord, the race's
//! balls and trails; the slope plot under it; and painted over them with egui, their labels, the legend and
//! the zoom lens.

pub mod ball;
pub mod curve;
pub mod derivative;
pub mod guides;
pub mod lens;
pub mod overlay;
pub mod predict;
pub mod race;
pub mod zoom;

use super::labels;
use super::{PanelWidth, PlotArea};

pub fn plugin(app: &mut bevy::prelude::App) {
    app.add_plugins((
        curve::plugin,
        ball::plugin,
        guides::plugin,
        overlay::plugin,
        lens::plugin,
        race::plugin,
        derivative::plugin,
        predict::plugin,
        zoom::plugin,
    ));
}
