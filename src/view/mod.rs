//! What is drawn for both scenes: scene 1's plot in the world with egui's labels over it ([`slope`]), and
//! scene 2's landscape, data and slice ([`gradient`]); the camera, the plot's place on screen and the
//! label placer they share.

pub mod gradient;
pub mod labels;
pub mod slope;

use bevy::prelude::*;
use bevy::window::PrimaryWindow;

use crate::AppSystems;
use crate::math::Curve;
use crate::scene::Scene;
use crate::sim::LossCurve;
use crate::theme::{PANEL_WIDTH, Theme};

/// Room around the plot, in logical pixels: for tick labels (left, bottom) and the caption (top).
pub const MARGIN_LEFT: f32 = 70.0;
pub const MARGIN_RIGHT: f32 = 28.0;
pub const MARGIN_TOP: f32 = 150.0;
pub const MARGIN_BOTTOM: f32 = 64.0;
/// Screen coordinates are kept inside this many pixels so a far-away ball never feeds f32 a huge number.
const SCREEN_LIMIT: f64 = 1.0e5;
/// The share of the height below the captions that the slope plot takes when it is shown.
pub const SLOPE_PLOT_SHARE: f32 = 0.38;
/// Room between the plot and the slope plot under it, in logical pixels.
pub const SLOPE_PLOT_GAP: f32 = 30.0;
/// Below this height (from the captions to the bottom margin) there is no room for two plots.
const SLOPE_PLOT_NEEDS: f32 = 260.0;

pub fn plugin(app: &mut App) {
    // Scene 1's drawing in the world rests while scene 2 is on screen (scene 2 paints with egui).
    app.configure_sets(Update, AppSystems::View.run_if(in_state(Scene::Slope)));
    app.init_resource::<Theme>()
        .init_resource::<crate::theme::TextScale>()
        .init_resource::<LineWidths>()
        .insert_resource(ClearColor(Theme::default().background.bevy()))
        .init_resource::<PanelWidth>()
        .init_resource::<CaptionsBottom>()
        .init_resource::<PlotArea>()
        .add_systems(Startup, spawn_camera)
        .add_systems(
            Update,
            (
                clear_to_the_theme.run_if(resource_exists_and_changed::<Theme>),
                (
                    fit_scale_to_window,
                    widen_lines_to_scale,
                    fit_camera_to_window,
                )
                    .chain()
                    .before(fit_plot_to_window),
            ),
        )
        .add_systems(
            Update,
            fit_plot_to_window
                .in_set(AppSystems::View)
                .before(slope::curve::trace_curve)
                .before(slope::ball::place_ball_on_curve),
        )
        .add_plugins((slope::plugin, gradient::plugin));
}

/// The plot's background follows the theme.
fn clear_to_the_theme(theme: Res<Theme>, mut clear: ResMut<ClearColor>) {
    clear.0 = theme.background.bevy();
}

/// The desktop draws everything at the chosen scale times the window's ([`crate::theme::window_scale`]):
/// the window's logical size shrinks by as much, so the panel, the labels, the plot's margins and its lines
/// all grow together. The exhibit sizes itself for touch instead.
fn fit_scale_to_window(
    scale: Res<crate::theme::TextScale>,
    sizing: Option<Res<crate::theme::Sizing>>,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
) {
    if sizing.is_some_and(|s| s.touch) {
        return;
    }
    for mut window in &mut windows {
        let screen = window.resolution.base_scale_factor();
        let physical = (window.physical_width(), window.physical_height());
        let wanted = screen * scale.0 * crate::theme::window_scale(physical, screen);
        let current = window.resolution.scale_factor();
        if (current - wanted).abs() > 1e-3 {
            window.resolution.set_scale_factor_override(Some(wanted));
            info!(
                "view: the interface is at {:.0}%, drawn at {wanted:.3} pixels a point",
                scale.0 * 100.0
            );
        }
    }
}

