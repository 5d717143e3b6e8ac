//! `--screenshot PATH`: let the scene settle, save what the GPU drew, note where things are, and exit.
//!
//! The note (`PATH` with `.json` added) lists the screen positions of the ball, the tangent, the chord, the
//! curve and the panel, so a test can check the picture's pixels at the places they should be.

use std::path::PathBuf;
use std::time::Duration;

use bevy::diagnostic::FrameCount;
use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::window::{PrimaryWindow, RequestRedraw};
use serde::Serialize;

use crate::exhibit::Exhibit;
use crate::exhibit::scenes::SceneScript;
use crate::exhibit::view::{AttractLayout, TouchAudit};
use crate::math::regression::loss_at;
use crate::scene::Scene;
use crate::scene::Shown;
use crate::sim::gradient::GradientRun;
use crate::sim::{ChordStep, DifferenceScheme, LossCurve};
use crate::ui::PanelState;
use crate::view::gradient::Layout;
use crate::view::slope::ball::{BALL_RADIUS, Ball, Glide};
use crate::view::slope::derivative::{SlopePlot, SlopePlotArea, SlopePoint, SlopeShape};
use crate::view::slope::guides::{GuideGeometry, Guides};
use crate::view::slope::lens::{ZoomLens, lens_rect};
use crate::view::slope::race::RivalGlides;
use crate::view::slope::zoom::{PlotZoom, ZoomReading};
use crate::view::{PanelWidth, PlotArea};

/// Frames to wait for the screenshot after asking for it before giving up.
const PATIENCE_FRAMES: u32 = 900;

/// Where to save the screenshot and when.
#[derive(Resource, Clone, Debug)]
pub struct CaptureRequest {
    pub path: PathBuf,
    pub after: After,
}

/// When the screenshot is taken.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum After {
    /// After this many frames (the window is kept redrawing every frame to count them).
    Frames(u32),
    /// This many seconds after the first frame, with the window redrawing at its own pace; it is woken
    /// when the moment comes, so a window that stalls is photographed stalled.
    Seconds(f64),
}

/// The frame the screenshot is taken on, once the moment has come.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
struct Moment {
    first_frame: Option<Duration>,
    due_at_frame: Option<u32>,
    taken: bool,
}

/// Where things were on screen when the screenshot was taken, in logical pixels from the top-left.
#[derive(Serialize, Debug)]
pub struct SceneNote {
    pub window: [f32; 2],
    pub scale_factor: f32,
    /// Frames drawn since the window opened, and scene 1's step number.
    pub frames: u32,
    pub step: u64,
    pub plot: [f32; 4],
    pub panel: [f32; 4],
    pub ball: [f32; 2],
    pub ball_radius: f32,
    pub tangent: [[f32; 2]; 2],
    pub chord_start: [f32; 2],
    pub chord_end: [f32; 2],
    /// The zoom lens's rectangle, when it is shown.
    pub lens: Option<[f32; 4]>,
    /// The error plot's rectangle, when the chord lab is open.
    pub error_plot: Option<[f32; 4]>,
    /// The loss plot's rectangle, when the descent tab is open.
    pub loss_plot: Option<[f32; 4]>,
    /// Where each rival ball is, in race order.
    pub rivals: Vec<[f32; 2]>,
    pub curve: Vec<[f32; 2]>,
    /// Exhibit mode's state, when it is on.
    pub exhibit: Option<ExhibitNote>,
    /// Scene 2, when it is on screen.
    pub gradient: Option<GradientNote>,
    /// The slope plot under scene 1's plot, when it is shown.
    pub slope_plot: Option<SlopePlotNote>,
    /// Scene 1's zoom about the ball, when it is zoomed in.
    pub zoom: Option<ZoomNote>,
    /// Predict mode, in scene 1.
    pub predict: Option<PredictNote>,
    /// The language's code, and every piece of text egui painted in the frame (panel, overlays, captions).
    pub language: String,
    pub texts: Vec<String>,
    /// Where each of those texts was painted (logical pixels: min x, min y, max x, max y), in the same
    /// order, the colour it was painted in, and its size in points; and the theme in use.
    pub text_boxes: Vec<TextBox>,
    pub theme: String,
}

