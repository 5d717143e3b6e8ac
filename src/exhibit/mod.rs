//! Exhibit mode: the attract loop, the return to a clean state for the next visitor, touch-sized controls and
//! the lock-down (no way out but the staff PIN or Ctrl+Alt+Shift+Q).

pub mod config;
pub mod machine;
pub mod scenes;
pub mod view;

use bevy::input::mouse::{AccumulatedMouseMotion, AccumulatedMouseScroll};
use bevy::prelude::*;
use bevy::window::{
    Monitor, MonitorSelection, PrimaryMonitor, PrimaryWindow, WindowCloseRequested, WindowMode,
    WindowPosition,
};

use crate::AppSystems;
use crate::input::InputGate;
use crate::launch::restore_launch;
use crate::scene::Shown;
use crate::sim::gradient::GradientCommand;
pub use config::ExhibitConfig;
use machine::{Effect, KeypadKey, Machine, Mode};

/// Side of the top-left square whose taps count towards opening the keypad, in logical pixels.
pub const CORNER: f32 = 72.0;
/// The exhibit is laid out for a 1080-line screen at this zoom: the desktop's 1280 x 720 layout, with touch
/// sizes (text of 16 points and controls 32 points tall) becoming 24 and 48 pixels.
pub const TOUCH_ZOOM: f32 = 1.5;

/// Exhibit mode, added to the app when `--exhibit` is given. The clean state a visitor finds is the
/// command line's [`crate::Launch`], put back by triggering [`RestoreLaunch`].
pub struct ExhibitPlugin {
    pub config: ExhibitConfig,
}

impl Plugin for ExhibitPlugin {
    fn build(&self, app: &mut App) {
        let config = &self.config;
        let machine = Machine::new(
            config.idle_seconds,
            config.reset_seconds,
            config.scenes.iter().map(|s| s.seconds).collect(),
            &config.admin_pin,
        );
        app.insert_resource(Exhibit {
            machine,
            config: config.clone(),
        })
        .insert_resource(InputGate {
            locked_down: true,
            blocked: true,
            corner: Some(Vec2::splat(CORNER)),
        })
        .insert_resource(crate::pacing::KeepAnimating(true))
        .insert_resource(crate::theme::Sizing { touch: true })
        .insert_resource(crate::ui::language::LanguageChoices(
            config.languages.clone(),
        ))
        .init_resource::<Visit>()
        .init_resource::<view::AttractLayout>()
        .add_message::<crate::ui::language::SetLanguage>()
        .add_message::<KeypadPress>()
        .add_systems(Startup, start_attract_loop)
        // The gate is decided before any scene reads input (every input system of both scenes is in
        // RecordInput), so no system can see a press in a frame in which the gate is still to be set. Keys 1
        // and 2 are read earlier, in PreUpdate, with last frame's gate: a key during the attract loop finds
        // it shut, and the key itself wakes the exhibit rather than switching scenes.
        .add_systems(
            Update,
            (
                watch_visitors,
                scenes::play_scene_script,
                show_the_scene_now,
            )
                .chain()
                .before(AppSystems::RecordInput),
        )
        .add_systems(
            Update,
            (
                count_visitor_commands::<crate::sim::RunCommand>,
                count_visitor_commands::<GradientCommand>
                    .run_if(resource_exists::<Messages<GradientCommand>>),
            )
                .after(AppSystems::RecordInput)
                .before(AppSystems::Simulate),
        );
        // Without a window (the headless tests) there is nothing to place, scale, close or draw on.
        if app.is_plugin_added::<bevy::window::WindowPlugin>() {
            app.add_systems(
                Update,
                (
                    (fill_the_monitor, fit_touch_scale)
                        .chain()
                        .before(AppSystems::RecordInput),
                    ignore_close_requests,
                ),
            );
        }
        if app.is_plugin_added::<bevy_egui::EguiPlugin>() {
            app.add_plugins(view::plugin);
        }
    }
}

/// The exhibit's machine and its settings.
#[derive(Resource)]
pub struct Exhibit {
    pub machine: Machine,
    pub config: ExhibitConfig,
}

/// The visitor now at the screen, if any: since when, and how many commands they gave the run or scene 2
/// (buttons, keys, taps and drags on the plots). Logged when the visit ends; the waking touch itself must
/// leave it at nothing.
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq)]
pub struct Visit {
    pub present: bool,
    pub seconds: f64,
    pub actions: u32,
}

/// A key pressed on the staff keypad.
#[derive(Message, Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeypadPress(pub KeypadKey);

