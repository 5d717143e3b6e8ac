//! Months on a wall, compressed: the whole simulation, both scenes and the exhibit's state machine run
//! without a renderer for many fixed steps under random touches, drags, keys, slider moves, typed formulas
//! and extreme numbers, with quiet spells in between so the attract loop plays every scene. Nothing may
//! panic, nothing drawn may be NaN or infinite, every buffer stays bounded, and memory stays flat.
//!
//! `cargo test --test soak` runs 60,000 fixed steps (about 17 simulated minutes). The full run of a
//! million steps (about 4.6 simulated hours) is
//! `SOAK_STEPS=1000000 cargo test --test soak -- --nocapture` (about 3.5 minutes here).

mod headless;

use std::time::Duration;

use bevy::input::ButtonState;
use bevy::input::touch::TouchPhase;
use bevy::prelude::*;
use downhill::exhibit::Exhibit;
use downhill::exhibit::config::{BUILT_IN_EXHIBIT, ExhibitConfig, Show};
use downhill::exhibit::scenes::SceneScript;
use downhill::math::Curve;
use downhill::math::descent::HISTORY_STEPS;
use downhill::math::optimizer::Method;
use downhill::math::regression::{MAX_POINTS, PATH_STEPS, Point};
use downhill::scenarios::Scenarios;
use downhill::sim::gradient::{GradientCommand, GradientRun};
use downhill::sim::{
    ChordStep, DifferenceScheme, LossCurve, MAX_BALLS, Rivals, Run, RunCommand, ShrinkCommand,
};
use downhill::view::PlotArea;
use downhill::view::gradient::Layout;
use downhill::view::slope::ball::Ball;
use downhill::view::slope::guides::GuideGeometry;

/// One fixed step per update: the simulation ticks at 60 Hz.
const FRAME: Duration = Duration::from_nanos(16_666_667);

/// A small deterministic random source, so a failure can be replayed.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Numbers a visitor or a broken input device could produce.
const WILD: [f64; 10] = [
    0.1,
    -3.0,
    1e300,
    -1e308,
    1e-320,
    f64::MIN_POSITIVE / 4.0,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
];

const FORMULAS: [&str; 10] = [
    "x^4 - 3x^2 + x",
    "sin(3x) + 0.1x^2",
    "1/x",
    "ln(x)",
    "sqrt(x) - x",
    "exp(x^2)",
    "x^(1/3)",
    "((((x))))^2",
    "2^x - x",
    "abs(x) + tanh(5x)",
];

const KEYS: [KeyCode; 16] = [
    KeyCode::Space,
    KeyCode::ArrowRight,
    KeyCode::ArrowLeft,
    KeyCode::ArrowUp,
    KeyCode::ArrowDown,
    KeyCode::KeyR,
    KeyCode::BracketLeft,
    KeyCode::BracketRight,
    KeyCode::KeyS,
    KeyCode::KeyZ,
    KeyCode::KeyL,
    KeyCode::Digit1,
    KeyCode::Digit2,
    KeyCode::Enter,
    KeyCode::KeyV,
    KeyCode::Escape,
];

fn soak_app() -> App {
    let scenarios = downhill::files::scenarios().unwrap();
    let mut config = ExhibitConfig::parse(BUILT_IN_EXHIBIT, "exhibit.toml", &scenarios).unwrap();
    config.idle_seconds = 2.0;
    config.reset_seconds = 9.0;
    for scene in &mut config.scenes {
        scene.seconds = 2.0;
    }
    let mut app = headless::app(FRAME);
    app.add_plugins(downhill::view::slope::ball::plugin)
        .insert_resource(scenarios);
    headless::add_exhibit(&mut app, config);
    app.update();
    app
}

use headless::{key, touch};

