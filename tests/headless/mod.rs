//! What the headless ECS tests share: the app with simulated time and Bevy's real input handling, no window,
//! and the exhibit on top of it.
#![allow(dead_code)]

use std::time::Duration;

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use downhill::Launch;
use downhill::exhibit::{ExhibitConfig, ExhibitPlugin};

/// The simulation with input, advancing `frame` of simulated time per update.
pub fn app(frame: Duration) -> App {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .add_plugins(bevy::input::InputPlugin)
        .add_plugins((downhill::order_systems, downhill::sim::plugin))
        .insert_resource(TimeUpdateStrategy::ManualDuration(frame));
    app
}

/// Adds scene 1's input and exhibit mode with `config`, starting from the default launch.
pub fn add_exhibit(app: &mut App, config: ExhibitConfig) {
    let launch = Launch::default();
    app.add_plugins(downhill::input::plugin)
        .init_resource::<downhill::view::PlotArea>()
        .init_resource::<downhill::ui::Shown>();
    downhill::put_launch_state(app.world_mut(), &launch);
    app.add_plugins(ExhibitPlugin {
        config,
        defaults: launch,
    });
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