/// One painted text's box, colour and size, for a screenshot test to read its pixels.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct TextBox {
    pub rect: [f32; 4],
    pub colour: [u8; 4],
    pub size: f32,
}

/// Every text egui painted this frame, for the screenshot's note.
#[derive(Resource, Default, Debug, Clone)]
pub struct PaintedTexts(pub Vec<String>, pub Vec<TextBox>);

/// Reads the frame's painted text back out of egui's shapes.
fn collect_painted_texts(
    mut contexts: bevy_egui::EguiContexts,
    mut texts: ResMut<PaintedTexts>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let layers: Vec<bevy_egui::egui::LayerId> = ctx.memory(|m| m.layer_ids().collect());
    let mut found = Vec::new();
    let mut boxes = Vec::new();
    ctx.graphics(|graphics| {
        let mut visit = |shape: &bevy_egui::egui::Shape| {
            if let bevy_egui::egui::Shape::Text(text) = shape
                && !text.galley.is_empty()
            {
                found.push(text.galley.job.text.clone());
                let rect = text.visual_bounding_rect();
                let section = text.galley.job.sections.first();
                let colour = section
                    .map(|s| s.format.color)
                    .filter(|c| *c != bevy_egui::egui::Color32::PLACEHOLDER)
                    .unwrap_or(text.fallback_color);
                let colour = text.override_text_color.unwrap_or(colour);
                boxes.push(TextBox {
                    rect: [rect.min.x, rect.min.y, rect.max.x, rect.max.y],
                    colour: colour.to_array(),
                    size: section.map_or(0.0, |s| s.format.font_id.size),
                });
            }
        };
        for layer in layers {
            if let Some(list) = graphics.get(layer) {
                for clipped in list.all_entries() {
                    match &clipped.shape {
                        bevy_egui::egui::Shape::Vec(shapes) => shapes.iter().for_each(&mut visit),
                        shape => visit(shape),
                    }
                }
            }
        }
    });
    texts.0 = found;
    texts.1 = boxes;
    Ok(())
}

/// Predict mode: the guess, the last step and how it went, the streak, the race's question, and where the
/// ghost ball and the real landing are drawn (logical pixels).
#[derive(Serialize, Debug, Clone)]
pub struct PredictNote {
    pub on: bool,
    pub guess: Option<f64>,
    /// The ghost ring's centre (its radius `ghost_radius`) and the foot of its dashed line on the x axis.
    pub ghost: Option<[f32; 2]>,
    pub ghost_foot: Option<[f32; 2]>,
    pub ghost_radius: f32,
    /// The real landing's diamond on the x axis, while the ball stands where the last step put it.
    pub landing_foot: Option<[f32; 2]>,
    pub last: Option<OutcomeNote>,
    pub streak: u32,
    pub best: u32,
    pub race_pick: Option<usize>,
    pub race_result: Option<&'static str>,
}

/// The last step taken in predict mode, with its numbers (a landing off the number line is null).
#[derive(Serialize, Debug, Clone)]
pub struct OutcomeNote {
    pub step: u64,
    pub start: f64,
    pub landing: f64,
    pub guess: Option<f64>,
    pub miss: Option<f64>,
    pub good: Option<bool>,
    pub tolerance: f64,
    pub reason: &'static str,
}

/// How far scene 1's plot is zoomed, the window it shows and its tick numbers as written, and what the
/// readout measures.
#[derive(Serialize, Debug, Clone)]
pub struct ZoomNote {
    pub factor: f64,
    pub animating: bool,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub x_ticks: Vec<String>,
    /// The curve's distance from its tangent at the window's edge, in units and in pixels, and f''d^2/2.
    pub gap: Option<f64>,
    pub gap_pixels: Option<f64>,
    pub predicted: Option<f64>,
    /// False when f64 cannot resolve the curve there (it is drawn as dots).
    pub resolved: bool,
}

