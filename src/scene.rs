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

/// Which parts of the screen are shown: the exhibit's attract loop hides the panel and the captions.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub panel: bool,
    pub captions: bool,
}

impl Shown {
    pub fn everything() -> Self {
        Self {
            panel: true,
            captions: true,
        }
    }

    /// The attract loop: the scene and its own caption only.
    pub fn attract() -> Self {
        Self {
            panel: false,
            captions: false,
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
