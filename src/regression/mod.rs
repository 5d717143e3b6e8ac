//! Scene 2, from slope to gradient: a line y_hat = w x + b fitted to points by descending the loss L(w, b).
//! This module owns the scene's state and the systems that change it; `view` draws it, `panel` shows its
//! numbers and controls.

pub mod panel;
pub mod view;

use bevy::input::mouse::AccumulatedMouseScroll;
use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::input::EguiWantsInput;

use crate::AppSystems;
use crate::input::InputGate;
use crate::math::optimizer::{Method, Settings};
use crate::math::regression::{Fit, MAX_POINTS, Point, lesson_data};
use crate::sim::{LEARNING_RATE_RANGE, OptimizerSettings, STEPS_PER_SECOND_RANGE, StepsPerSecond};

/// Most steps "Fit" takes at once.
pub const FIT_STEP_LIMIT: u64 = 200_000;

pub fn plugin(app: &mut App) {
    app.init_resource::<ActiveScene>()
        .init_resource::<Regression>()
        .init_resource::<view::Layout>()
        .init_resource::<Grab>()
        .add_message::<RegressionCommand>()
        .add_systems(
            Update,
            (
                switch_scene_by_key,
                (record_regression_keys, record_regression_pointer)
                    .run_if(showing(Scene::Regression)),
            )
                .in_set(AppSystems::RecordInput),
        )
        .add_systems(
            Update,
            apply_regression_commands.in_set(AppSystems::Simulate),
        )
        .add_systems(
            FixedUpdate,
            advance_fit_on_schedule
                .in_set(AppSystems::Simulate)
                .run_if(showing(Scene::Regression)),
        )
        .add_plugins(view::plugin);
}

/// The two scenes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scene {
    /// Scene 1: one variable, the slope at a point.
    #[default]
    Slope,
    /// Scene 2: two parameters, the gradient, a line fitted to points.
    Regression,
}

/// Which scene is on screen.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActiveScene(pub Scene);

/// A run condition: true while `scene` is on screen (scene 1 when nothing says otherwise).
pub fn showing(scene: Scene) -> impl FnMut(Option<Res<ActiveScene>>) -> bool + Clone {
    move |active: Option<Res<ActiveScene>>| active.map_or(Scene::Slope, |a| a.0) == scene
}

/// The (w, b) rectangle the loss landscape shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LandscapeView {
    pub w: (f64, f64),
    pub b: (f64, f64),
}

impl Default for LandscapeView {
    fn default() -> Self {
        Self {
            w: (-1.0, 3.0),
            b: (-2.0, 3.0),
        }
    }
}

impl LandscapeView {
    /// The view moved by (dw, db); a move that would leave +-1e9 is refused.
    pub fn panned(self, dw: f64, db: f64) -> Self {
        Self {
            w: (self.w.0 + dw, self.w.1 + dw),
            b: (self.b.0 + db, self.b.1 + db),
        }
        .or(self)
    }

    /// `self` when every edge is a finite number within +-1e9, else `fallback`.
    fn or(self, fallback: Self) -> Self {
        let fine = [self.w.0, self.w.1, self.b.0, self.b.1]
            .iter()
            .all(|v| v.is_finite() && v.abs() <= 1e9);
        if fine { self } else { fallback }
    }

    /// The view zoomed by `factor` (below 1 zooms in) about (w, b), kept between 1e-3 and 1e4 wide.
    pub fn zoomed(self, factor: f64, about: (f64, f64)) -> Self {
        let width = (self.w.1 - self.w.0) * factor;
        let height = (self.b.1 - self.b.0) * factor;
        if !(1e-3..=1e4).contains(&width) || !(1e-3..=1e4).contains(&height) {
            return self;
        }
        let scale =
            |(lo, hi): (f64, f64), at: f64| (at + (lo - at) * factor, at + (hi - at) * factor);
        Self {
            w: scale(self.w, about.0),
            b: scale(self.b, about.1),
        }
        .or(self)
    }
}

/// Everything scene 2 shows: the points, the run on (w, b), its learning rate and rule, and the view.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct Regression {
    pub points: Vec<Point>,
    pub fit: Fit,
    pub learning_rate: f64,
    pub method: Method,
    pub playing: bool,
    owed_steps: f64,
    pub view: LandscapeView,
}