/// Where the slope plot's parts are on screen (logical pixels), and the numbers they show.
#[derive(Serialize, Debug, Clone)]
pub struct SlopePlotNote {
    pub rect: [f32; 4],
    pub trace: bool,
    /// The point (x, f'(x)) at the run's x (none where f' is not a number), and its height: the tangent's
    /// slope.
    pub point: Option<[f32; 2]>,
    pub x: f64,
    pub slope: f64,
    /// The same frame's tangent slope, as the guides drawn in that frame have it.
    pub tangent_slope: f64,
    /// The screen row of f' = 0.
    pub zero_y: f32,
    /// Where the tangent is flat: x, and the screen column of its guide.
    pub flats: Vec<(f64, f32)>,
    /// Points of f' on screen (inside the plot) with their sign: true where f' > 0.
    pub curve: Vec<([f32; 2], bool)>,
}

/// Where scene 2's parts are on screen (logical pixels) and its numbers.
#[derive(Serialize, Debug, Clone)]
pub struct GradientNote {
    pub landscape: [f32; 4],
    pub data: [f32; 4],
    pub slice: [f32; 4],
    pub ball: [f32; 2],
    pub points: Vec<[f32; 2]>,
    /// Two screen points on the line y_hat = w x + b in the data view.
    pub line: [[f32; 2]; 2],
    pub w: f64,
    pub b: f64,
    pub loss: f64,
    pub dw: f64,
    pub db: f64,
    pub step: u64,
}

/// What exhibit mode was doing when the screenshot was taken.
#[derive(Serialize, Debug, Clone)]
pub struct ExhibitNote {
    pub mode: &'static str,
    pub scene: Option<usize>,
    pub caption: Option<String>,
    pub caption_rect: Option<[f32; 4]>,
    pub prompt_rect: Option<[f32; 4]>,
    /// A panel is on screen (the visitor panel or the whole one), and which.
    pub panel_shown: bool,
    pub visitor_panel: bool,
    /// The attract screen's language buttons, and the "too big a step!" stamp.
    pub language_rect: Option<[f32; 4]>,
    pub moment_rect: Option<[f32; 4]>,
    /// Physical pixels: the smaller side of the smallest control on screen, the smallest letters.
    pub smallest_control_px: Option<f32>,
    pub smallest_control_rect: Option<[f32; 4]>,
    pub smallest_text_px: Option<f32>,
    pub controls: usize,
}

/// Adds the screenshot when the command line asked for one (`--screenshot`, after `--frames` or `--wait`).
pub fn add_if_asked(app: &mut App, launch: &crate::launch::Launch) {
    let Some(path) = &launch.screenshot else {
        return;
    };
    let after = match launch.wait {
        // The window keeps its own pacing; it is only woken when the moment comes.
        Some(seconds) => After::Seconds(seconds),
        None => {
            // Counting frames needs frames to keep coming while nothing moves.
            app.insert_resource(crate::pacing::KeepAnimating(true));
            After::Frames(launch.frames)
        }
    };
    app.insert_resource(CaptureRequest {
        path: path.clone(),
        after,
    })
    .add_plugins(plugin);
}

pub fn plugin(app: &mut App) {
    app.init_resource::<Moment>()
        .init_resource::<PaintedTexts>()
        .add_systems(
            Last,
            (watch_for_the_moment, capture_when_settled)
                .chain()
                .before(crate::pacing::choose_update_mode),
        )
        .add_systems(
            bevy_egui::EguiPrimaryContextPass,
            crate::exhibit::view::audit_touch_sizes
                .after(crate::EguiPass::Exhibit)
                .run_if(resource_exists::<TouchAudit>),
        )
        .add_systems(
            bevy_egui::EguiPrimaryContextPass,
            collect_painted_texts.after(crate::EguiPass::Exhibit),
        );
}

fn watch_for_the_moment(
    frames: Res<FrameCount>,
    time: Res<Time<Real>>,
    request: Res<CaptureRequest>,
    mut moment: ResMut<Moment>,
    mut wake: ResMut<crate::pacing::WakeAt>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    if moment.due_at_frame.is_some() {
        // The screenshot takes a few frames to come back from the GPU: keep them coming.
        redraw.write(RequestRedraw);
        return;
    }
    match request.after {
        After::Frames(count) => {
            if frames.0 >= count {
                moment.due_at_frame = Some(frames.0);
            }
        }
        After::Seconds(seconds) => {
            let now = time.elapsed();
            let first = *moment.first_frame.get_or_insert(now);
            let due = first + Duration::from_secs_f64(seconds);
            if now >= due {
                moment.due_at_frame = Some(frames.0);
                wake.0 = None;
                redraw.write(RequestRedraw);
            } else {
                wake.0 = Some(due);
            }
        }
    }
}