/// How many physical pixels a line of one logical pixel takes: the theme's thickness times the window's
/// scale. The gizmos' widths are in physical pixels, so without this a larger interface would draw its
/// lines as thin as before.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct LineWidths {
    pub scale: f32,
}

impl Default for LineWidths {
    fn default() -> Self {
        Self { scale: 1.0 }
    }
}

impl LineWidths {
    /// A line `width` logical pixels wide in the dark theme, in physical pixels as this one draws it.
    pub fn px(&self, width: f32) -> f32 {
        width * self.scale
    }
}

/// The camera shows exactly the window's logical size, one world unit to one logical pixel. Bevy's own
/// "window size" scaling kept the scale the window started with when the scale changed while running
/// (Ctrl+=), and drew the plot larger or smaller than its labels.
fn fit_camera_to_window(
    windows: Query<&Window, With<PrimaryWindow>>,
    mut cameras: Query<&mut Projection, With<Camera2d>>,
) {
    let Ok(window) = windows.single() else {
        return;
    };
    let (width, height) = (window.width().max(1.0), window.height().max(1.0));
    for mut projection in &mut cameras {
        let same = matches!(
            &*projection,
            Projection::Orthographic(ortho) if matches!(
                ortho.scaling_mode,
                bevy::camera::ScalingMode::Fixed { width: w, height: h } if w == width && h == height
            )
        );
        if !same && let Projection::Orthographic(ortho) = &mut *projection {
            ortho.scaling_mode = bevy::camera::ScalingMode::Fixed { width, height };
        }
    }
}

fn widen_lines_to_scale(
    theme: Res<Theme>,
    windows: Query<&Window, With<PrimaryWindow>>,
    mut widths: ResMut<LineWidths>,
) {
    let window = windows.single().map(|w| w.scale_factor()).unwrap_or(1.0);
    widths.set_if_neq(LineWidths {
        scale: theme.line_scale * window,
    });
}

/// How much of the screen's bottom the plots leave free: the attract loop's prompt strip (no panel shown,
/// not a visitor's), else nothing.
pub fn bottom_room(shown: Option<&crate::scene::Shown>) -> f32 {
    match shown {
        Some(shown) if !shown.panel && !shown.visitor => crate::theme::ATTRACT_PROMPT_ROOM,
        _ => 0.0,
    }
}

/// Where the captions over scene 1's plot ended last frame (logical pixels from the top; 0 when there are
/// none). A larger interface wraps them onto more lines, and the plot starts below them.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct CaptionsBottom(pub f32);

/// Room between the captions and the plot's top, in logical pixels.
const CAPTIONS_GAP: f32 = 10.0;

/// The width the control panel took last frame, in logical pixels; the plot uses what is left.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct PanelWidth(pub f32);

impl Default for PanelWidth {
    fn default() -> Self {
        Self(PANEL_WIDTH)
    }
}

/// Where the plot sits on screen and which part of the curve's plane it shows.
///
/// Screen coordinates are logical pixels from the window's top-left corner, y down (as egui and the cursor
/// use them); world coordinates are what the 2D camera sees, origin at the window's centre, y up.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct PlotArea {
    pub window: Vec2,
    pub min: Vec2,
    pub max: Vec2,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
}

impl Default for PlotArea {
    fn default() -> Self {
        Self::new(
            Vec2::new(1280.0, 720.0),
            PANEL_WIDTH,
            &LossCurve::default().0,
        )
    }
}

impl PlotArea {
    /// The plot for a window of `window` logical pixels with a panel `panel_width` wide on its right.
    pub fn new(window: Vec2, panel_width: f32, curve: &Curve) -> Self {
        let window = window.max(Vec2::ONE);
        let min = Vec2::new(MARGIN_LEFT, MARGIN_TOP).min(window * 0.25);
        let right = (window.x - panel_width - MARGIN_RIGHT).max(min.x + 1.0);
        let bottom = (window.y - MARGIN_BOTTOM).max(min.y + 1.0);
        Self {
            window,
            min,
            max: Vec2::new(right, bottom),
            x_range: curve.x_range,
            y_range: curve.y_range,
        }
    }