fn start_attract_loop(exhibit: ResMut<Exhibit>, mut commands: Commands) {
    let effects = exhibit.machine.starting_effects();
    apply_effects(&exhibit, &effects, &mut commands, None);
    info!(
        "exhibit: started; attract loop after {} s without input, full reset after {} s",
        exhibit.config.idle_seconds, exhibit.config.reset_seconds
    );
}

/// Input from visitors, the quit keys and the keypad go to the machine; its answers are carried out.
fn watch_visitors(
    time: Res<Time<Real>>,
    keys: Res<ButtonInput<KeyCode>>,
    mouse: Res<ButtonInput<MouseButton>>,
    motion: Res<AccumulatedMouseMotion>,
    scroll: Res<AccumulatedMouseScroll>,
    touches: Res<Touches>,
    windows: Query<&Window, With<PrimaryWindow>>,
    mut keypad: MessageReader<KeypadPress>,
    layout: Res<view::AttractLayout>,
    mut exhibit: ResMut<Exhibit>,
    mut gate: ResMut<InputGate>,
    mut visit: ResMut<Visit>,
    mut exit: MessageWriter<AppExit>,
    mut commands: Commands,
) {
    if quit_chord_pressed(&keys) {
        info!("exhibit: Ctrl+Alt+Shift+Q pressed; leaving");
        exit.write(AppExit::Success);
        return;
    }

    let mut effects = Vec::new();
    let cursor = windows.iter().next().and_then(Window::cursor_position);
    let in_corner = |at: Vec2| at.x <= CORNER && at.y <= CORNER;
    // The attract screen's language buttons answer without waking the exhibit: the visitor sees the
    // captions change and touches again to play.
    let attracting = exhibit.machine.is_attracting();
    let on_language = |at: Vec2| {
        attracting
            && layout.language.is_some_and(|[x0, y0, x1, y1]| {
                at.x >= x0 && at.x <= x1 && at.y >= y0 && at.y <= y1
            })
    };
    let touched: Vec<Vec2> = touches.iter_just_pressed().map(|t| t.position()).collect();
    let clicked = mouse.get_just_pressed().next().is_some();
    let pressed_at = touched
        .into_iter()
        .map(Some)
        .chain(clicked.then_some(cursor.filter(|_| mouse.just_pressed(MouseButton::Left))));
    for at in pressed_at {
        if at.is_some_and(in_corner) {
            effects.extend(exhibit.machine.corner_tap());
        } else if at.is_some_and(on_language) {
            exhibit.machine.activity();
        } else {
            effects.extend(exhibit.machine.press());
        }
    }
    if keys.get_just_pressed().next().is_some() {
        effects.extend(exhibit.machine.press());
    }
    if motion.delta != Vec2::ZERO
        || scroll.delta != Vec2::ZERO
        || touches.iter().any(|t| t.delta() != Vec2::ZERO)
    {
        exhibit.machine.activity();
    }
    for press in keypad.read() {
        effects.extend(exhibit.machine.keypad_key(press.0));
    }
    effects.extend(exhibit.machine.tick(time.delta_secs_f64()));

    if effects.contains(&Effect::Exit) {
        info!("exhibit: the staff code was entered; leaving");
        exit.write(AppExit::Success);
        return;
    }
    follow_the_visit(&mut visit, &effects, time.delta_secs_f64());
    apply_effects(&exhibit, &effects, &mut commands, Some(&mut gate));

    // Input is held back during the attract loop, and after it until a frame in which nothing is held down,
    // pressed or let go, so the touch that wakes the exhibit does not also press whatever lies under it.
    // A press that goes down and up within one frame (a quick tap, a click, a key from a remote keyboard)
    // leaves nothing held: the gate must still stay shut for that frame, because the scenes' input systems
    // run after this one and would read the press, and egui's sheet only catches it while the gate is shut.
    let quiet = nothing_pressed(&mouse, &touches, &keys);
    if exhibit.machine.is_attracting() {
        gate.blocked = true;
    } else if gate.blocked && quiet {
        gate.blocked = false;
        info!("exhibit: the waking touch is over; the controls answer from now on");
    }
}

/// Counts the visitor's commands of one kind (to scene 1's run or to scene 2): keys, buttons, taps and drags.
fn count_visitor_commands<M: Message>(
    exhibit: Res<Exhibit>,
    mut commands: MessageReader<M>,
    mut visit: ResMut<Visit>,
) {
    let count = commands.read().count() as u32;
    if visit.present && !exhibit.machine.is_attracting() {
        visit.actions += count;
    }
}