/// Something a visitor does, chosen at random.
fn visitor_acts(app: &mut App, dice: &mut Dice, finger_down: &mut Option<u64>) {
    let anywhere = Vec2::new(dice.unit() as f32 * 1280.0, dice.unit() as f32 * 720.0);
    match dice.below(12) {
        0..=2 => match *finger_down {
            None => {
                let id = dice.below(3);
                touch(app, id, anywhere, TouchPhase::Started);
                *finger_down = Some(id);
            }
            Some(id) => {
                let phase = *dice.pick(&[
                    TouchPhase::Moved,
                    TouchPhase::Moved,
                    TouchPhase::Ended,
                    TouchPhase::Canceled,
                ]);
                touch(app, id, anywhere, phase);
                if matches!(phase, TouchPhase::Ended | TouchPhase::Canceled) {
                    *finger_down = None;
                }
            }
        },
        3 => {
            // A second finger comes and goes.
            touch(app, 9, anywhere, TouchPhase::Started);
            touch(app, 9, anywhere, TouchPhase::Ended);
        }
        4 | 5 => {
            let code = *dice.pick(&KEYS);
            key(app, code, ButtonState::Pressed);
            key(app, code, ButtonState::Released);
        }
        6 => {
            let command = match dice.below(10) {
                0 => RunCommand::SetChordStep(*dice.pick(&WILD)),
                1 => RunCommand::StartAt(*dice.pick(&WILD)),
                2 => RunCommand::AddBall {
                    method: *dice.pick(&Method::ALL),
                    learning_rate: *dice.pick(&WILD),
                },
                3 => RunCommand::RemoveBall(dice.below(7) as usize),
                4 => RunCommand::SetMethod {
                    ball: dice.below(3) as usize,
                    method: *dice.pick(&Method::ALL),
                },
                5 => {
                    let scrub = ShrinkCommand::Scrub(dice.unit() * 20.0 - 2.0);
                    RunCommand::Shrink(*dice.pick(&[
                        ShrinkCommand::Toggle,
                        ShrinkCommand::TogglePause,
                        scrub,
                    ]))
                }
                6 => RunCommand::StepBack,
                7 => RunCommand::Step,
                8 => {
                    let scenarios = app.world().resource::<Scenarios>().0.clone();
                    RunCommand::Scenario(dice.pick(&scenarios).clone())
                }
                _ => RunCommand::TogglePlay,
            };
            app.world_mut().write_message(command);
        }
        7 => {
            // Typed formulas, good and broken, as the panel would pass them on.
            let mut text = dice.pick(&FORMULAS).to_string();
            if dice.chance(0.3) {
                let cut = dice.below(text.len() as u64) as usize;
                text.truncate(cut);
                text.push(*dice.pick(&['(', '^', '*', 'x', '9', ')', '/']));
            }
            match Curve::named_or_formula(&text) {
                Ok(curve) => {
                    app.world_mut()
                        .write_message(RunCommand::ChooseCurve(curve));
                }
                Err(error) => assert!(!error.message.is_empty()),
            }
        }
        8 => {
            // Slider moves, parsed as the panel parses typed values.
            let typed = format!("{}", dice.pick(&WILD));
            if let Ok(lr) = downhill::sim::LearningRate::parse(&typed) {
                app.insert_resource(lr);
            }
            let scheme = *dice.pick(&downhill::math::Scheme::ALL);
            app.insert_resource(DifferenceScheme(scheme));
        }
        9 | 10 => {
            let p = Point {
                x: *dice.pick(&WILD) * dice.unit(),
                y: dice.unit() * 8.0 - 2.0,
            };
            let command = match dice.below(10) {
                0 => GradientCommand::AddPoint(p),
                1 => GradientCommand::MovePoint(dice.below(25) as usize, p),
                2 => GradientCommand::RemovePoint(dice.below(25) as usize),
                3 => GradientCommand::SetLearningRate(*dice.pick(&WILD)),
                4 => GradientCommand::Pan(*dice.pick(&WILD), dice.unit()),
                5 => GradientCommand::Zoom(*dice.pick(&WILD), (dice.unit(), *dice.pick(&WILD))),
                6 => GradientCommand::Fit,
                7 => GradientCommand::StartAt(*dice.pick(&WILD), dice.unit()),
                8 => GradientCommand::SetMethod(*dice.pick(&Method::ALL)),
                _ => GradientCommand::TogglePlay,
            };
            app.world_mut().write_message(command);
        }
        _ => {}
    }
}

fn finite(v: Vec2) -> bool {
    v.x.is_finite() && v.y.is_finite()
}

