//! `downhill bench`: a real window with vsync off plays a scripted scene for N frames after a warm-up, then
//! prints one JSON object: frame times, CPU time in downhill's own systems, time to the first frame, peak RSS.

use std::sync::OnceLock;
use std::time::Instant;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use serde::Serialize;

use crate::launch::Launch;
use crate::math::optimizer::Method;
use crate::scenarios::Scenarios;
use crate::sim::{RunCommand, ShrinkCommand};
use crate::text::LessonText;
use crate::{AppPlugin, AppSystems, EguiPass};

static PROCESS_START: OnceLock<Instant> = OnceLock::new();

/// Note when the process started; call first thing in `main`.
pub fn mark_process_start() {
    PROCESS_START.get_or_init(Instant::now);
}

/// Which scene to measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BenchScene {
    /// The fullest screen: a six-ball race with trails and cues, h shrinking, the zoom lens, the loss plot.
    Full,
    /// The floor: a camera and the egui shell with an empty panel.
    Empty,
}

impl BenchScene {
    pub fn name(self) -> &'static str {
        match self {
            BenchScene::Full => "full",
            BenchScene::Empty => "empty",
        }
    }
}

/// What to measure and for how long.
#[derive(Resource, Clone, Copy, Debug)]
pub struct BenchPlan {
    pub scene: BenchScene,
    pub warmup: u32,
    pub frames: u32,
}