/// A scene the exhibit just chose (a waking touch, a reset, the next attract scene) is on screen from this
/// frame on, with the state restored for it, rather than one frame later: no frame shows the old scene with
/// the new visitor's state.
fn show_the_scene_now(world: &mut World) {
    world.run_schedule(StateTransition);
}

/// Ctrl+Alt+Shift+Q. xdotool and remote keyboards can press and release a whole chord within one frame, so
/// a modifier that went down this frame counts as held.
fn quit_chord_pressed(keys: &ButtonInput<KeyCode>) -> bool {
    let held = |a: KeyCode, b: KeyCode| {
        [a, b]
            .iter()
            .any(|&k| keys.pressed(k) || keys.just_pressed(k))
    };
    keys.just_pressed(KeyCode::KeyQ)
        && held(KeyCode::ControlLeft, KeyCode::ControlRight)
        && held(KeyCode::AltLeft, KeyCode::AltRight)
        && held(KeyCode::ShiftLeft, KeyCode::ShiftRight)
}

/// True in a frame in which no button, finger or key is held down, pressed or let go.
fn nothing_pressed(
    mouse: &ButtonInput<MouseButton>,
    touches: &Touches,
    keys: &ButtonInput<KeyCode>,
) -> bool {
    mouse.get_pressed().next().is_none()
        && mouse.get_just_pressed().next().is_none()
        && mouse.get_just_released().next().is_none()
        && touches.iter().next().is_none()
        && touches.iter_just_pressed().next().is_none()
        && touches.iter_just_released().next().is_none()
        && touches.iter_just_canceled().next().is_none()
        && keys.get_pressed().next().is_none()
        && keys.get_just_pressed().next().is_none()
        && keys.get_just_released().next().is_none()
}

/// A visit starts with the waking touch and ends (logged) when the attract loop or a reset comes back.
fn follow_the_visit(visit: &mut Visit, effects: &[Effect], seconds: f64) {
    if visit.present {
        visit.seconds += seconds;
    }
    for effect in effects {
        match effect {
            Effect::Wake => {
                *visit = Visit {
                    present: true,
                    ..default()
                };
            }
            Effect::StartAttract { .. } | Effect::Reset if visit.present => {
                info!(
                    "exhibit: the visit is over after {:.0} s; {} actions by the visitor",
                    visit.seconds, visit.actions
                );
                *visit = Visit::default();
            }
            _ => {}
        }
    }
}

fn apply_effects(
    exhibit: &Exhibit,
    effects: &[Effect],
    commands: &mut Commands,
    mut gate: Option<&mut InputGate>,
) {
    for effect in effects {
        match *effect {
            Effect::StartAttract { scene } | Effect::PlayScene { scene } => {
                if matches!(effect, Effect::StartAttract { .. }) {
                    info!("exhibit: mode attract (nobody has touched it)");
                }
                if let Some(gate) = gate.as_deref_mut() {
                    gate.blocked = true;
                }
                let spec = exhibit.config.scenes.get(scene).cloned();
                commands.queue(move |world: &mut World| {
                    restore_launch(world);
                    world.insert_resource(Shown::attract());
                    if let Some(spec) = spec {
                        scenes::set_up(world, &spec, scene);
                    }
                });
            }
            Effect::Reset => {
                info!("exhibit: mode attract after a full reset (nobody there for the reset time)");
                let spec = exhibit.config.scenes.first().cloned();
                commands.queue(move |world: &mut World| {
                    restore_launch(world);
                    // The next visitor finds the default language again.
                    let language = world.resource::<crate::launch::Launch>().language.clone();
                    world.write_message(crate::ui::language::SetLanguage(language));
                    if let Some(mut contexts) = world
                        .query::<&mut bevy_egui::EguiContext>()
                        .iter_mut(world)
                        .next()
                    {
                        // Forget scroll positions, open sections and half-typed text.
                        contexts
                            .get_mut()
                            .memory_mut(|memory| *memory = Default::default());
                    }
                    world.insert_resource(Shown::attract());
                    if let Some(spec) = spec {
                        scenes::set_up(world, &spec, 0);
                    }
                });
            }
            Effect::Wake => {
                info!("exhibit: mode interactive (a visitor touched the screen)");
                // Held back until the waking press is over (see the end of `watch_visitors`).
                if let Some(gate) = gate.as_deref_mut() {
                    gate.blocked = true;
                }
                let shown = match exhibit.config.panel {
                    config::PanelKind::Visitor => Shown::visitor(),
                    config::PanelKind::Full => Shown::everything(),
                };
                commands.queue(move |world: &mut World| {
                    restore_launch(world);
                    world.remove_resource::<scenes::SceneScript>();
                    world.insert_resource(shown);
                });
            }
            Effect::OpenKeypad => info!("exhibit: staff keypad opened (five taps in the corner)"),
            Effect::CloseKeypad => info!("exhibit: staff keypad closed"),
            Effect::WrongPin => warn!("exhibit: a wrong staff code was entered"),
            Effect::Exit => {}
        }
    }
}

