//! Which scene is on screen, as a Bevy state (each scene's systems run only in theirs), and which parts of
//! the screen are shown.

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;

/// The two scenes.
#[derive(States, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Scene {
    /// Scene 1: one variable, the slope at a point.
    #[default]
    Slope,
    /// Scene 2: two parameters, the gradient, a line fitted to points.
    Gradient,
}

/// Which parts of the screen are shown: the exhibit's attract loop hides the panel and the captions, and a
/// visitor gets the visitor panel without the technical overlays.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    /// The desktop's whole panel.
    pub panel: bool,
    /// The curve's caption and the key strip under the plot.
    pub captions: bool,
    /// The exhibit's visitor panel (big buttons, nothing that needs a keyboard) instead of the whole one.
    pub visitor: bool,
    /// Numbers for the curious: the lens's zoom and h, the plot zoom's readout, "ball at x = ...".
    pub technical: bool,
}

impl Shown {
    pub fn everything() -> Self {
        Self {
            panel: true,
            captions: true,
            visitor: false,
            technical: true,
        }
    }

    /// The attract loop: the scene and its own caption only.
    pub fn attract() -> Self {
        Self {
            panel: false,
            captions: false,
            visitor: false,
            technical: false,
        }
    }

    /// A visitor at the exhibit: the visitor panel and the scene, in everyday words.
    pub fn visitor() -> Self {
        Self {
            panel: false,
            captions: false,
            visitor: true,
            technical: false,
        }
    }
}

impl Default for Shown {
    fn default() -> Self {
        Self::everything()
    }
}

/// Registers the scene state (and Bevy's states, when the app has not got them yet).
pub fn plugin(app: &mut App) {
    if !app.is_plugin_added::<StatesPlugin>() {
        app.add_plugins(StatesPlugin);
    }
    app.init_state::<Scene>().init_resource::<Shown>();
}
