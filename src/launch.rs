//! How the window starts, as the command line asked, and the message that puts it all back that way.

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;

use crate::math::{Curve, Scheme};
use crate::scene::Scene;
use crate::theme::ThemeName;

/// How the window starts, from the command line. It is also a resource: the state each plugin puts back
/// when [`RestoreLaunch`] is triggered.
#[derive(Resource, Clone, Debug)]
pub struct Launch {
    pub curve: Arc<Curve>,
    pub learning_rate: f64,
    /// Where the ball starts; the curve's own start point when `None`.
    pub start: Option<f64>,
    pub chord_step: f64,
    pub paused: bool,
    /// Save a screenshot here after `frames` frames, then exit.
    pub screenshot: Option<PathBuf>,
    pub frames: u32,
    /// Take the screenshot this many seconds after the first frame instead of after `frames`, with the
    /// window's own pacing.
    pub wait: Option<f64>,
    pub size: (u32, u32),
    pub scheme: Scheme,
    /// Open the panel on the chord lab.
    pub lab: bool,
    /// Show the zoom lens.
    pub lens: bool,
    /// A scenario to start with, by title or number from 1.
    pub scenario: Option<String>,
    /// Steps per second while playing.
    pub speed: f64,
    /// Wait for the display's refresh (off for benchmarks).
    pub vsync: bool,
    /// The scene to open on.
    pub scene: Scene,
    /// Draw f'(x) under scene 1's plot.
    pub slope_plot: bool,
    /// ... only where the ball has been (implies the plot).
    pub trace: bool,
    /// The language the text is shown in, by its file's code (`en`, `es`).
    pub language: String,
    /// The colours.
    pub theme: ThemeName,
    /// How large the whole interface is drawn (1 is 100%), before the window's own scale.
    pub ui_scale: f32,
}

impl Default for Launch {
    fn default() -> Self {
        Self {
            curve: Curve::builtins()[0].clone(),
            learning_rate: 0.1,
            start: None,
            chord_step: 1.0,
            // The window opens still, so a person can read it before anything moves.
            paused: true,
            screenshot: None,
            frames: 120,
            wait: None,
            size: (1280, 720),
            scheme: Scheme::Forward,
            lab: false,
            lens: true,
            scenario: None,
            speed: 2.0,
            vsync: true,
            scene: Scene::Slope,
            slope_plot: false,
            trace: false,
            language: "en".into(),
            theme: ThemeName::Dark,
            ui_scale: 1.0,
        }
    }
}

impl Launch {
    /// Where the ball starts: the one asked for, or the curve's own.
    pub fn start_x(&self) -> f64 {
        self.start.unwrap_or(self.curve.default_start)
    }
}

/// Puts every parameter of the run, the panel and the view back as the [`Launch`] resource says: the state
/// the window opens in, and the clean state the exhibit gives each new visitor. Each plugin observes it and
/// restores only what it owns.
#[derive(Event, Clone, Copy, Debug, Default)]
pub struct RestoreLaunch;

/// Triggers [`RestoreLaunch`] and applies what the observers queued at once, so whatever is set next (an
/// exhibit scene, the bench's speed) builds on the restored state instead of being overwritten by it.
pub fn restore_launch(world: &mut World) {
    world.trigger(RestoreLaunch);
    world.flush();
}

/// Registers the launch resource (the observers are each plugin's own).
pub fn plugin(app: &mut App) {
    app.init_resource::<Launch>();
}