#[derive(Resource, Default, Debug)]
struct BenchClock {
    frame_started: Option<Instant>,
    frame_ms: Vec<f64>,
    first_frame_ms: Option<f64>,
    systems_started: Option<Instant>,
    systems_ns_this_frame: u64,
    systems_ms: Vec<f64>,
    seen: u32,
    /// The part being timed now, and the time spent in each part over the measured frames.
    part: Option<(&'static str, Instant)>,
    parts_ns: Vec<(&'static str, u64)>,
    measuring: bool,
}

impl BenchClock {
    /// Ends the part being timed (if any) and starts `next` (if any).
    fn switch(&mut self, next: Option<&'static str>) {
        let now = Instant::now();
        if let Some((name, started)) = self.part.take()
            && self.measuring
        {
            let ns = now.duration_since(started).as_nanos() as u64;
            match self.parts_ns.iter_mut().find(|(n, _)| *n == name) {
                Some((_, total)) => *total += ns,
                None => self.parts_ns.push((name, ns)),
            }
        }
        self.part = next.map(|name| (name, now));
    }
}

/// A system that ends the part being timed and starts `next`.
fn time_part(next: Option<&'static str>) -> impl FnMut(ResMut<BenchClock>) {
    move |mut clock: ResMut<BenchClock>| clock.switch(next)
}

/// The printed result.
#[derive(Serialize, Debug)]
pub struct BenchReport {
    pub scene: &'static str,
    pub frames: u32,
    pub frame_ms: FrameStats,
    pub systems_ms_per_frame: f64,
    /// The same time split by part of the program, in ms per frame.
    pub systems_ms_by_part: std::collections::BTreeMap<&'static str, f64>,
    pub first_frame_ms: f64,
    pub peak_rss_mb: f64,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct FrameStats {
    pub mean: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
}

/// Mean and percentiles (nearest rank) of a list of times.
pub fn frame_stats(times: &[f64]) -> FrameStats {
    if times.is_empty() {
        return FrameStats {
            mean: 0.0,
            p50: 0.0,
            p95: 0.0,
            p99: 0.0,
        };
    }
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank =
        |q: f64| sorted[((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1];
    FrameStats {
        mean: sorted.iter().sum::<f64>() / sorted.len() as f64,
        p50: rank(0.50),
        p95: rank(0.95),
        p99: rank(0.99),
    }
}

/// Peak resident memory of this process in MiB (VmHWM), or 0 where /proc is missing.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| {
                    l.split_whitespace()
                        .nth(1)
                        .and_then(|kb| kb.parse::<f64>().ok())
                })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The app `downhill bench` runs: `plan`'s scene in a `size` window with vsync off, timed.
pub fn app(
    plan: BenchPlan,
    size: (u32, u32),
    lesson: LessonText,
    scenarios: Scenarios,
) -> Result<App, String> {
    let launch = Launch {
        size,
        vsync: false,
        paused: true,
        ..Launch::default()
    };
    let mut app = App::new();
    match plan.scene {
        BenchScene::Full => {
            let race = scenarios
                .find("Plateau crawl")
                .ok_or("assets/scenarios.toml has no 'Plateau crawl' scenario to play")?;
            app.add_plugins(AppPlugin {
                launch,
                exhibit: None,
                languages: crate::text::Languages::only(lesson),
                scenarios,
            })
            .insert_resource(crate::sim::StepsPerSecond(20.0))
            .add_systems(Startup, move |mut commands: MessageWriter<RunCommand>| {
                // In this order: the race (which plays at once), three more balls joining it (six in all),
                // then h starts shrinking.
                commands.write(RunCommand::Scenario(race.clone()));
                for method in [Method::Nesterov, Method::RmsProp, Method::Gd] {
                    commands.write(RunCommand::AddBall {
                        method,
                        learning_rate: 0.2,
                    });
                }
                commands.write(RunCommand::Shrink(ShrinkCommand::Toggle));
            });
        }
        BenchScene::Empty => {
            app.add_plugins(DefaultPlugins.set(crate::window_plugin(&launch, None)))
                .add_plugins(bevy_egui::EguiPlugin::default())
                .add_plugins((crate::core_plugin, empty_scene));
        }
    }
    app.insert_resource(plan).add_plugins(plugin);
    Ok(app)
}

/// Times the frame and downhill's own systems; add after the scene's plugins.
pub fn plugin(app: &mut App) {
    app.init_resource::<BenchClock>()
        .insert_resource(crate::pacing::KeepAnimating(true))
        .add_systems(First, start_frame)
        .add_systems(
            Update,
            (
                start_systems.before(AppSystems::RecordInput),
                stop_systems.after(AppSystems::View),
            ),
        )
        .add_systems(
            FixedUpdate,
            (
                start_systems.before(AppSystems::Simulate),
                stop_systems.after(AppSystems::Simulate),
            ),
        )
        .add_systems(
            EguiPrimaryContextPass,
            (
                start_systems.before(EguiPass::Scene),
                stop_systems.after(EguiPass::Exhibit),
            ),
        )
        .add_systems(Last, finish_frame)
        .add_systems(
            Update,
            (
                time_part(Some("input")).before(AppSystems::RecordInput),
                time_part(Some("simulation"))
                    .after(AppSystems::RecordInput)
                    .before(AppSystems::Simulate),
                time_part(Some("view"))
                    .after(AppSystems::Simulate)
                    .before(AppSystems::View),
                time_part(None).after(AppSystems::View),
            ),
        )
        .add_systems(
            FixedUpdate,
            (
                time_part(Some("fixed steps")).before(AppSystems::Simulate),
                time_part(None).after(AppSystems::Simulate),
            ),
        )
        .add_systems(
            EguiPrimaryContextPass,
            (
                time_part(Some("overlay")).before(EguiPass::Scene),
                time_part(Some("race"))
                    .after(EguiPass::Scene)
                    .before(EguiPass::Cues),
                time_part(Some("lens"))
                    .after(EguiPass::Cues)
                    .before(EguiPass::Lens),
                time_part(Some("panel"))
                    .after(EguiPass::Lens)
                    .before(EguiPass::Panel),
                time_part(None).after(EguiPass::Panel),
            ),
        );
}

/// The floor scene: a camera and an empty panel.
pub fn empty_scene(app: &mut App) {
    app.add_systems(Startup, |mut commands: Commands| {
        commands.spawn(Camera2d);
    })
    .add_systems(
        EguiPrimaryContextPass,
        show_empty_panel.in_set(EguiPass::Panel),
    );
}

fn show_empty_panel(mut contexts: EguiContexts) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = crate::ui::root_ui(ctx);
    egui::Panel::right("controls")
        .exact_size(crate::theme::PANEL_WIDTH)
        .resizable(false)
        .show(&mut root, |ui| {
            ui.heading("downhill");
        });
    Ok(())
}

fn start_frame(mut clock: ResMut<BenchClock>) {
    clock.frame_started.get_or_insert_with(Instant::now);
}

fn start_systems(mut clock: ResMut<BenchClock>) {
    clock.systems_started = Some(Instant::now());
}

fn stop_systems(mut clock: ResMut<BenchClock>) {
    if let Some(started) = clock.systems_started.take() {
        clock.systems_ns_this_frame += started.elapsed().as_nanos() as u64;
    }
}

fn finish_frame(
    plan: Res<BenchPlan>,
    mut clock: ResMut<BenchClock>,
    mut exit: MessageWriter<AppExit>,
) {
    let now = Instant::now();
    if clock.first_frame_ms.is_none() {
        let start = *PROCESS_START.get_or_init(Instant::now);
        clock.first_frame_ms = Some(now.duration_since(start).as_secs_f64() * 1e3);
    }
    clock.seen += 1;
    let systems_ms = std::mem::take(&mut clock.systems_ns_this_frame) as f64 / 1e6;
    if clock.seen > plan.warmup {
        // A frame runs from the start of one First to the start of the next: measure between Lasts.
        if let Some(previous) = clock.frame_started {
            clock
                .frame_ms
                .push(now.duration_since(previous).as_secs_f64() * 1e3);
        }
        clock.systems_ms.push(systems_ms);
    }
    clock.frame_started = Some(now);
    clock.measuring = clock.seen >= plan.warmup;
    if clock.seen >= plan.warmup + plan.frames {
        let frames = f64::from(plan.frames.max(1));
        let report = BenchReport {
            scene: plan.scene.name(),
            frames: plan.frames,
            frame_ms: frame_stats(&clock.frame_ms),
            systems_ms_per_frame: clock.systems_ms.iter().sum::<f64>()
                / clock.systems_ms.len().max(1) as f64,
            systems_ms_by_part: clock
                .parts_ns
                .iter()
                .map(|&(name, ns)| (name, ns as f64 / 1e6 / frames))
                .collect(),
            first_frame_ms: clock.first_frame_ms.unwrap_or(0.0),
            peak_rss_mb: peak_rss_mb(),
        };
        match serde_json::to_string(&report) {
            Ok(json) => println!("{json}"),
            Err(error) => error!("cannot write the report: {error}"),
        }
        exit.write(AppExit::Success);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let times: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(
            frame_stats(&times),
            FrameStats {
                mean: 50.5,
                p50: 50.0,
                p95: 95.0,
                p99: 99.0
            }
        );
        assert_eq!(frame_stats(&[]).p50, 0.0);
    }

    #[test]
    fn peak_memory_is_read_from_proc() {
        assert!(peak_rss_mb() > 1.0);
    }
}
