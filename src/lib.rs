//! downhill: a ball rolling down a loss curve, with the tangent and the chord that explain each step.

pub mod bench;
pub mod capture;
pub mod cli;
pub mod exhibit;
pub mod input;
pub mod math;
pub mod pacing;
pub mod regression;
pub mod scenarios;
pub mod sim;
pub mod text;
pub mod theme;
pub mod ui;
pub mod view;

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::window::{CursorOptions, MonitorSelection, PresentMode, WindowMode, WindowResolution};
use bevy_egui::EguiPlugin;

use math::Curve;
use math::descent::Descent;
use sim::{ChordStep, DifferenceScheme, Landscape, LearningRate, Playback, Run};
use text::LessonText;

/// The order of a frame: what people did, then the run, then what is drawn.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppSystems {
    RecordInput,
    Simulate,
    View,
}

/// Chains the frame's sets: input, then simulation, then view.
pub fn order_systems(app: &mut App) {
    app.configure_sets(
        Update,
        (
            AppSystems::RecordInput,
            AppSystems::Simulate,
            AppSystems::View,
        )
            .chain(),
    );
}

/// How the window starts, from the command line.
#[derive(Clone, Debug)]
pub struct Launch {
    pub curve: std::sync::Arc<Curve>,
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
    pub scheme: math::Scheme,
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
    /// Run as an unattended exhibit with these settings.
    pub exhibit: Option<exhibit::ExhibitConfig>,
    /// The scene to open on.
    pub scene: regression::Scene,
}

impl Default for Launch {
    fn default() -> Self {
        Self {
            curve: Landscape::default().0,
            learning_rate: LearningRate::default().0,
            start: None,
            chord_step: ChordStep::default().0,
            // The window opens still, so a person can read it before anything moves.
            paused: true,
            screenshot: None,
            frames: 120,
            wait: None,
            size: (1280, 720),
            scheme: math::Scheme::Forward,
            lab: false,
            lens: true,
            scenario: None,
            speed: sim::StepsPerSecond::default().0,
            vsync: true,
            exhibit: None,
            scene: regression::Scene::Slope,
        }
    }
}

/// The window as the command line asked for it. An exhibit fills its monitor without a border, hides the
/// pointer unless told otherwise, and does not close when asked to.
pub fn window_plugin(launch: &Launch) -> WindowPlugin {
    let mut window = Window {
        title: "downhill: the slope at a point".into(),
        resolution: WindowResolution::new(launch.size.0, launch.size.1),
        present_mode: if launch.vsync {
            PresentMode::AutoVsync
        } else {
            PresentMode::AutoNoVsync
        },
        ..default()
    };
    let mut cursor = CursorOptions::default();
    let mut close_when_requested = true;
    if let Some(exhibit) = &launch.exhibit {
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

/// Puts every parameter of the run, the panel and the view back as the command line set them: the state the
/// window opens in, and the clean state the exhibit gives each new visitor.
pub fn put_launch_state(world: &mut World, launch: &Launch) {
    let start = launch.start.unwrap_or(launch.curve.default_start);
    world.insert_resource(Landscape(launch.curve.clone()));
    world.insert_resource(LearningRate(launch.learning_rate));
    world.insert_resource(ChordStep(launch.chord_step));
    world.insert_resource(Run(Descent::new(&launch.curve, start)));
    world.insert_resource(Playback::new(!launch.paused));
    world.insert_resource(DifferenceScheme(launch.scheme));
    world.insert_resource(sim::StepsPerSecond(launch.speed));
    world.insert_resource(sim::Rivals::default());
    world.insert_resource(sim::OptimizerSettings::default());
    world.insert_resource(sim::ChordShrink::default());
    world.insert_resource(input::PointerDrag::default());
    world.insert_resource(view::lens::ZoomLens(launch.lens));
    world.insert_resource(regression::ActiveScene(launch.scene));
    world.insert_resource(regression::Regression::default());
    world.insert_resource(ui::PanelState::opened_on(if launch.lab {
        ui::Tab::ChordLab
    } else {
        ui::Tab::Descent
    }));
}

/// The whole program: Bevy's default plugins, egui, then one plugin per module.
pub struct AppPlugin {
    pub launch: Launch,
    pub lesson: LessonText,
    pub scenarios: scenarios::Scenarios,
}

impl Plugin for AppPlugin {
    fn build(&self, app: &mut App) {
        let launch = &self.launch;
        app.add_plugins(DefaultPlugins.set(window_plugin(launch)))
            .add_plugins(EguiPlugin::default())
            .insert_resource(self.lesson.clone())
            .insert_resource(self.scenarios.clone())
            .add_plugins((
                order_systems,
                pacing::plugin,
                sim::plugin,
                input::plugin,
                view::plugin,
                regression::plugin,
                ui::plugin,
            ));

        put_launch_state(app.world_mut(), launch);
        if let Some(config) = &launch.exhibit {
            // A failing system is logged and the exhibit carries on, instead of the whole program stopping.
            app.set_error_handler(bevy::ecs::error::warn);
            app.add_plugins(exhibit::ExhibitPlugin {
                config: config.clone(),
                defaults: launch.clone(),
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
        if let Some(path) = &launch.screenshot {
            let after = match launch.wait {
                // The window keeps its own pacing; it is only woken when the moment comes.
                Some(seconds) => capture::After::Seconds(seconds),
                None => {
                    // Counting frames needs frames to keep coming while nothing moves.
                    app.insert_resource(pacing::KeepAnimating(true));
                    capture::After::Frames(launch.frames)
                }
            };
            app.insert_resource(capture::CaptureRequest {
                path: path.clone(),
                after,
            })
            .add_plugins(capture::plugin);
        }
    }
}