    /// The plot, and under it the slope plot showing f' in `band` on the same x axis: the two share the
    /// height below the captions. `None` for the slope plot when the window is too short for two.
    pub fn with_slope_plot(
        window: Vec2,
        panel_width: f32,
        curve: &Curve,
        band: (f64, f64),
    ) -> (Self, Option<Self>) {
        let whole = Self::new(window, panel_width, curve);
        let height = whole.max.y - whole.min.y;
        if height < SLOPE_PLOT_NEEDS {
            return (whole, None);
        }
        let lower_height = ((height - SLOPE_PLOT_GAP) * SLOPE_PLOT_SHARE).round();
        let mut upper = whole;
        upper.max.y = whole.max.y - lower_height - SLOPE_PLOT_GAP;
        let lower = Self {
            min: Vec2::new(whole.min.x, whole.max.y - lower_height),
            y_range: band,
            ..whole
        };
        (upper, Some(lower))
    }

    pub fn size(&self) -> Vec2 {
        self.max - self.min
    }

    /// Pixels per unit of x and of y.
    pub fn scale(&self) -> (f64, f64) {
        let size = self.size();
        (
            size.x as f64 / (self.x_range.1 - self.x_range.0),
            size.y as f64 / (self.y_range.1 - self.y_range.0),
        )
    }

    /// Screen position of the point (x, y) of the curve's plane.
    pub fn to_screen(&self, x: f64, y: f64) -> Vec2 {
        let (sx, sy) = self.scale();
        let px = self.min.x as f64 + (x - self.x_range.0) * sx;
        let py = self.max.y as f64 - (y - self.y_range.0) * sy;
        Vec2::new(limit(px), limit(py))
    }

    /// World position of the point (x, y) of the curve's plane.
    pub fn to_world(&self, x: f64, y: f64) -> Vec2 {
        self.screen_to_world(self.to_screen(x, y))
    }

    pub fn screen_to_world(&self, screen: Vec2) -> Vec2 {
        Vec2::new(
            screen.x - self.window.x / 2.0,
            self.window.y / 2.0 - screen.y,
        )
    }

    /// A world position back on screen (logical pixels, y down): the inverse of [`Self::screen_to_world`].
    pub fn world_to_screen(&self, world: Vec2) -> Vec2 {
        Vec2::new(world.x + self.window.x / 2.0, self.window.y / 2.0 - world.y)
    }

    /// The x of the curve's plane under a screen position.
    pub fn screen_to_x(&self, screen: Vec2) -> f64 {
        let (sx, _) = self.scale();
        self.x_range.0 + (screen.x - self.min.x) as f64 / sx
    }

    pub fn contains(&self, screen: Vec2) -> bool {
        screen.cmpge(self.min).all() && screen.cmple(self.max).all()
    }
}

fn limit(pixels: f64) -> f32 {
    if pixels.is_nan() {
        0.0
    } else {
        pixels.clamp(-SCREEN_LIMIT, SCREEN_LIMIT) as f32
    }
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn((Name::new("Camera"), Camera2d));
}

