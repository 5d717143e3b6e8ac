//! A real zoom of scene 1's plot about the ball: the wheel, a pinch, the panel's buttons and the "Zoom in"
//! animation change one factor; the plot's window, its ticks and the resampled curve follow it, and the
//! readout says how far the curve is from its tangent at the window's edge and whether f64 can still draw it.

use bevy::prelude::*;
use bevy_egui::egui::{self, Align2, FontId};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::PlotArea;
use crate::math::zoom::{
    MAX_FACTOR, Resolution, TangentGap, Window, animation_width_log10, resolution, tangent_gap,
};
use crate::scene::Scene;
use crate::sim::{LossCurve, Run};
use crate::text::{LessonText, fill};
use crate::theme::Sizing;
use crate::theme::numbers::format_number;
use crate::{AppSystems, EguiPass};

/// Samples across the window that the resolution check takes.
const RESOLUTION_SAMPLES: usize = 600;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<PlotZoom>()
        .init_resource::<ZoomReading>()
        .add_message::<ZoomCommand>()
        .add_observer(restore_launch)
        .add_systems(
            Update,
            (
                (
                    show_the_whole_of_a_new_curve.run_if(resource_changed::<LossCurve>),
                    apply_zoom_commands,
                    animate_zoom,
                )
                    .chain()
                    .before(crate::view::fit_plot_to_window),
                measure_zoom
                    .after(crate::view::fit_plot_to_window)
                    .before(super::curve::trace_curve),
            )
                .in_set(AppSystems::View),
        )
        .add_systems(
            EguiPrimaryContextPass,
            paint_zoom_readout
                .in_set(EguiPass::Scene)
                .after(super::overlay::paint_scene_overlay)
                .run_if(in_state(Scene::Slope)),
        );
}

/// How far scene 1's plot is zoomed in about the ball: 1 shows the curve's own view; the "Zoom in"
/// animation, while it runs, owns the factor.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct PlotZoom {
    pub factor: f64,
    /// Seconds into the "Zoom in" animation, and the window width it started from.
    pub animation: Option<(f64, f64)>,
}

impl Default for PlotZoom {
    fn default() -> Self {
        Self {
            factor: 1.0,
            animation: None,
        }
    }
}

impl PlotZoom {
    pub fn is_zoomed(&self) -> bool {
        self.factor > 1.0
    }

    pub fn is_animating(&self) -> bool {
        self.animation.is_some()
    }
}

/// What a person asked of the zoom.
#[derive(Message, Clone, Copy, Debug, PartialEq)]
pub enum ZoomCommand {
    /// Zoom in (above 1) or out (below 1) by this much; stops the animation.
    By(f64),
    /// Back to the whole curve.
    Whole,
    /// Start the "Zoom in" animation, or stop it if it runs.
    Animate,
}

/// This frame's measure of the zoomed plot: the tangent's gap at the window's edge and f64's resolution.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct ZoomReading {
    pub window_width: f64,
    pub gap: Option<TangentGap>,
    pub resolution: Option<Resolution>,
}

impl ZoomReading {
    /// False when the plot shows rounding rather than the curve (the curve is then drawn as dots).
    pub fn resolved(&self) -> bool {
        self.resolution.is_none_or(|r| r.resolved())
    }
}

/// A launch (and the exhibit's reset to it) shows the whole curve.
fn restore_launch(_: On<crate::launch::RestoreLaunch>, mut zoom: ResMut<PlotZoom>) {
    *zoom = PlotZoom::default();
}

/// A zoom belongs to the curve it was made on.
pub fn show_the_whole_of_a_new_curve(mut zoom: ResMut<PlotZoom>) {
    zoom.set_if_neq(PlotZoom::default());
}

pub fn apply_zoom_commands(
    mut commands: MessageReader<ZoomCommand>,
    loss_curve: Res<LossCurve>,
    mut zoom: ResMut<PlotZoom>,
) {
    for command in commands.read() {
        match *command {
            ZoomCommand::By(by) => {
                if by.is_finite() && by > 0.0 {
                    zoom.animation = None;
                    zoom.factor = (zoom.factor * by).clamp(1.0, MAX_FACTOR);
                }
            }
            ZoomCommand::Whole => *zoom = PlotZoom::default(),
            ZoomCommand::Animate => {
                if zoom.is_animating() {
                    *zoom = PlotZoom::default();
                } else {
                    let (lo, hi) = loss_curve.0.x_range;
                    *zoom = PlotZoom {
                        factor: 1.0,
                        animation: Some((0.0, hi - lo)),
                    };
                }
            }
        }
    }
}

pub fn animate_zoom(time: Res<Time>, mut zoom: ResMut<PlotZoom>) {
    let Some((seconds, base_width)) = zoom.animation else {
        return;
    };
    let seconds = seconds + time.delta_secs_f64();
    *zoom = match animation_width_log10(base_width, seconds) {
        Some(width) => PlotZoom {
            factor: (base_width / 10f64.powf(width)).max(1.0),
            animation: Some((seconds, base_width)),
        },
        None => PlotZoom::default(),
    };
}

/// The window `base` shows, zoomed about the run's ball as `zoom` says.
pub fn zoomed_window(
    base: &PlotArea,
    zoom: &PlotZoom,
    curve: &crate::math::Curve,
    x: f64,
) -> Window {
    crate::math::zoom::zoomed(
        Window {
            x: base.x_range,
            y: base.y_range,
        },
        (x, curve.value(x)),
        zoom.factor,
    )
}