fn capture_when_settled(
    frames: Res<FrameCount>,
    (request, mut moment): (Res<CaptureRequest>, ResMut<Moment>),
    window: Single<&Window, With<PrimaryWindow>>,
    plot: Res<PlotArea>,
    panel: Res<PanelWidth>,
    loss_curve: Res<LossCurve>,
    chord: Res<ChordStep>,
    scheme: Res<DifferenceScheme>,
    lens: Res<ZoomLens>,
    panel_state: Res<PanelState>,
    rival_glides: Res<RivalGlides>,
    (ball, run, zoom): (Single<&Glide, With<Ball>>, Res<crate::sim::Run>, ZoomState),
    (exhibit, gradient, slope, predict): (
        ExhibitState,
        GradientState,
        SlopePlotState,
        PredictState,
    ),
    (texts, language, theme): (
        Res<PaintedTexts>,
        Res<crate::text::CurrentLanguage>,
        Res<crate::theme::Theme>,
    ),
    mut commands: Commands,
    mut exit: MessageWriter<AppExit>,
) {
    if moment.due_at_frame.is_some() && !moment.taken {
        moment.taken = true;
        let mut note = scene_note(
            &window,
            &plot,
            &panel,
            &loss_curve,
            &chord,
            &scheme,
            &lens,
            &panel_state,
            &rival_glides,
            &ball,
            run.0.x,
        );
        note.step = run.0.step;
        note.frames = frames.0;
        note.exhibit = exhibit.note();
        note.gradient = gradient.note();
        note.slope_plot = slope.note(&loss_curve);
        note.predict = Some(predict.note(&plot, &loss_curve, &run.0));
        note.zoom = zoom.note(&plot);
        note.language = language.0.clone();
        note.texts = texts.0.clone();
        note.text_boxes = texts.1.clone();
        note.theme = theme.name.code().to_owned();
        let note_path = request.path.with_extension("png.json");
        if let Some(dir) = request.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        match serde_json::to_string_pretty(&note) {
            Ok(json) => {
                if let Err(error) = std::fs::write(&note_path, json) {
                    error!("cannot write {}: {error}", note_path.display());
                    exit.write(AppExit::error());
                    return;
                }
            }
            Err(error) => error!("cannot describe the scene: {error}"),
        }
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(request.path.clone()))
            .observe(
                |_: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
                    exit.write(AppExit::Success);
                },
            );
    }
    if moment
        .due_at_frame
        .is_some_and(|due| frames.0 > due + PATIENCE_FRAMES)
    {
        error!("the screenshot never arrived; giving up");
        exit.write(AppExit::error());
    }
}

/// Scene 1's zoom and its reading.
#[derive(SystemParam)]
pub struct ZoomState<'w> {
    zoom: Res<'w, PlotZoom>,
    reading: Res<'w, ZoomReading>,
}

impl ZoomState<'_> {
    fn note(&self, plot: &PlotArea) -> Option<ZoomNote> {
        if !self.zoom.is_zoomed() {
            return None;
        }
        let (x_ticks, _) = crate::view::slope::curve::axis_ticks(plot);
        let step = x_ticks
            .get(1)
            .zip(x_ticks.first())
            .map_or(1.0, |(b, a)| b - a);
        let gap = self.reading.gap;
        Some(ZoomNote {
            factor: self.zoom.factor,
            animating: self.zoom.is_animating(),
            x_range: plot.x_range,
            y_range: plot.y_range,
            x_ticks: x_ticks
                .iter()
                .map(|&x| crate::theme::numbers::format_tick(x, step))
                .collect(),
            gap: gap.map(|g| g.gap),
            gap_pixels: gap.map(|g| g.pixels),
            predicted: gap.map(|g| g.predicted),
            resolved: self.reading.resolved(),
        })
    }
}

/// Predict mode's state.
#[derive(SystemParam)]
pub struct PredictState<'w> {
    predict: Res<'w, crate::sim::predict::Predict>,
}

