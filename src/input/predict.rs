//! Predict mode's input: key P turns it on and off, and in it a press on the plot away from the ball (the
//! mouse or one finger) puts the ghost ball there and a drag moves it along the curve. The ball itself still
//! drags as ever ([`super::record_pointer_input`] keeps the presses on it).

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::input::EguiWantsInput;

use super::{GRAB_SLACK, InputGate, egui_has};
use crate::AppSystems;
use crate::scene::Scene;
use crate::sim::predict::{Predict, PredictCommand};
use crate::sim::{Grab, LossCurve};
use crate::view::PlotArea;
use crate::view::slope::ball::{BALL_RADIUS, Ball, Glide};

pub fn plugin(app: &mut App) {
    app.init_resource::<GhostDrag>().add_systems(
        Update,
        (toggle_predict_by_key, record_ghost_input)
            .in_set(AppSystems::RecordInput)
            .run_if(in_state(Scene::Slope)),
    );
}

/// Which pointer is moving the ghost ball, if any.
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq)]
pub struct GhostDrag {
    pub grab: Option<Grab>,
    /// The x last asked for, so the same x is not asked for twice.
    pub last_x: Option<f64>,
}

/// True when a press at `at` is the ghost's: predict mode is on, it is on the plot and not on the ball
/// (drawn at `ball_at`), which keeps its own drag.
pub fn ghost_takes(predict: &Predict, plot: &PlotArea, ball_at: Vec2, at: Vec2) -> bool {
    predict.on && plot.contains(at) && ball_at.distance(at) > BALL_RADIUS + GRAB_SLACK
}

pub fn toggle_predict_by_key(
    keys: Res<ButtonInput<KeyCode>>,
    egui: Option<Res<EguiWantsInput>>,
    gate: Res<InputGate>,
    mut commands: MessageWriter<PredictCommand>,
) {
    if gate.blocked || egui_has(&egui, EguiWantsInput::wants_any_keyboard_input) {
        return;
    }
    if keys.just_pressed(KeyCode::KeyP) {
        commands.write(PredictCommand::Toggle);
    }
}

pub fn record_ghost_input(
    mouse: Res<ButtonInput<MouseButton>>,
    touches: Res<Touches>,
    egui: Option<Res<EguiWantsInput>>,
    gate: Res<InputGate>,
    windows: Query<&Window, With<PrimaryWindow>>,
    plot: Res<PlotArea>,
    loss_curve: Res<LossCurve>,
    ball: Single<&Glide, With<Ball>>,
    predict: Res<Predict>,
    mut ghost: ResMut<GhostDrag>,
    mut commands: MessageWriter<PredictCommand>,
) {
    if gate.blocked || !predict.on {
        ghost.set_if_neq(GhostDrag::default());
        return;
    }
    let cursor = windows.iter().next().and_then(Window::cursor_position);
    let (lo, hi) = plot.x_range;
    let mut place = |ghost: &mut GhostDrag, at: Vec2| {
        let x = plot.screen_to_x(at).clamp(lo, hi);
        if x.is_finite() && ghost.last_x != Some(x) {
            ghost.last_x = Some(x);
            commands.write(PredictCommand::Guess {
                x,
                view_width: hi - lo,
            });
        }
    };
    match ghost.grab {
        Some(Grab::Mouse) => match cursor {
            Some(at) if mouse.pressed(MouseButton::Left) => place(&mut ghost, at),
            _ => *ghost = GhostDrag::default(),
        },
        Some(Grab::Touch(id)) => match touches.get_pressed(id) {
            Some(touch) => place(&mut ghost, touch.position()),
            None => *ghost = GhostDrag::default(),
        },
        None => {
            if egui_has(&egui, EguiWantsInput::wants_any_pointer_input) {
                return;
            }
            let Some((grab, at)) = super::new_press(&mouse, &touches, cursor) else {
                return;
            };
            let x = ball.x();
            let ball_at = plot.to_screen(x, loss_curve.0.value(x));
            if gate.in_corner(at) || !ghost_takes(&predict, &plot, ball_at, at) {
                return;
            }
            *ghost = GhostDrag {
                grab: Some(grab),
                last_x: None,
            };
            place(&mut ghost, at);
        }
    }
}
