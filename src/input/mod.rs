//! Keys, mouse and touch turned into parameters and commands, for both scenes (scene 2's in [`gradient`]).
//! Nothing here moves a ball itself.

pub mod gradient;
pub mod predict;
pub mod zoom;

use bevy::prelude::*;
use bevy::window::{MonitorSelection, PrimaryWindow, WindowMode};
use bevy_egui::input::EguiWantsInput;

use crate::AppSystems;
use crate::scene::Scene;
use crate::sim::{
    ChordStep, Grab, LearningRate, LossCurve, PointerDrag, RunCommand, ShrinkCommand,
};
use crate::theme::{TextScale, Theme};
use crate::view::PlotArea;
use crate::view::slope::ball::{BALL_RADIUS, Ball, Glide};
use crate::view::slope::derivative::{SlopePlot, SlopePlotArea};
use crate::view::slope::lens::ZoomLens;

/// How far outside the ball a press still grabs it, in logical pixels (a fingertip is wide).
const GRAB_SLACK: f32 = 18.0;

pub fn plugin(app: &mut App) {
    app.init_resource::<InputGate>()
        .add_message::<ToggleLab>()
        .add_systems(
            PreUpdate,
            switch_scene_by_key.after(bevy::input::InputSystems),
        )
        .add_systems(
            Update,
            (record_keyboard_input, record_pointer_input)
                .in_set(AppSystems::RecordInput)
                .run_if(in_state(Scene::Slope)),
        )
        .add_plugins((gradient::plugin, zoom::plugin, predict::plugin));
}

/// What the exhibit lets through: nothing while `blocked` (the attract loop, and the touch that ends it), no
/// window keys when `locked_down`, and no presses in the staff corner.
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq)]
pub struct InputGate {
    pub blocked: bool,
    pub locked_down: bool,
    /// The top-left square (width, height) kept for the staff taps.
    pub corner: Option<Vec2>,
}

impl InputGate {
    fn in_corner(&self, at: Vec2) -> bool {
        self.corner.is_some_and(|c| at.x <= c.x && at.y <= c.y)
    }
}

/// The L key: the panel switches between its descent side and the chord lab.
#[derive(Message, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ToggleLab;

/// Keys 1 and 2 choose the scene. This runs before the frame's state transition, so the scene chosen is on
/// screen, and takes its keys, in the same frame.
fn switch_scene_by_key(
    keys: Res<ButtonInput<KeyCode>>,
    egui: Option<Res<EguiWantsInput>>,
    gate: Option<Res<InputGate>>,
    mut scene: ResMut<NextState<Scene>>,
) {
    if gate.is_some_and(|g| g.blocked) || egui.is_some_and(|e| e.wants_any_keyboard_input()) {
        return;
    }
    if keys.just_pressed(KeyCode::Digit1) {
        NextState::set_if_neq(&mut *scene, Scene::Slope);
    }
    if keys.just_pressed(KeyCode::Digit2) {
        NextState::set_if_neq(&mut *scene, Scene::Gradient);
    }
}

fn egui_has(egui: &Option<Res<EguiWantsInput>>, wants: impl Fn(&EguiWantsInput) -> bool) -> bool {
    egui.as_deref().is_some_and(wants)
}

/// Ctrl is down, or was let go this frame: a quick Ctrl+= can reach a slow frame whole, Ctrl already up
/// again by the time the frame reads the keys.
pub fn ctrl_held(keys: &ButtonInput<KeyCode>) -> bool {
    let ctrl = [KeyCode::ControlLeft, KeyCode::ControlRight];
    keys.any_pressed(ctrl) || keys.any_just_released(ctrl)
}

