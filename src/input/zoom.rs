//! Scene 1's zoom from the wheel, a two-finger pinch on the plot, and the keys = and - (zoom), 0 (the whole
//! curve) and I (the "Zoom in" animation).

use bevy::input::mouse::AccumulatedMouseScroll;
use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::input::EguiWantsInput;

use super::InputGate;
use crate::AppSystems;
use crate::scene::Scene;
use crate::view::PlotArea;
use crate::view::slope::zoom::ZoomCommand;

/// One notch of the wheel zooms by this much.
pub const WHEEL_STEP: f64 = 1.25;
/// The keys zoom by this much.
pub const KEY_STEP: f64 = 2.0;

pub fn plugin(app: &mut App) {
    app.add_message::<ZoomCommand>().add_systems(
        Update,
        (record_zoom_keys, record_wheel_and_pinch)
            .in_set(AppSystems::RecordInput)
            .run_if(in_state(Scene::Slope)),
    );
}

fn record_zoom_keys(
    keys: Res<ButtonInput<KeyCode>>,
    egui: Option<Res<EguiWantsInput>>,
    gate: Res<InputGate>,
    mut zoom: MessageWriter<ZoomCommand>,
) {
    if gate.blocked || egui.is_some_and(|e| e.wants_any_keyboard_input()) {
        return;
    }
    // Ctrl with these keys is kept for the size of the whole interface, as in a browser.
    if super::ctrl_held(&keys) {
        return;
    }
    if keys.any_just_pressed([KeyCode::Equal, KeyCode::NumpadAdd]) {
        zoom.write(ZoomCommand::By(KEY_STEP));
    }
    if keys.any_just_pressed([KeyCode::Minus, KeyCode::NumpadSubtract]) {
        zoom.write(ZoomCommand::By(1.0 / KEY_STEP));
    }
    if keys.any_just_pressed([KeyCode::Digit0, KeyCode::Numpad0]) {
        zoom.write(ZoomCommand::Whole);
    }
    if keys.just_pressed(KeyCode::KeyI) {
        zoom.write(ZoomCommand::Animate);
    }
}

/// The zoom a pinch asks for: how much further apart two fingers are than a frame ago (1 when they cannot
/// tell: a finger that has not moved, or both at one point).
pub fn pinch_factor(now: [Vec2; 2], before: [Vec2; 2]) -> f64 {
    let (a, b) = (now[0].distance(now[1]), before[0].distance(before[1]));
    if a > 1.0 && b > 1.0 && (a / b).is_finite() {
        (a / b) as f64
    } else {
        1.0
    }
}

fn record_wheel_and_pinch(
    scroll: Res<AccumulatedMouseScroll>,
    touches: Res<Touches>,
    windows: Query<&Window, With<PrimaryWindow>>,
    egui: Option<Res<EguiWantsInput>>,
    gate: Res<InputGate>,
    plot: Res<PlotArea>,
    mut zoom: MessageWriter<ZoomCommand>,
) {
    if gate.blocked {
        return;
    }
    let egui_wants = egui.is_some_and(|e| e.wants_any_pointer_input());
    let cursor = windows.iter().next().and_then(Window::cursor_position);
    if scroll.delta.y != 0.0 && !egui_wants && cursor.is_some_and(|at| plot.contains(at)) {
        // A line of a wheel is one notch; a touchpad's pixels add up to notches of about 50.
        let notches = match scroll.unit {
            bevy::input::mouse::MouseScrollUnit::Line => scroll.delta.y as f64,
            bevy::input::mouse::MouseScrollUnit::Pixel => scroll.delta.y as f64 / 50.0,
        };
        zoom.write(ZoomCommand::By(WHEEL_STEP.powf(notches)));
    }
    let fingers: Vec<_> = touches.iter().collect();
    if let [a, b] = fingers[..]
        && plot.contains((a.position() + b.position()) / 2.0)
    {
        let factor = pinch_factor(
            [a.position(), b.position()],
            [a.previous_position(), b.previous_position()],
        );
        if factor != 1.0 {
            zoom.write(ZoomCommand::By(factor));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingers_moving_apart_zoom_in_by_how_much_further_apart_they_are() {
        let before = [Vec2::new(100.0, 100.0), Vec2::new(200.0, 100.0)];
        let now = [Vec2::new(50.0, 100.0), Vec2::new(250.0, 100.0)];
        assert_eq!(pinch_factor(now, before), 2.0);
        assert_eq!(pinch_factor(before, now), 0.5);
        // Two fingers on one spot say nothing.
        assert_eq!(pinch_factor([Vec2::ZERO; 2], before), 1.0);
    }
}
