//! Scene 2's keys, mouse and touch turned into [`GradientCommand`]s: the ball on the landscape dragged to a
//! new start, the landscape panned and zoomed, data points added and dragged.

use bevy::input::mouse::AccumulatedMouseScroll;
use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::input::EguiWantsInput;

use super::InputGate;
use crate::AppSystems;
use crate::math::regression::{MAX_POINTS, Point};
use crate::scene::Scene;
use crate::sim::gradient::{GradientCommand, GradientRun};
use crate::view::gradient::Layout;

pub fn plugin(app: &mut App) {
    // The layout is the view's; the pointer reads it, and without a window it stays at its default.
    app.init_resource::<Grab>()
        .init_resource::<Layout>()
        .add_systems(
            Update,
            (record_gradient_keys, record_gradient_pointer)
                .in_set(AppSystems::RecordInput)
                .run_if(in_state(Scene::Gradient)),
        );
}

fn record_gradient_keys(
    keys: Res<ButtonInput<KeyCode>>,
    egui: Option<Res<EguiWantsInput>>,
    gate: Option<Res<InputGate>>,
    gradient: Res<GradientRun>,
    mut commands: MessageWriter<GradientCommand>,
) {
    if gate.is_some_and(|g| g.blocked) || egui.is_some_and(|e| e.wants_any_keyboard_input()) {
        return;
    }
    let lr = gradient.learning_rate;
    let pairs = [
        (KeyCode::Space, GradientCommand::TogglePlay),
        (KeyCode::ArrowRight, GradientCommand::Step),
        (KeyCode::KeyR, GradientCommand::Reset),
        (KeyCode::Enter, GradientCommand::Fit),
        (KeyCode::ArrowUp, GradientCommand::SetLearningRate(lr * 2.0)),
        (
            KeyCode::ArrowDown,
            GradientCommand::SetLearningRate(lr / 2.0),
        ),
        (KeyCode::KeyV, GradientCommand::FitView),
    ];
    for (key, command) in pairs {
        if keys.just_pressed(key) {
            commands.write(command);
        }
    }
}

/// What the pointer holds in scene 2.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub enum Grab {
    #[default]
    Nothing,
    /// The ball on the landscape: the start (w, b) follows.
    Ball,
    /// The landscape itself: dragging pans it; the (w, b) under the pointer stays under it.
    Landscape { last: Vec2 },
    /// A data point.
    Point(usize),
}

/// A press, a drag and a release from the mouse or one finger, in logical pixels.
fn pointer_state(
    mouse: &ButtonInput<MouseButton>,
    touches: &Touches,
    window: Option<&Window>,
) -> Option<(Vec2, bool, bool)> {
    if let Some(touch) = touches.iter().next() {
        let just = touches.just_pressed(touch.id());
        return Some((touch.position(), just, true));
    }
    // A tap so quick that the finger went down and up within one frame still counts as a press.
    if let Some(touch) = touches.iter_just_released().next() {
        return Some((touch.position(), touches.just_pressed(touch.id()), false));
    }
    let at = window.and_then(Window::cursor_position)?;
    Some((
        at,
        mouse.just_pressed(MouseButton::Left),
        mouse.pressed(MouseButton::Left),
    ))
}

fn record_gradient_pointer(
    mouse: Res<ButtonInput<MouseButton>>,
    touches: Res<Touches>,
    scroll: Res<AccumulatedMouseScroll>,
    windows: Query<&Window, With<PrimaryWindow>>,
    egui: Option<Res<EguiWantsInput>>,
    gate: Option<Res<InputGate>>,
    layout: Res<Layout>,
    gradient: Res<GradientRun>,
    mut grab: ResMut<Grab>,
    mut commands: MessageWriter<GradientCommand>,
) {
    if gate.is_some_and(|g| g.blocked) {
        *grab = Grab::Nothing;
        return;
    }
    let Some((at, pressed_now, held)) = pointer_state(&mouse, &touches, windows.iter().next())
    else {
        *grab = Grab::Nothing;
        return;
    };
    let egui_wants = egui.is_some_and(|e| e.wants_any_pointer_input());
    // The wheel zooms the landscape about the point under the pointer.
    if scroll.delta.y != 0.0 && layout.landscape.contains(at) && !egui_wants {
        let about = layout.to_wb(&gradient.view, at);
        let factor = if scroll.delta.y > 0.0 {
            0.85
        } else {
            1.0 / 0.85
        };
        commands.write(GradientCommand::Zoom(factor, about));
    }
    if !held && !pressed_now {
        *grab = Grab::Nothing;
        return;
    }
    if pressed_now {
        if egui_wants {
            return;
        }
        let ball = layout.to_screen(&gradient.view, gradient.fit.w, gradient.fit.b);
        let near_point = gradient
            .points
            .iter()
            .position(|p| layout.data_to_screen(p.x, p.y).distance(at) <= 22.0);
        *grab = if layout.landscape.contains(at) && ball.distance(at) <= 24.0 {
            Grab::Ball
        } else if layout.landscape.contains(at) {
            Grab::Landscape { last: at }
        } else if let Some(i) = near_point {
            Grab::Point(i)
        } else if layout.data.contains(at) {
            if gradient.points.len() < MAX_POINTS {
                let (x, y) = layout.screen_to_data(at);
                commands.write(GradientCommand::AddPoint(Point { x, y }));
                Grab::Point(gradient.points.len())
            } else {
                Grab::Nothing
            }
        } else {
            Grab::Nothing
        };
        if !held {
            // A click or tap: it has done its work; nothing stays grabbed.
            *grab = Grab::Nothing;
        }
        return;
    }
    match *grab {
        Grab::Nothing => {}
        Grab::Ball => {
            let (w, b) = layout.to_wb(&gradient.view, at);
            if (w, b) != (gradient.fit.start.0, gradient.fit.start.1) {
                commands.write(GradientCommand::StartAt(w, b));
            }
        }
        Grab::Landscape { last } => {
            if at != last {
                let (w0, b0) = layout.to_wb(&gradient.view, last);
                let (w1, b1) = layout.to_wb(&gradient.view, at);
                commands.write(GradientCommand::Pan(w0 - w1, b0 - b1));
                *grab = Grab::Landscape { last: at };
            }
        }
        Grab::Point(i) => {
            let (x, y) = layout.screen_to_data(at.clamp(layout.data.min, layout.data.max));
            commands.write(GradientCommand::MovePoint(i, Point { x, y }));
        }
    }
}