impl PredictState<'_> {
    fn note(
        &self,
        plot: &PlotArea,
        loss_curve: &LossCurve,
        run: &crate::math::Descent,
    ) -> PredictNote {
        use crate::view::slope::predict::{GHOST_RADIUS, PredictMarks};
        let p = &*self.predict;
        let marks = PredictMarks::new(plot, &loss_curve.0, p, run.x, run.step);
        let xy = |v: Vec2| [v.x, v.y];
        PredictNote {
            on: p.on,
            guess: p.guess,
            ghost: marks.ghost.map(|m| xy(m.on_curve)),
            ghost_foot: marks.ghost.map(|m| xy(m.foot)),
            ghost_radius: GHOST_RADIUS,
            landing_foot: marks.landing.map(|m| xy(m.foot)),
            last: p.last.map(|o| OutcomeNote {
                step: o.step,
                start: o.start,
                landing: o.landing,
                guess: o.guess,
                miss: o.miss(),
                good: o.good(),
                tolerance: o.tolerance,
                reason: o.reason.name(),
            }),
            streak: p.streak.current,
            best: p.streak.best,
            race_pick: p.race_pick,
            race_result: p.race_result.map(|r| r.name()),
        }
    }
}

/// The slope plot's layout and point.
#[derive(SystemParam)]
pub struct SlopePlotState<'w> {
    choice: Res<'w, SlopePlot>,
    area: Res<'w, SlopePlotArea>,
    shape: Res<'w, SlopeShape>,
    point: Res<'w, SlopePoint>,
    guides: Res<'w, Guides>,
}

impl SlopePlotState<'_> {
    fn note(&self, loss_curve: &LossCurve) -> Option<SlopePlotNote> {
        let area = self.area.0?;
        let curve = &*loss_curve.0;
        let samples = 40;
        let points = (1..samples)
            .map(|i| {
                let x =
                    area.x_range.0 + (area.x_range.1 - area.x_range.0) * i as f64 / samples as f64;
                let slope = curve.slope(x);
                (area.to_screen(x, slope), slope > 0.0)
            })
            .filter(|(p, _)| area.contains(*p))
            .map(|(p, rising)| ([p.x, p.y], rising))
            .collect();
        Some(SlopePlotNote {
            rect: [area.min.x, area.min.y, area.max.x, area.max.y],
            trace: self.choice.trace,
            point: self.point.screen.map(|p| [p.x, p.y]),
            x: self.point.x,
            slope: self.point.slope,
            tangent_slope: self.guides.0.slope,
            zero_y: area.to_screen(0.0, 0.0).y,
            flats: self
                .shape
                .flats
                .iter()
                .map(|&x| (x, area.to_screen(x, 0.0).x))
                .collect(),
            curve: points,
        })
    }
}

/// Scene 2's state and layout.
#[derive(SystemParam)]
pub struct GradientState<'w> {
    scene: Res<'w, State<Scene>>,
    run: Option<Res<'w, GradientRun>>,
    layout: Option<Res<'w, Layout>>,
}

impl GradientState<'_> {
    fn note(&self) -> Option<GradientNote> {
        if *self.scene.get() != Scene::Gradient {
            return None;
        }
        let (r, layout) = (self.run.as_ref()?, self.layout.as_ref()?);
        let rect = |r: Rect| [r.min.x, r.min.y, r.max.x, r.max.y];
        let xy = |v: Vec2| [v.x, v.y];
        let at = loss_at(&r.points, r.fit.w, r.fit.b);
        let line = |x: f64| xy(layout.data_to_screen(x, r.fit.w * x + r.fit.b));
        Some(GradientNote {
            landscape: rect(layout.landscape),
            data: rect(layout.data),
            slice: rect(layout.slice),
            ball: xy(layout.to_screen(&r.view, r.fit.w, r.fit.b)),
            points: r
                .points
                .iter()
                .map(|p| xy(layout.data_to_screen(p.x, p.y)))
                .collect(),
            line: [line(0.0), line(4.0)],
            w: r.fit.w,
            b: r.fit.b,
            loss: at.loss,
            dw: at.dw,
            db: at.db,
            step: r.fit.step,
        })
    }
}