pub fn measure_zoom(
    zoom: Res<PlotZoom>,
    plot: Res<PlotArea>,
    loss_curve: Res<LossCurve>,
    run: Res<Run>,
    mut reading: ResMut<ZoomReading>,
) {
    if !zoom.is_zoomed() {
        reading.set_if_neq(ZoomReading::default());
        return;
    }
    if !(plot.is_changed() || run.is_changed() || loss_curve.is_changed() || zoom.is_changed()) {
        return;
    }
    let curve = &*loss_curve.0;
    let window = Window {
        x: plot.x_range,
        y: plot.y_range,
    };
    let (_, pixels_per_unit) = plot.scale();
    let x = run.0.x;
    let gap = tangent_gap(
        |t| curve.value(t),
        curve.slope(x),
        curve.bend(x),
        x,
        &window,
        pixels_per_unit,
    );
    let resolution = resolution(
        |t| curve.value(t),
        |t| curve.bend(t),
        &window,
        RESOLUTION_SAMPLES,
        pixels_per_unit,
    );
    reading.set_if_neq(ZoomReading {
        window_width: window.width(),
        gap: gap.gap.is_finite().then_some(gap),
        resolution: Some(resolution),
    });
}

/// The zoom's sentences: the factor and window, the gap to the tangent, and what it means.
pub fn zoom_lines(
    lesson: &LessonText,
    zoom: &PlotZoom,
    reading: &ZoomReading,
) -> Vec<(String, bool)> {
    let words = &lesson.zoom;
    let mut lines = vec![(
        fill(
            &words.factor,
            &[
                ("factor", format_number(zoom.factor)),
                ("width", format_number(reading.window_width)),
            ],
        ),
        false,
    )];
    if let Some(r) = reading.resolution.filter(|r| !r.resolved()) {
        // Which of the two ran out: the digits of x, or f(x)'s rounding against the pixels.
        let said = if r.distinct_x * 2 < r.samples {
            fill(
                &words.unresolved_x,
                &[
                    ("distinct", r.distinct_x.to_string()),
                    ("samples", r.samples.to_string()),
                ],
            )
        } else {
            fill(&words.unresolved, &[("noise", format_number(r.noise))])
        };
        lines.push((said, true));
        return lines;
    }
    if let Some(gap) = reading.gap {
        lines.push((
            fill(
                &words.gap,
                &[
                    ("gap", format_number(gap.gap)),
                    ("pixels", format_number(gap.pixels)),
                    ("predicted", format_number(gap.predicted)),
                ],
            ),
            false,
        ));
        // Below f(x)'s own rounding the measured gap is rounding, not the bend: said, not hidden.
        let noise = reading.resolution.map_or(0.0, |r| r.noise);
        if gap.predicted < noise {
            lines.push((words.gap_is_rounding.clone(), false));
        }
        if gap.pixels < 0.5 {
            lines.push((words.one_line.clone(), false));
        }
    }
    lines
}

/// The readout in the plot's upper left corner while zoomed.
fn paint_zoom_readout(
    theme: Res<crate::theme::Theme>,
    mut contexts: EguiContexts,
    zoom: Res<PlotZoom>,
    reading: Res<ZoomReading>,
    plot: Res<PlotArea>,
    lesson: Res<LessonText>,
    sizing: Res<Sizing>,
    (lens, loss_curve, run, chord, scheme): (
        Res<super::lens::ZoomLens>,
        Res<LossCurve>,
        Res<Run>,
        Res<crate::sim::ChordStep>,
        Res<crate::sim::DifferenceScheme>,
    ),
    shown: Option<Res<crate::scene::Shown>>,
) -> Result {
    let pal = theme.0;
    if !zoom.is_zoomed() || shown.is_some_and(|s| !s.technical) {
        return Ok(());
    }
    let lens_shown =
        super::lens::lens_is_shown(&lens, &loss_curve.0, &plot, run.0.x, chord.0, scheme.0);
    let ctx = contexts.ctx_mut()?;
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Middle,
        egui::Id::new("zoom-readout"),
    ));
    let font = FontId::proportional(sizing.text(15.0));
    let width = (plot.size().x * 0.4).clamp(180.0, 460.0);
    let galleys: Vec<_> = zoom_lines(&lesson, &zoom, &reading)
        .into_iter()
        .map(|(line, warning)| {
            let colour = if warning { pal.warning } else { pal.text };
            painter.layout(line, font.clone(), colour.egui(), width)
        })
        .collect();
    let height: f32 = galleys.iter().map(|g| g.size().y + 4.0).sum();
    // The plot's top left corner, under the zoom lens when it shows (the zoom's buttons are in the lower
    // right, the key along the top from the middle).
    let below = if lens_shown {
        super::lens::lens_rect(&plot).1.y + 8.0
    } else {
        // Below where the x axis's numbers go when the axis runs along the top.
        plot.min.y + 34.0
    };
    let left_top = egui::pos2(plot.min.x + 10.0, below);
    let rect = Align2::LEFT_TOP.anchor_size(left_top, egui::vec2(width + 16.0, height + 12.0));
    painter.rect_filled(rect, 6.0, pal.background.egui().gamma_multiply(0.88));
    let mut top = rect.top() + 6.0;
    for galley in galleys {
        let h = galley.size().y;
        painter.galley(egui::pos2(rect.left() + 8.0, top), galley, pal.text.egui());
        top += h + 4.0;
    }
    Ok(())
}
