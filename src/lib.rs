//! downhill: a ball rolling down a loss curve, with the tangent and the chord that explain each step.

//!
//! The modules stand on floors; each uses only the floors below its own (and its own floor's modules, none
//! of them both ways). `tests/floors.rs` checks it.
//!
//! | floor | modules |
//! |---|---|
//! | 0 | `math` |
//! | 1 | `limits`, `theme`, `text`, `scene`, `launch`, `link`, `scenarios` |
//! | 2 | `sim` |
//! | 3 | `view` |
//! | 4 | `input` |
//! | 5 | `ui`, `pacing` |
//! | 6 | `exhibit` |
//! | 9 | `capture`, `bench`, `cli`, `files` (the desktop program) and `web` (the web page) |
//!
//! This root composes them and holds what every floor shares: the frame's system sets. Only floor 9 knows
//! where it runs: the command line, the benchmark, screenshots and asset files on disk are built for the
//! desktop only, the page's address and DOM for `wasm32` only.

pub mod math;

pub mod launch;
pub mod limits;
pub mod link;
pub mod scenarios;
pub mod scene;
pub mod text;
pub mod theme;

pub mod sim;

pub mod view;

pub mod input;

pub mod pacing;
pub mod ui;

pub mod exhibit;

#[cfg(not(target_arch = "wasm32"))]
pub mod bench;
#[cfg(not(target_arch = "wasm32"))]
pub mod capture;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(not(target_arch = "wasm32"))]
pub mod files;
#[cfg(target_arch = "wasm32")]
pub mod web;

use bevy::prelude::*;
use bevy::window::{CursorOptions, MonitorSelection, PresentMode, WindowMode, WindowResolution};
use bevy_egui::{EguiPlugin, EguiPrimaryContextPass};

pub use launch::{Launch, RestoreLaunch};

/// The order of a frame: what people did, then the run, then what is drawn.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppSystems {
    RecordInput,
    Simulate,
    View,
}

/// The order of egui's pass, back to front: each set paints over the one before.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EguiPass {
    /// The scene's own painting: scene 1's overlay (tangent and chord labels, legend) or scene 2's plots.
    Scene,
    /// The race's labels and the loss plot over scene 1.
    Cues,
    /// The zoom lens.
    Lens,
    /// The control panel and the captions.
    Panel,
    /// The exhibit's attract caption, prompt and keypad, over everything.
    Exhibit,
}

/// What every app of downhill has, the headless tests' too: the frame's sets in order (input, then
/// simulation, then view; egui's pass back to front), the scene state, and the launch it restores.
pub fn core_plugin(app: &mut App) {
    app.configure_sets(
        Update,
        (
            AppSystems::RecordInput,
            AppSystems::Simulate,
            AppSystems::View,
        )
            .chain(),
    );
    app.configure_sets(
        EguiPrimaryContextPass,
        (
            EguiPass::Scene,
            EguiPass::Cues,
            EguiPass::Lens,
            EguiPass::Panel,
            EguiPass::Exhibit,
        )
            .chain(),
    );
    app.add_plugins((scene::plugin, launch::plugin));
}

/// The window as the command line asked for it. An exhibit fills its monitor without a border, hides the
/// pointer unless told otherwise, and does not close when asked to.
pub fn window_plugin(launch: &Launch, exhibit: Option<&exhibit::ExhibitConfig>) -> WindowPlugin {
    let mut window = Window {
        title: "downhill: the slope at a point".into(),
        resolution: WindowResolution::new(launch.size.0, launch.size.1),
        present_mode: if launch.vsync {
            PresentMode::AutoVsync
        } else {
            PresentMode::AutoNoVsync
        },
        // On a web page: draw into the page's canvas and follow its size (the page keeps the canvas's
        // parent at the browser window's size, so the two cannot grow each other).
        canvas: Some("#downhill".into()),
        fit_canvas_to_parent: true,
        ..default()
    };
    let mut cursor = CursorOptions::default();
    let mut close_when_requested = true;
    if let Some(exhibit) = exhibit {
        if exhibit.fullscreen {
            // It opens as a plain window without a border; as soon as the monitors are known, the exhibit
            // makes it borderless fullscreen and also sizes and places it on the monitor itself
            // (`exhibit::fill_the_monitor`), which is what fills the screen when no window manager runs.
            // Opened fullscreen instead, it would stay at 800 x 600 on a bare X server while Bevy believed
            // it had the size asked for here, so the resize to the monitor would never be sent.
            window.mode = WindowMode::Windowed;
            window.position =
                bevy::window::WindowPosition::Centered(MonitorSelection::Index(exhibit.monitor));
            window.decorations = false;
        }
        cursor.visible = exhibit.show_cursor;
        close_when_requested = false;
    }
    WindowPlugin {
        primary_window: Some(window),
        primary_cursor_options: Some(cursor),
        close_when_requested,
        ..default()
    }
}

/// The whole program: Bevy's default plugins, egui, then one plugin per module.
pub struct AppPlugin {
    pub launch: Launch,
    /// Run as an unattended exhibit with these settings.
    pub exhibit: Option<exhibit::ExhibitConfig>,
    /// Every language's text; the window opens in `launch.language`.
    pub languages: text::Languages,
    pub scenarios: scenarios::Scenarios,
}

impl Plugin for AppPlugin {
    fn build(&self, app: &mut App) {
        let launch = &self.launch;
        app.add_plugins(DefaultPlugins.set(window_plugin(launch, self.exhibit.as_ref())))
            .add_plugins(EguiPlugin::default())
            .insert_resource(
                self.languages
                    .get(&launch.language)
                    .unwrap_or(self.languages.first())
                    .clone(),
            )
            .insert_resource(self.languages.clone())
            .insert_resource(text::CurrentLanguage(launch.language.clone()))
            .insert_resource(self.scenarios.clone())
            .add_plugins((
                core_plugin,
                sim::plugin,
                view::plugin,
                input::plugin,
                pacing::plugin,
                ui::plugin,
            ))
            .insert_resource(launch.clone());
        launch::restore_launch(app.world_mut());
        if let Some(config) = &self.exhibit {
            // A failing system is logged and the exhibit carries on, instead of the whole program stopping.
            app.set_error_handler(bevy::ecs::error::warn);
            app.add_plugins(exhibit::ExhibitPlugin {
                config: config.clone(),
            });
        }
        if let Some(wanted) = &launch.scenario {
            let found = self.scenarios.find(wanted);
            app.add_systems(
                Startup,
                move |mut commands: MessageWriter<sim::RunCommand>| {
                    if let Some(scenario) = &found {
                        commands.write(sim::RunCommand::Scenario(scenario.clone()));
                    }
                },
            );
        }
        #[cfg(not(target_arch = "wasm32"))]
        capture::add_if_asked(app, launch);
    }
}