/// Exhibit mode's resources, present only in exhibit mode.
#[derive(SystemParam)]
pub struct ExhibitState<'w> {
    exhibit: Option<Res<'w, Exhibit>>,
    script: Option<Res<'w, SceneScript>>,
    layout: Option<Res<'w, AttractLayout>>,
    audit: Option<Res<'w, TouchAudit>>,
    shown: Option<Res<'w, Shown>>,
    lesson: Option<Res<'w, crate::text::LessonText>>,
}

impl ExhibitState<'_> {
    fn note(&self) -> Option<ExhibitNote> {
        let exhibit = self.exhibit.as_ref()?;
        let layout = self.layout.as_deref().copied().unwrap_or_default();
        let audit = self.audit.as_deref().copied().unwrap_or_default();
        let attracting = exhibit.machine.is_attracting();
        Some(ExhibitNote {
            mode: crate::exhibit::mode_name(exhibit.machine.mode),
            scene: self.script.as_ref().filter(|_| attracting).map(|s| s.index),
            caption: self
                .script
                .as_ref()
                .filter(|_| attracting)
                .zip(self.lesson.as_deref())
                .map(|(s, lesson)| s.caption.words(lesson).to_owned()),
            caption_rect: layout.caption,
            prompt_rect: layout.prompt,
            language_rect: layout.language,
            moment_rect: layout.moment,
            panel_shown: self.shown.as_deref().is_none_or(|s| s.panel || s.visitor),
            visitor_panel: self.shown.as_deref().is_some_and(|s| s.visitor),
            smallest_control_px: audit.smallest_control_px,
            smallest_control_rect: audit.smallest_control_rect,
            smallest_text_px: audit.smallest_text_px,
            controls: audit.controls,
        })
    }
}

fn scene_note(
    window: &Window,
    plot: &PlotArea,
    panel: &PanelWidth,
    loss_curve: &LossCurve,
    chord: &ChordStep,
    scheme: &DifferenceScheme,
    lens: &ZoomLens,
    panel_state: &PanelState,
    rival_glides: &RivalGlides,
    ball: &Glide,
    run_x: f64,
) -> SceneNote {
    let curve = &*loss_curve.0;
    // The guides describe the run's state; the ball is where its disc is drawn (the same once it has landed).
    let g = GuideGeometry::new(plot, curve, run_x, chord.0, scheme.0);
    let drawn = plot.to_screen(ball.x(), curve.value(ball.x()));
    let samples = 24;
    let points = (1..samples)
        .map(|i| {
            let x = plot.x_range.0 + (plot.x_range.1 - plot.x_range.0) * i as f64 / samples as f64;
            plot.to_screen(x, curve.value(x))
        })
        .filter(|p| plot.contains(*p))
        .map(|p| [p.x, p.y])
        .collect();
    let w = window.width();
    SceneNote {
        window: [w, window.height()],
        scale_factor: window.scale_factor(),
        frames: 0,
        step: 0,
        plot: [plot.min.x, plot.min.y, plot.max.x, plot.max.y],
        panel: [w - panel.0, 0.0, w, window.height()],
        ball: [drawn.x, drawn.y],
        ball_radius: BALL_RADIUS,
        tangent: [
            [g.tangent[0].x, g.tangent[0].y],
            [g.tangent[1].x, g.tangent[1].y],
        ],
        chord_start: [g.chord_start.x, g.chord_start.y],
        chord_end: [g.chord_end.x, g.chord_end.y],
        error_plot: panel_state.error_plot,
        loss_plot: panel_state.loss_plot,
        rivals: rival_glides
            .0
            .iter()
            .map(|g| {
                let p = plot.to_screen(g.x(), curve.value(g.x()));
                [p.x, p.y]
            })
            .collect(),
        lens: lens.0.then(|| {
            let r = lens_rect(plot);
            [r.0.x, r.0.y, r.1.x, r.1.y]
        }),
        curve: points,
        exhibit: None,
        gradient: None,
        slope_plot: None,
        zoom: None,
        predict: None,
        language: String::new(),
        texts: Vec::new(),
        text_boxes: Vec::new(),
        theme: String::new(),
    }
}