/// The exhibit is laid out for a 1080-line screen whatever the screen: the window's scale follows its height.
fn fit_touch_scale(exhibit: Res<Exhibit>, mut windows: Query<&mut Window, With<PrimaryWindow>>) {
    for mut window in &mut windows {
        let height = window.physical_height().max(1) as f32;
        let wanted = exhibit.config.ui_scale as f32 * TOUCH_ZOOM * height / 1080.0;
        let wanted = wanted.clamp(0.25, 16.0);
        let current = window.resolution.scale_factor_override();
        if current.is_none_or(|c| (c - wanted).abs() > 1e-3) {
            window.resolution.set_scale_factor_override(Some(wanted));
        }
    }
}

/// Makes the window fill the chosen monitor. Borderless fullscreen is a request to the window manager, and
/// with none (a bare X session, as kiosks often run) nothing honours it: the window would stay at its opening
/// size. So once the monitor is known, the window is also placed on it and sized to it, in the monitor's own
/// pixels (the touch scale then follows the real height, in `fit_touch_scale`). Again if the monitor changes.
/// Says once, in the log, when the configured monitor does not exist (the primary one is filled then).
fn fill_the_monitor(
    exhibit: Res<Exhibit>,
    monitors: Query<(Entity, &Monitor, Has<PrimaryMonitor>)>,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
    mut filled: Local<Option<(Entity, UVec2, IVec2)>>,
    (mut warned, mut asked): (Local<bool>, Local<bool>),
) {
    if !exhibit.config.fullscreen {
        return;
    }
    // Entities in the order winit listed the monitors, as `MonitorSelection::Index` counts them.
    let mut all: Vec<(Entity, &Monitor, bool)> = monitors.iter().collect();
    if all.is_empty() {
        // No monitor known (yet): at least ask the window manager for fullscreen.
        if !*asked {
            *asked = true;
            for mut window in &mut windows {
                window.mode = WindowMode::BorderlessFullscreen(MonitorSelection::Index(
                    exhibit.config.monitor,
                ));
            }
        }
        return;
    }
    all.sort_by_key(|(entity, ..)| *entity);
    let wanted = exhibit.config.monitor;
    let (index, (entity, monitor, _)) = match all.get(wanted) {
        Some(found) => (wanted, *found),
        None => {
            if !*warned {
                *warned = true;
                warn!(
                    "exhibit: monitor {wanted} was asked for but there are {} (counting from 0); filling the \
                     primary one. Set monitor in the exhibit settings to 0..{}",
                    all.len(),
                    all.len() - 1
                );
            }
            let index = all.iter().position(|m| m.2).unwrap_or(0);
            (index, all[index])
        }
    };
    let size = UVec2::new(monitor.physical_width, monitor.physical_height);
    let at = monitor.physical_position;
    if *filled == Some((entity, size, at)) || size.min_element() == 0 {
        return;
    }
    *filled = Some((entity, size, at));
    for mut window in &mut windows {
        window.mode = WindowMode::BorderlessFullscreen(MonitorSelection::Index(index));
        window.position = WindowPosition::At(at);
        window.resolution.set_physical_resolution(size.x, size.y);
    }
    info!(
        "exhibit: filling monitor {index}{}: {}x{} pixels at ({}, {})",
        monitor
            .name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default(),
        size.x,
        size.y,
        at.x,
        at.y
    );
}

/// The window manager's close button and Alt+F4 ask the window to close; in an exhibit nothing happens.
fn ignore_close_requests(mut requests: MessageReader<WindowCloseRequested>) {
    for _ in requests.read() {
        info!(
            "exhibit: ignored a request to close the window (quit with the staff code or Ctrl+Alt+Shift+Q)"
        );
    }
}

/// The mode as shown to tests and logs.
pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Interactive => "interactive",
        Mode::Attract { .. } => "attract",
    }
}
