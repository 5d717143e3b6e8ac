//! Every headless ECS test builds its app here: the simulation under simulated time, with Bevy's real input
//! or keys set by hand, both scenes' input, and the exhibit on top; no window.
#![allow(dead_code)]

use std::time::Duration;

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use downhill::Launch;
use downhill::exhibit::{ExhibitConfig, ExhibitPlugin};
use downhill::scene::Scene;

/// The simulation with Bevy's real input handling, advancing `frame` of simulated time per update.
pub fn app(frame: Duration) -> App {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .add_plugins(bevy::input::InputPlugin)
        .add_plugins((downhill::core_plugin, downhill::sim::plugin))
        .insert_resource(TimeUpdateStrategy::ManualDuration(frame));
    app
}

/// The simulation alone: no input at all, only commands.
pub fn sim_app(frame: Duration) -> App {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .add_plugins((downhill::core_plugin, downhill::sim::plugin))
        .insert_resource(TimeUpdateStrategy::ManualDuration(frame));
    app
}

/// The simulation with both scenes' input reading keys, buttons and fingers that a test sets by hand (no
/// Bevy input plugin to clear them between frames).
pub fn keys_by_hand_app(frame: Duration) -> App {
    let mut app = sim_app(frame);
    app.init_resource::<ButtonInput<KeyCode>>()
        .init_resource::<ButtonInput<MouseButton>>()
        .init_resource::<Touches>()
        .init_resource::<bevy::input::mouse::AccumulatedMouseScroll>();
    add_input(&mut app);
    app
}

/// A key pressed for one update and let go, in an app from [`keys_by_hand_app`].
pub fn press(app: &mut App, key: KeyCode) {
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .press(key);
    app.update();
    let mut keys = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
    keys.release(key);
    keys.clear();
}

/// Both scenes' input, with the plot scene 1's pointer maps onto as a window has it.
pub fn add_input(app: &mut App) {
    app.add_plugins(downhill::input::plugin)
        .init_resource::<downhill::view::PlotArea>();
}

/// Puts scene 2 on screen from the next update on.
pub fn show_gradient(app: &mut App) {
    app.world_mut()
        .resource_mut::<NextState<Scene>>()
        .set(Scene::Gradient);
}

/// Adds both scenes' input and exhibit mode with `config`, starting from the default launch.
pub fn add_exhibit(app: &mut App, config: ExhibitConfig) {
    add_exhibit_with(app, config, Launch::default());
}

/// Adds both scenes' input and exhibit mode with `config`, each visitor finding `launch`.
pub fn add_exhibit_with(app: &mut App, config: ExhibitConfig, launch: Launch) {
    add_input(app);
    app.insert_resource(launch);
    downhill::launch::restore_launch(app.world_mut());
    app.add_plugins(ExhibitPlugin { config });
}

/// A finger event, as the window would send it (read on the next update).
pub fn touch(app: &mut App, id: u64, at: Vec2, phase: bevy::input::touch::TouchPhase) {
    app.world_mut()
        .write_message(bevy::input::touch::TouchInput {
            phase,
            position: at,
            window: Entity::PLACEHOLDER,
            force: None,
            id,
        });
}

/// A key going down or up, as the window would send it (read on the next update).
pub fn key(app: &mut App, code: KeyCode, state: bevy::input::ButtonState) {
    use bevy::input::keyboard::{Key, KeyboardInput, NativeKey};
    app.world_mut().write_message(KeyboardInput {
        key_code: code,
        logical_key: Key::Unidentified(NativeKey::Unidentified),
        state,
        text: None,
        repeat: false,
        window: Entity::PLACEHOLDER,
    });
}
