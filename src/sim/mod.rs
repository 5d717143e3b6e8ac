//! The state of both scenes' runs and the systems that advance them: scene 1's ball on a curve
//! ([`slope`]), scene 2's line fitted to points ([`gradient`]), and the stepper both play with
//! ([`playback`]).
//!
//! Input and the panel write parameters and commands; the fixed-step systems here advance the runs; the
//! view and the panel only read what this module owns.

pub mod gradient;
pub mod playback;
pub mod predict;
pub mod slope;

pub use slope::*;

use bevy::prelude::*;

use crate::AppSystems;
use crate::launch::{Launch, RestoreLaunch};
use crate::math::descent::Descent;
use crate::scene::Scene;

pub fn plugin(app: &mut App) {
    app.insert_resource(Time::<Fixed>::from_hz(TICKS_PER_SECOND))
        .init_resource::<LossCurve>()
        .init_resource::<LearningRate>()
        .init_resource::<ChordStep>()
        .init_resource::<StepsPerSecond>()
        .init_resource::<Playback>()
        .init_resource::<ChordShrink>()
        .init_resource::<DifferenceScheme>()
        .init_resource::<Rivals>()
        .init_resource::<OptimizerSettings>()
        .init_resource::<Run>()
        .init_resource::<PointerDrag>()
        .init_resource::<BallHeld>()
        .add_message::<RunCommand>()
        .add_systems(Update, apply_run_commands.in_set(AppSystems::Simulate))
        .add_systems(
            FixedUpdate,
            (advance_run_on_schedule, shrink_chord_step)
                .in_set(AppSystems::Simulate)
                .run_if(in_state(Scene::Slope)),
        )
        .add_observer(restore_launch)
        .add_plugins((gradient::plugin, predict::plugin));
}

/// Both runs as the launch set them, paused unless it said play, and the scene it named on screen.
fn restore_launch(
    _: On<RestoreLaunch>,
    launch: Res<Launch>,
    mut scene: ResMut<NextState<Scene>>,
    mut commands: Commands,
) {
    commands.insert_resource(LossCurve(launch.curve.clone()));
    commands.insert_resource(LearningRate(launch.learning_rate));
    commands.insert_resource(ChordStep(launch.chord_step));
    commands.insert_resource(Run(Descent::new(&launch.curve, launch.start_x())));
    commands.insert_resource(Playback::new(!launch.paused));
    commands.insert_resource(DifferenceScheme(launch.scheme));
    commands.insert_resource(StepsPerSecond(launch.speed));
    commands.insert_resource(Rivals::default());
    commands.insert_resource(OptimizerSettings::default());
    commands.insert_resource(ChordShrink::default());
    commands.insert_resource(PointerDrag::default());
    commands.insert_resource(BallHeld(false));
    commands.insert_resource(gradient::GradientRun::default());
    scene.set(launch.scene);
}
