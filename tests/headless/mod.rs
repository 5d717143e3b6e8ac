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