pub fn record_keyboard_input(
    keys: Res<ButtonInput<KeyCode>>,
    egui: Option<Res<EguiWantsInput>>,
    gate: Res<InputGate>,
    mut learning_rate: ResMut<LearningRate>,
    chord: Res<ChordStep>,
    mut lens: Option<ResMut<ZoomLens>>,
    mut slope_plot: Option<ResMut<SlopePlot>>,
    mut lab: MessageWriter<ToggleLab>,
    mut commands: MessageWriter<RunCommand>,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
    mut theme: Option<ResMut<Theme>>,
    mut text_scale: Option<ResMut<TextScale>>,
) {
    if gate.blocked || egui_has(&egui, EguiWantsInput::wants_any_keyboard_input) {
        return;
    }
    if keys.just_pressed(KeyCode::Space) {
        commands.write(RunCommand::TogglePlay);
    }
    if keys.just_pressed(KeyCode::ArrowRight) {
        commands.write(RunCommand::Step);
    }
    if keys.just_pressed(KeyCode::ArrowLeft) {
        commands.write(RunCommand::StepBack);
    }
    if keys.just_pressed(KeyCode::KeyR) {
        commands.write(RunCommand::Reset);
    }
    if keys.just_pressed(KeyCode::ArrowUp) {
        *learning_rate = learning_rate.raised();
    }
    if keys.just_pressed(KeyCode::ArrowDown) {
        *learning_rate = learning_rate.lowered();
    }
    if keys.just_pressed(KeyCode::BracketLeft) {
        commands.write(RunCommand::SetChordStep(chord.0 / 10.0));
    }
    if keys.just_pressed(KeyCode::BracketRight) {
        commands.write(RunCommand::SetChordStep(chord.0 * 10.0));
    }
    if keys.just_pressed(KeyCode::KeyS) {
        commands.write(RunCommand::Shrink(ShrinkCommand::Toggle));
    }
    if let Some(lens) = lens.as_deref_mut()
        && keys.just_pressed(KeyCode::KeyZ)
    {
        lens.0 = !lens.0;
    }
    if keys.just_pressed(KeyCode::KeyL) {
        lab.write(ToggleLab);
    }
    // Looked at only when T is pressed: taking the theme mutably marks it changed, and a change redraws.
    if keys.just_pressed(KeyCode::KeyT)
        && let Some(theme) = theme.as_deref_mut()
    {
        *theme = Theme::named(theme.name.other());
    }
    // Ctrl with = - 0 sizes the whole interface, as in a browser (without Ctrl they zoom the plot).
    let sizing_keys = [
        KeyCode::Equal,
        KeyCode::NumpadAdd,
        KeyCode::Minus,
        KeyCode::NumpadSubtract,
        KeyCode::Digit0,
        KeyCode::Numpad0,
    ];
    if ctrl_held(&keys)
        && keys.any_just_pressed(sizing_keys)
        && let Some(scale) = text_scale.as_deref_mut()
    {
        if keys.any_just_pressed([KeyCode::Equal, KeyCode::NumpadAdd]) {
            *scale = scale.larger();
        }
        if keys.any_just_pressed([KeyCode::Minus, KeyCode::NumpadSubtract]) {
            *scale = scale.smaller();
        }
        if keys.any_just_pressed([KeyCode::Digit0, KeyCode::Numpad0]) {
            *scale = TextScale::default();
        }
    }
    if let Some(plot) = slope_plot.as_deref_mut()
        && keys.just_pressed(KeyCode::KeyD)
    {
        plot.shown = !plot.shown;
    }
    // An exhibit stays as it was set up: no leaving fullscreen.
    if gate.locked_down {
        return;
    }
    for mut window in &mut windows {
        if keys.just_pressed(KeyCode::KeyF) {
            window.mode = WindowMode::BorderlessFullscreen(MonitorSelection::Current);
        }
        if keys.just_pressed(KeyCode::Escape) {
            window.mode = WindowMode::Windowed;
        }
    }
}

/// A press that starts this frame: the left button where the cursor is, or a lone finger (a second finger
/// never starts a drag of its own).
pub fn new_press(
    mouse: &ButtonInput<MouseButton>,
    touches: &Touches,
    cursor: Option<Vec2>,
) -> Option<(Grab, Vec2)> {
    if mouse.just_pressed(MouseButton::Left) {
        cursor.map(|at| (Grab::Mouse, at))
    } else if touches.iter().count() == 1 {
        touches
            .iter_just_pressed()
            .next()
            .map(|t| (Grab::Touch(t.id()), t.position()))
    } else {
        None
    }
}

pub fn record_pointer_input(
    mouse: Res<ButtonInput<MouseButton>>,
    touches: Res<Touches>,
    egui: Option<Res<EguiWantsInput>>,
    gate: Res<InputGate>,
    windows: Query<&Window, With<PrimaryWindow>>,
    plot: Res<PlotArea>,
    slope_area: Option<Res<SlopePlotArea>>,
    loss_curve: Res<LossCurve>,
    ball: Single<&Glide, With<Ball>>,
    mut drag: ResMut<PointerDrag>,
    mut commands: MessageWriter<RunCommand>,
    predict: Option<Res<crate::sim::predict::Predict>>,
) {
    if gate.blocked {
        *drag = PointerDrag::default();
        return;
    }
    let cursor = windows.iter().next().and_then(Window::cursor_position);
    let mut move_to = |drag: &mut PointerDrag, at: Vec2| {
        let x = plot.screen_to_x(at);
        if x.is_finite() && drag.last_x != Some(x) {
            drag.last_x = Some(x);
            commands.write(RunCommand::StartAt(x));
        }
    };
    match drag.grab {
        Some(Grab::Mouse) => match cursor {
            Some(at) if mouse.pressed(MouseButton::Left) => move_to(&mut drag, at),
            // Released, or the pointer left the window mid-drag: let go.
            _ => *drag = PointerDrag::default(),
        },
        Some(Grab::Touch(id)) => match touches.get_pressed(id) {
            Some(touch) => move_to(&mut drag, touch.position()),
            None => *drag = PointerDrag::default(),
        },
        None => {
            if egui_has(&egui, EguiWantsInput::wants_any_pointer_input) {
                return;
            }
            let Some((grab, at)) = new_press(&mouse, &touches, cursor) else {
                return;
            };
            if gate.in_corner(at) {
                return;
            }
            let x = ball.x();
            let ball_at = plot.to_screen(x, loss_curve.0.value(x));
            if predict
                .as_deref()
                .is_some_and(|p| predict::ghost_takes(p, &plot, ball_at, at))
            {
                // In predict mode a press on the plot away from the ball places the ghost instead.
                return;
            }
            if ball_at.distance(at) <= BALL_RADIUS + GRAB_SLACK {
                *drag = PointerDrag {
                    grab: Some(grab),
                    last_x: None,
                };
            } else if plot.contains(at)
                || slope_area
                    .as_ref()
                    .and_then(|area| area.0)
                    .is_some_and(|area| area.contains(at))
            {
                // A press on either plot puts the ball at that x: on the slope plot, a drag along it draws
                // the trace from below.
                *drag = PointerDrag {
                    grab: Some(grab),
                    last_x: None,
                };
                move_to(&mut drag, at);
            }
        }
    }
}