/// Where scene 2 starts: the lesson's point and (w, b) = (0.5, 0).
pub const START: (f64, f64) = (0.5, 0.0);

impl Default for Regression {
    fn default() -> Self {
        Self {
            points: lesson_data(),
            fit: Fit::new(START, Method::Gd, Settings::default()),
            learning_rate: 0.05,
            method: Method::Gd,
            playing: false,
            owed_steps: 0.0,
            view: LandscapeView::default(),
        }
    }
}

impl Regression {
    /// A fresh run from `start` with the current rule.
    fn restart(&mut self, start: (f64, f64), settings: Settings) {
        self.playing = false;
        self.fit = Fit::new(start, self.method, settings);
    }
}

/// What a person asked scene 2 to do.
#[derive(Message, Clone, Copy, Debug, PartialEq)]
pub enum RegressionCommand {
    TogglePlay,
    Step,
    /// Back to the start, step 0.
    Reset,
    /// Run until converged (or diverged), at once.
    Fit,
    /// Start again from this (w, b).
    StartAt(f64, f64),
    MovePoint(usize, Point),
    AddPoint(Point),
    RemovePoint(usize),
    /// Back to the lesson's single point (2, 3).
    LessonPoint,
    SetMethod(Method),
    SetLearningRate(f64),
    Pan(f64, f64),
    Zoom(f64, (f64, f64)),
    /// Show the whole run and the best line.
    FitView,
}

fn switch_scene_by_key(
    keys: Res<ButtonInput<KeyCode>>,
    egui: Option<Res<EguiWantsInput>>,
    gate: Option<Res<InputGate>>,
    mut active: ResMut<ActiveScene>,
) {
    if gate.is_some_and(|g| g.blocked) || egui.is_some_and(|e| e.wants_any_keyboard_input()) {
        return;
    }
    if keys.just_pressed(KeyCode::Digit1) {
        active.set_if_neq(ActiveScene(Scene::Slope));
    }
    if keys.just_pressed(KeyCode::Digit2) {
        active.set_if_neq(ActiveScene(Scene::Regression));
    }
}