/// Everything that would be drawn is a finite number, and every buffer is within its bound.
fn check_the_world(app: &mut App, step: u64) {
    let mut balls = app.world_mut().query_filtered::<&Transform, With<Ball>>();
    for transform in balls.iter(app.world()) {
        assert!(
            transform.translation.is_finite(),
            "step {step}: ball transform {transform:?}"
        );
    }
    let world = app.world();
    let plot = world.resource::<PlotArea>();
    let curve = world.resource::<LossCurve>().0.clone();
    let run = &world.resource::<Run>().0;
    let h = world.resource::<ChordStep>().0;
    let scheme = world.resource::<DifferenceScheme>().0;
    let g = GuideGeometry::new(plot, &curve, run.x, h, scheme);
    for p in [
        g.ball,
        g.tangent[0],
        g.tangent[1],
        g.chord_start,
        g.chord_end,
        g.run_corner,
    ] {
        assert!(
            finite(p),
            "step {step}: a guide point {p} on {} at x = {}",
            curve.name,
            run.x
        );
    }
    for (x, y) in curve.sample(plot.x_range, 64) {
        assert!(
            finite(plot.to_screen(x, y)),
            "step {step}: curve point at {x}"
        );
    }
    assert!(run.history.len() <= HISTORY_STEPS);
    let rivals = &world.resource::<Rivals>().0;
    assert!(rivals.len() < MAX_BALLS);
    for rival in rivals {
        assert!(rival.run.history.len() <= HISTORY_STEPS);
        assert!(finite(
            plot.to_screen(rival.run.x, curve.value(rival.run.x))
        ));
    }
    let gradient = world.resource::<GradientRun>();
    let layout = world.resource::<Layout>();
    assert!(gradient.points.len() <= MAX_POINTS && !gradient.points.is_empty());
    assert!(gradient.fit.path.len() <= PATH_STEPS);
    assert!(gradient.fit.w.is_finite() && gradient.fit.b.is_finite());
    let ball = layout.to_screen(&gradient.view, gradient.fit.w, gradient.fit.b);
    assert!(finite(ball), "step {step}: scene 2 ball {ball}");
    for p in &gradient.points {
        assert!(
            finite(layout.data_to_screen(p.x, p.y)),
            "step {step}: point {p:?}"
        );
    }
    let view = gradient.view;
    assert!(
        [view.w.0, view.w.1, view.b.0, view.b.1]
            .iter()
            .all(|v| v.is_finite())
    );
}

fn resident_mib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: f64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096.0 / (1024.0 * 1024.0)
}

#[test]
fn a_long_run_of_random_visitors_and_quiet_spells_stays_finite_bounded_and_flat() {
    let steps: u64 = std::env::var("SOAK_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60_000);
    let mut app = soak_app();
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let mut finger_down = None;
    let mut scenes_seen = std::collections::BTreeSet::new();
    let mut rss_at_tenth = None;
    // Active spells of a few seconds with a visitor, then quiet spells long enough for attract and reset.
    let mut quiet_until = 0u64;
    let mut active_until = 0u64;
    for step in 1..=steps {
        if step > quiet_until && step > active_until {
            active_until = step + 60 * (1 + dice.below(8));
            quiet_until = active_until + 60 * dice.below(30);
        }
        if step <= active_until && dice.chance(0.15) {
            visitor_acts(&mut app, &mut dice, &mut finger_down);
        }
        app.update();
        if let Some(script) = app.world().get_resource::<SceneScript>()
            && app.world().resource::<Exhibit>().machine.is_attracting()
        {
            scenes_seen.insert(script.index);
        }
        if step % 500 == 0 {
            check_the_world(&mut app, step);
        }
        if step == steps / 10 {
            rss_at_tenth = Some(resident_mib());
        }
    }
    check_the_world(&mut app, steps);
    let growth = resident_mib() - rss_at_tenth.unwrap();
    let scenes = app.world().resource::<Exhibit>().config.scenes.len();
    eprintln!(
        "soak: {steps} fixed steps, attract scenes seen {scenes_seen:?} of {scenes}, resident memory grew {growth:.2} MiB \
         between the 10% and 100% marks"
    );
    assert_eq!(
        scenes_seen.len(),
        scenes,
        "every attract scene played: {scenes_seen:?}"
    );
    assert!(growth < 2.0, "resident memory grew {growth:.2} MiB");
    let shows: Vec<Show> = app
        .world()
        .resource::<Exhibit>()
        .config
        .scenes
        .iter()
        .map(|s| s.show)
        .collect();
    assert!(shows.contains(&Show::Gradient));
}