pub fn fit_plot_to_window(
    window: Single<&Window, With<PrimaryWindow>>,
    panel: Res<PanelWidth>,
    loss_curve: Res<LossCurve>,
    slope_plot: Res<slope::derivative::SlopePlot>,
    shape: Res<slope::derivative::SlopeShape>,
    (zoom, run): (Res<slope::zoom::PlotZoom>, Res<crate::sim::Run>),
    shown: Option<Res<crate::scene::Shown>>,
    captions: Option<Res<CaptionsBottom>>,
    mut plot: ResMut<PlotArea>,
    mut slope_area: ResMut<slope::derivative::SlopePlotArea>,
) {
    let size = Vec2::new(window.width(), window.height());
    let (mut upper, mut lower) = if slope_plot.shown {
        PlotArea::with_slope_plot(size, panel.0, &loss_curve.0, shape.band)
    } else {
        (PlotArea::new(size, panel.0, &loss_curve.0), None)
    };
    // Captions wrapped onto more lines than the margin holds (a larger interface): the plot starts lower.
    let below = captions.map_or(0.0, |c| c.0) + CAPTIONS_GAP;
    // Never past 45% of the window, though: at the largest sizes the captions give way to the plot.
    if below > upper.min.y {
        upper.min.y = below
            .min(size.y * 0.45)
            .min(upper.max.y - 40.0)
            .max(upper.min.y);
    }
    // The attract loop's prompt has the bottom of the screen to itself: the lowest plot ends above it.
    let room = bottom_room(shown.as_deref());
    if room > 0.0 {
        let lowest = lower.as_mut().unwrap_or(&mut upper);
        lowest.max.y = (lowest.max.y - room).max(lowest.min.y + 1.0);
    }
    // Zoomed, both plots show the window about the ball, on the same x axis.
    if zoom.is_zoomed() {
        let window = slope::zoom::zoomed_window(&upper, &zoom, &loss_curve.0, run.0.x);
        upper.x_range = window.x;
        upper.y_range = window.y;
        if let Some(lower) = lower.as_mut() {
            lower.x_range = window.x;
        }
    }
    plot.set_if_neq(upper);
    slope_area.set_if_neq(slope::derivative::SlopePlotArea(lower));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plot_maps_its_range_onto_its_rectangle() {
        let plot = PlotArea::default();
        let (x0, x1) = plot.x_range;
        let (y0, y1) = plot.y_range;
        assert_eq!(plot.to_screen(x0, y0), Vec2::new(plot.min.x, plot.max.y));
        assert_eq!(plot.to_screen(x1, y1), Vec2::new(plot.max.x, plot.min.y));
        let middle = plot.to_screen(0.5 * (x0 + x1), 0.0);
        assert!((plot.screen_to_x(middle) - 0.5 * (x0 + x1)).abs() < 1e-6);
    }

    #[test]
    fn far_away_and_broken_points_stay_drawable() {
        let plot = PlotArea::default();
        for (x, y) in [(1e300, 1e300), (f64::NAN, 0.0), (0.0, f64::INFINITY)] {
            let p = plot.to_screen(x, y);
            assert!(p.is_finite(), "{x}, {y} -> {p}");
        }
    }

    #[test]
    fn the_slope_plot_sits_under_the_plot_on_the_same_x_axis() {
        let curve = LossCurve::default().0;
        let window = Vec2::new(1280.0, 720.0);
        let (upper, lower) = PlotArea::with_slope_plot(window, 360.0, &curve, (-7.0, 7.0));
        let lower = lower.expect("room for two plots at 1280x720");
        assert_eq!((upper.min.x, upper.max.x), (lower.min.x, lower.max.x));
        assert_eq!(upper.x_range, lower.x_range);
        assert_eq!(lower.y_range, (-7.0, 7.0));
        assert_eq!(lower.min.y - upper.max.y, SLOPE_PLOT_GAP);
        assert_eq!(lower.max.y, PlotArea::new(window, 360.0, &curve).max.y);
        // The same x is at the same screen column in both.
        for x in [-2.5, 0.0, 1.25] {
            assert_eq!(upper.to_screen(x, 0.0).x, lower.to_screen(x, 0.0).x);
        }
        // A short window keeps one plot.
        let (_, none) =
            PlotArea::with_slope_plot(Vec2::new(800.0, 400.0), 360.0, &curve, (-1.0, 1.0));
        assert!(none.is_none());
    }

    #[test]
    fn a_tiny_window_still_has_a_plot() {
        let plot = PlotArea::new(Vec2::new(1.0, 1.0), 360.0, &LossCurve::default().0);
        assert!(plot.size().x >= 1.0 && plot.size().y >= 1.0);
    }
}