fn record_regression_keys(
    keys: Res<ButtonInput<KeyCode>>,
    egui: Option<Res<EguiWantsInput>>,
    gate: Option<Res<InputGate>>,
    regression: Res<Regression>,
    mut commands: MessageWriter<RegressionCommand>,
) {
    if gate.is_some_and(|g| g.blocked) || egui.is_some_and(|e| e.wants_any_keyboard_input()) {
        return;
    }
    let lr = regression.learning_rate;
    let pairs = [
        (KeyCode::Space, RegressionCommand::TogglePlay),
        (KeyCode::ArrowRight, RegressionCommand::Step),
        (KeyCode::KeyR, RegressionCommand::Reset),
        (KeyCode::Enter, RegressionCommand::Fit),
        (
            KeyCode::ArrowUp,
            RegressionCommand::SetLearningRate(lr * 2.0),
        ),
        (
            KeyCode::ArrowDown,
            RegressionCommand::SetLearningRate(lr / 2.0),
        ),
        (KeyCode::KeyV, RegressionCommand::FitView),
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

fn record_regression_pointer(
    mouse: Res<ButtonInput<MouseButton>>,
    touches: Res<Touches>,
    scroll: Res<AccumulatedMouseScroll>,
    windows: Query<&Window, With<PrimaryWindow>>,
    egui: Option<Res<EguiWantsInput>>,
    gate: Option<Res<InputGate>>,
    layout: Res<view::Layout>,
    regression: Res<Regression>,
    mut grab: ResMut<Grab>,
    mut commands: MessageWriter<RegressionCommand>,
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
        let about = layout.to_wb(&regression.view, at);
        let factor = if scroll.delta.y > 0.0 {
            0.85
        } else {
            1.0 / 0.85
        };
        commands.write(RegressionCommand::Zoom(factor, about));
    }
    if !held && !pressed_now {
        *grab = Grab::Nothing;
        return;
    }
    if pressed_now {
        if egui_wants {
            return;
        }
        let ball = layout.to_screen(&regression.view, regression.fit.w, regression.fit.b);
        let near_point = regression
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
            if regression.points.len() < MAX_POINTS {
                let (x, y) = layout.screen_to_data(at);
                commands.write(RegressionCommand::AddPoint(Point { x, y }));
                Grab::Point(regression.points.len())
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
            let (w, b) = layout.to_wb(&regression.view, at);
            if (w, b) != (regression.fit.start.0, regression.fit.start.1) {
                commands.write(RegressionCommand::StartAt(w, b));
            }
        }
        Grab::Landscape { last } => {
            if at != last {
                let (w0, b0) = layout.to_wb(&regression.view, last);
                let (w1, b1) = layout.to_wb(&regression.view, at);
                commands.write(RegressionCommand::Pan(w0 - w1, b0 - b1));
                *grab = Grab::Landscape { last: at };
            }
        }
        Grab::Point(i) => {
            let (x, y) = layout.screen_to_data(at.clamp(layout.data.min, layout.data.max));
            commands.write(RegressionCommand::MovePoint(i, Point { x, y }));
        }
    }
}

fn apply_regression_commands(
    mut commands: MessageReader<RegressionCommand>,
    mut regression: ResMut<Regression>,
    settings: Option<Res<OptimizerSettings>>,
) {
    let settings = settings.map_or_else(Settings::default, |s| s.0);
    for command in commands.read() {
        let r = &mut *regression;
        match *command {
            RegressionCommand::TogglePlay => {
                r.playing = !r.playing && r.fit.is_running();
                r.owed_steps = 0.0;
            }
            RegressionCommand::Step => {
                r.playing = false;
                r.fit.advance(&r.points, r.learning_rate);
            }
            RegressionCommand::Reset => {
                let start = r.fit.start;
                r.restart(start, settings);
            }
            RegressionCommand::Fit => {
                r.playing = false;
                r.fit
                    .run_to_convergence(&r.points, r.learning_rate, FIT_STEP_LIMIT);
            }
            RegressionCommand::StartAt(w, b) => {
                if w.is_finite() && b.is_finite() {
                    r.restart((w, b), settings);
                }
            }
            RegressionCommand::MovePoint(i, p) => {
                if let Some(point) = r.points.get_mut(i)
                    && p.x.is_finite()
                    && p.y.is_finite()
                {
                    *point = p;
                    let start = r.fit.start;
                    r.restart(start, settings);
                }
            }
            RegressionCommand::AddPoint(p) => {
                if r.points.len() < MAX_POINTS && p.x.is_finite() && p.y.is_finite() {
                    r.points.push(p);
                    let start = r.fit.start;
                    r.restart(start, settings);
                }
            }
            RegressionCommand::RemovePoint(i) => {
                if r.points.len() > 1 && i < r.points.len() {
                    r.points.remove(i);
                    let start = r.fit.start;
                    r.restart(start, settings);
                }
            }
            RegressionCommand::LessonPoint => {
                r.points = lesson_data();
                let start = r.fit.start;
                r.restart(start, settings);
            }
            RegressionCommand::SetMethod(method) => {
                r.method = method;
                let start = r.fit.start;
                r.restart(start, settings);
            }
            RegressionCommand::SetLearningRate(lr) => {
                let (lo, hi) = LEARNING_RATE_RANGE;
                if lr.is_finite() {
                    r.learning_rate = lr.clamp(lo, hi);
                }
            }
            RegressionCommand::Pan(dw, db) => {
                if dw.is_finite() && db.is_finite() {
                    r.view = r.view.panned(dw, db);
                }
            }
            RegressionCommand::Zoom(factor, about) => {
                if factor.is_finite() && factor > 0.0 && about.0.is_finite() && about.1.is_finite()
                {
                    r.view = r.view.zoomed(factor, about);
                }
            }
            RegressionCommand::FitView => r.view = view::framing(r),
        }
    }
}

fn advance_fit_on_schedule(
    time: Res<Time>,
    speed: Option<Res<StepsPerSecond>>,
    mut regression: ResMut<Regression>,
) {
    if !regression.playing {
        return;
    }
    let (lo, hi) = STEPS_PER_SECOND_RANGE;
    let per_second = speed.map_or(2.0, |s| s.0).clamp(lo, hi);
    let r = &mut *regression;
    r.owed_steps += time.delta_secs_f64() * per_second;
    while r.owed_steps >= 1.0 {
        r.owed_steps -= 1.0;
        r.fit.advance(&r.points, r.learning_rate);
        if !r.fit.is_running() {
            r.playing = false;
            r.owed_steps = 0.0;
            break;
        }
    }
}
