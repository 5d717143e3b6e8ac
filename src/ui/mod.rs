//! The control panel and the captions over the plot, for both scenes (scene 2's side in [`gradient`]).
//! Reads the runs, writes parameters and commands; no maths.

pub mod gradient;
pub mod lab;
pub mod language;
pub mod marks;
pub mod predict;
pub mod race;
pub mod visitor;
pub mod words;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_egui::egui::{self, Color32, RichText};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use crate::input::ToggleLab;
use crate::input::zoom::KEY_STEP;
use crate::limits::{CHORD_STEP, LEARNING_RATE, STEPS_PER_SECOND};
use crate::link::{CopyLink, Sharing};
use crate::math::Curve;
use crate::math::descent::RunStatus;
use crate::math::optimizer::Method;
use crate::math::stability::{SafeRates, StepKind, safe_rates, step_kind};
use crate::scenarios::Scenarios;
use crate::scene::{Scene, Shown};
use crate::sim::gradient::{GradientCommand, GradientRun};
use crate::sim::{
    ChordShrink, ChordStep, DifferenceScheme, LearningRate, LossCurve, OptimizerSettings, Playback,
    RateProblem, RefusedRate, Rivals, Run, RunCommand, ShrinkCommand, StepsPerSecond,
};
use crate::text::{LabelText, LessonText, StabilityText, fill};
use crate::theme::numbers::{format_exact, format_h, format_number};
use crate::theme::{PANEL_WIDTH, Sizing, TOUCH_CONTROL_HEIGHT};
use crate::view::slope::derivative::{SlopeCurveTrace, SlopePlot, SlopePlotArea};
use crate::view::slope::lens::ZoomLens;
use crate::view::slope::zoom::{PlotZoom, ZoomCommand};
use crate::view::{PanelWidth, PlotArea};
use crate::{AppSystems, EguiPass};
use marks::{SliderMark, marked_log_slider};
use words::{Sign, optimizer_lines, status_sentence};

pub fn plugin(app: &mut App) {
    app.add_plugins((language::plugin, visitor::plugin))
        .init_resource::<PanelState>()
        .add_message::<CopyLink>()
        .init_resource::<Sizing>()
        .add_systems(Update, toggle_lab_by_key.after(AppSystems::RecordInput))
        .add_systems(EguiPrimaryContextPass, follow_theme.before(EguiPass::Scene))
        .add_systems(
            EguiPrimaryContextPass,
            (
                style_egui_once,
                show_control_panel,
                show_captions,
                show_zoom_buttons.run_if(in_state(Scene::Slope)),
            )
                .chain()
                .in_set(EguiPass::Panel),
        )
        .add_observer(restore_launch);
}

/// The panel as the launch opened it: on the chord lab if asked, else on descent.
fn restore_launch(
    _: On<crate::launch::RestoreLaunch>,
    launch: Res<crate::launch::Launch>,
    mut commands: Commands,
) {
    commands.insert_resource(crate::theme::Theme::named(launch.theme));
    commands.insert_resource(crate::theme::TextScale(launch.ui_scale));
    commands.insert_resource(PanelState::opened_on(if launch.lab {
        Tab::ChordLab
    } else {
        Tab::Descent
    }));
}

/// The L key switches the panel between descent and the chord lab.
fn toggle_lab_by_key(mut keys: MessageReader<ToggleLab>, mut state: ResMut<PanelState>) {
    for _ in keys.read() {
        state.tab = match state.tab {
            Tab::Descent => Tab::ChordLab,
            Tab::ChordLab => Tab::Descent,
        };
    }
}

/// What the panel remembers between frames: the learning rate being typed and why it was refused.
#[derive(Resource, Default, Debug)]
pub struct PanelState {
    pub learning_rate_text: String,
    pub learning_rate_error: Option<RefusedRate>,
    /// The learning rate in force when the typed one was refused.
    pub refused_at: Option<f64>,
    pub editing_learning_rate: bool,
    pub all_digits: bool,
    pub tab: Tab,
    /// The formula being typed, and why the last one was refused.
    pub formula_text: String,
    pub formula_error: Option<crate::math::formula::FormulaError>,
    /// Plot the loss on a log scale.
    pub log_loss: bool,
    /// The scenario picked last, by its English title: the panel shows its story.
    pub picked_scenario: Option<String>,
    /// Where the error plot was drawn last frame (screen pixels), when the chord lab is open.
    pub error_plot: Option<[f32; 4]>,
    /// Where the loss plot was drawn last frame, when the descent tab is open.
    pub loss_plot: Option<[f32; 4]>,
    /// A plot shown large over the scene instead of in the panel.
    pub large_plot: Option<LargePlot>,
    /// The panel folded away: the plot has the whole window.
    pub panel_folded: bool,
    styled: bool,
}

impl PanelState {
    /// The learning-rate field's text for this frame: the run's value, unless someone is typing or what they
    /// typed was refused (then it stays, so they can see and fix it).
    pub fn show_learning_rate(&mut self, learning_rate: LearningRate) {
        // A key, a scenario or the exhibit changed the rate since the refusal: the refused text is moot.
        if self.refused_at.is_some_and(|lr| lr != learning_rate.0) {
            self.learning_rate_error = None;
            self.refused_at = None;
        }
        if !self.editing_learning_rate && self.learning_rate_error.is_none() {
            self.learning_rate_text = format_number(learning_rate.0);
        }
    }

    /// The typed learning rate, checked when the field is left: the value to use, or `None` with the reason
    /// kept in `learning_rate_error` and the typed text left in the field.
    pub fn submit_learning_rate(&mut self, current: LearningRate) -> Option<LearningRate> {
        match LearningRate::typed(&self.learning_rate_text) {
            Ok(typed) => {
                self.learning_rate_error = None;
                self.refused_at = None;
                Some(typed)
            }
            Err(reason) => {
                self.learning_rate_error = Some(reason);
                self.refused_at = Some(current.0);
                None
            }
        }
    }

    /// The slider chose a value: whatever was typed and refused is forgotten.
    pub fn slider_moved_learning_rate(&mut self) {
        self.learning_rate_error = None;
        self.refused_at = None;
    }

    /// A fresh panel showing `tab`.
    pub fn opened_on(tab: Tab) -> Self {
        Self {
            tab,
            log_loss: true,
            ..default()
        }
    }
}

/// The panel's plots that can be shown large, over the scene.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LargePlot {
    /// The race's loss by step (the descent page).
    Loss,
    /// The chord lab's error against h.
    Error,
}

/// The button under a plot's title that shows it large, or, while it is large, brings it back: true when
/// the plot is to be drawn in the panel.
fn large_plot_button(
    ui: &mut egui::Ui,
    state: &mut PanelState,
    plot: LargePlot,
    words: &LabelText,
) -> bool {
    let large = state.large_plot == Some(plot);
    let label = if large {
        &words.show_in_panel
    } else {
        &words.show_large
    };
    if ui.button(label.as_str()).clicked() {
        state.large_plot = if large { None } else { Some(plot) };
    }
    !large
}

/// A plot shown large: over the whole scene, beside the panel, until its button brings it back.
fn show_large_plot(
    ctx: &egui::Context,
    controls: &mut Controls,
    panel_width: f32,
    slope_scene: bool,
) {
    let Some(plot) = controls.state.large_plot else {
        return;
    };
    // Only where its page is open: the other tab or scene 2 shows the scene again.
    let on_its_page = slope_scene
        && match plot {
            LargePlot::Loss => controls.state.tab == Tab::Descent,
            LargePlot::Error => controls.state.tab == Tab::ChordLab,
        };
    if !on_its_page {
        return;
    }
    let pal = crate::theme::palette_of(ctx);
    let window = ctx.content_rect();
    let scene = egui::Rect::from_min_max(
        window.min,
        egui::pos2((window.max.x - panel_width).max(window.min.x), window.max.y),
    )
    .shrink(LARGE_PLOT_MARGIN);
    if scene.width() < 100.0 || scene.height() < 100.0 {
        return;
    }
    let lesson = controls.lesson.clone();
    egui::Area::new(egui::Id::new("large-plot"))
        .order(egui::Order::Middle)
        .fixed_pos(scene.min)
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(pal.panel.egui())
                .stroke(egui::Stroke::new(1.0, pal.grid.egui()))
                .corner_radius(8.0)
                .inner_margin(LARGE_PLOT_MARGIN)
                .show(ui, |ui| {
                    let inner = scene.shrink(LARGE_PLOT_MARGIN);
                    ui.set_width(inner.width());
                    ui.set_min_height(inner.height());
                    ui.horizontal(|ui| {
                        let title = match plot {
                            LargePlot::Loss => &lesson.race.loss_title,
                            LargePlot::Error => &lesson.lab.error_title,
                        };
                        ui.label(
                            RichText::new(title)
                                .strong()
                                .size(20.0)
                                .color(pal.text.egui()),
                        );
                        ui.add_space(12.0);
                        if ui.button(lesson.labels.show_in_panel.as_str()).clicked() {
                            controls.state.large_plot = None;
                        }
                    });
                    // Room under the plot for its key and sentences.
                    let height = (inner.height() - LARGE_PLOT_BELOW).max(120.0);
                    match plot {
                        LargePlot::Loss => race::loss_plot_body(ui, controls, height),
                        LargePlot::Error => lab::error_plot(ui, controls, &lesson, height),
                    }
                });
        });
}

/// Room around a large plot, and the room its title, key and sentences take, in points.
const LARGE_PLOT_MARGIN: f32 = 14.0;
const LARGE_PLOT_BELOW: f32 = 190.0;

/// The panel's two pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// Running gradient descent.
    #[default]
    Descent,
    /// h, the chord schemes, the error plot, the slope table and the notation.
    ChordLab,
}

/// egui follows the theme: both of its looks are ours, the one in use is the theme's, and the painters
/// know which palette to take ([`crate::theme::palette_of`]).
fn follow_theme(
    mut contexts: EguiContexts,
    theme: Res<crate::theme::Theme>,
    mut looks_set: Local<bool>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    if !*looks_set {
        for name in crate::theme::ThemeName::ALL {
            let visuals = crate::theme::egui_visuals(name.palette());
            ctx.style_mut_of(crate::theme::egui_theme(name), |style| {
                // Glyphs at whole pixels (see `style_egui_once`).
                let binning = style.visuals.text_options.subpixel_binning;
                style.visuals = visuals;
                style.visuals.text_options.subpixel_binning = binning;
            });
        }
        // Ctrl+= and Ctrl+- size the whole window ([`crate::theme::TextScale`]), the plot with the text; egui's
        // own zoom on those keys would size only egui's part, off the plot's lines.
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
        *looks_set = true;
    }
    let wanted = crate::theme::egui_theme(theme.name);
    if ctx.theme() != wanted {
        ctx.set_theme(wanted);
    }
    crate::theme::set_palette(ctx, theme.name);
    Ok(())
}

fn style_egui_once(
    mut contexts: EguiContexts,
    mut state: ResMut<PanelState>,
    sizing: Res<Sizing>,
) -> Result {
    if state.styled {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    ctx.all_styles_mut(|style| {
        use egui::{FontFamily, FontId, TextStyle};
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(24.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(15.5, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(16.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(13.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(14.5, FontFamily::Monospace),
            ),
        ]
        .into();
        // Glyphs at whole pixels: with egui's four sub-pixel variants, every moving number kept bringing
        // new glyphs to the font atlas, and a frame drawn before the atlas reached the GPU had holes in its
        // digits ("0.0 375"). Now each digit is rasterised once per size.
        style.visuals.text_options.subpixel_binning = false;
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(10.0, 5.0);
        style.spacing.slider_width = 190.0;
        if sizing.touch {
            for font in style.text_styles.values_mut() {
                font.size = sizing.text(font.size);
            }
            // Fingers, not a mouse: every control as tall as a fingertip, nothing that needs hovering.
            style.spacing.interact_size.y = TOUCH_CONTROL_HEIGHT;
            style.spacing.icon_width = 20.0;
            style.spacing.icon_width_inner = 12.0;
            style.spacing.combo_height = 400.0;
            style.spacing.slider_width = 150.0;
            style.interaction.tooltip_delay = f32::INFINITY;
            // A finger sliding over text should scroll, not select it.
            style.interaction.selectable_labels = false;
            style.spacing.scroll.bar_width = TOUCH_CONTROL_HEIGHT;
            style.spacing.scroll.floating = false;
        }
    });
    state.styled = true;
    Ok(())
}

/// A plot that only shows: no zoom, drag, scroll or reset. Its legend sits in `corner` on the desktop; with
/// touch sizes it has none (see [`plot_key`]).
fn still_plot(
    id: &str,
    height: f32,
    corner: egui_plot::Corner,
    touch: bool,
) -> egui_plot::Plot<'_> {
    let plot = egui_plot::Plot::new(id)
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_axis_zoom_drag(false)
        .allow_double_click_reset(false);
    if touch {
        plot
    } else {
        plot.legend(egui_plot::Legend::default().position(corner))
    }
}

/// A section's title, which folds the section away and back (⏷ open, ⏵ folded): true while it is open,
/// for the caller to lay out what is under it. Each section remembers its state while the program runs.
fn section(ui: &mut egui::Ui, title: &str) -> bool {
    folding_section(ui, title, true)
}

/// A section that starts folded or open as `open_at_first` says.
fn folding_section(ui: &mut egui::Ui, title: &str, open_at_first: bool) -> bool {
    let pal = crate::theme::palette_of(ui.ctx());
    ui.add_space(2.0);
    ui.separator();
    let id = ui.id().with(("section", title));
    let open = ui.data(|d| d.get_temp::<bool>(id)).unwrap_or(open_at_first);
    let mark = if open { "⏷" } else { "⏵" };
    let header = egui::Button::new(
        RichText::new(format!("{mark}  {title}"))
            .strong()
            .size(17.0)
            .color(pal.text.egui()),
    )
    .frame(false)
    .min_size(egui::vec2(
        ui.available_width(),
        ui.spacing().interact_size.y,
    ));
    if ui.add(header).clicked() {
        ui.data_mut(|d| d.insert_temp(id, !open));
    }
    open
}

/// Everything the panel reads and the parameters it may change.
#[derive(SystemParam)]
pub struct Controls<'w> {
    pub lesson: Res<'w, LessonText>,
    pub loss_curve: Res<'w, LossCurve>,
    pub run: Res<'w, Run>,
    pub playback: Res<'w, Playback>,
    pub shrink: Res<'w, ChordShrink>,
    pub chord: Res<'w, ChordStep>,
    pub scheme: ResMut<'w, DifferenceScheme>,
    pub learning_rate: ResMut<'w, LearningRate>,
    pub speed: ResMut<'w, StepsPerSecond>,
    pub lens: ResMut<'w, ZoomLens>,
    pub state: ResMut<'w, PanelState>,
    pub rivals: ResMut<'w, Rivals>,
    pub settings: ResMut<'w, OptimizerSettings>,
    pub scenarios: Res<'w, Scenarios>,
    pub sizing: Res<'w, Sizing>,
    pub predict: predict::PredictControls<'w>,
}

/// The whole window as one background Ui, which egui 0.36 panels are shown inside.
pub fn root_ui(ctx: &egui::Context) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        "downhill-root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    )
}

/// Which scene is on screen, and scene 2's state and commands, for the panel.
#[derive(SystemParam)]
pub struct Scenes<'w> {
    pub shown: Res<'w, State<Scene>>,
    pub next: ResMut<'w, NextState<Scene>>,
    pub gradient: Res<'w, GradientRun>,
    pub commands: MessageWriter<'w, GradientCommand>,
}

fn show_control_panel(
    mut theme: ResMut<crate::theme::Theme>,
    mut contexts: EguiContexts,
    mut controls: Controls,
    mut panel_width: ResMut<PanelWidth>,
    shown: Res<Shown>,
    mut scenes: Scenes,
    mut commands: MessageWriter<RunCommand>,
    mut share: Share,
    mut slope: SlopeControls,
) -> Result {
    let pal = theme.0;
    if !shown.panel {
        // The visitor panel, when it is shown instead, says its own width.
        if !shown.visitor {
            panel_width.set_if_neq(PanelWidth(0.0));
        }
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    // Folded away (a large interface on a small screen, or a class that should see only the plot): the
    // plot takes the whole window, and one button in the corner brings the panel back.
    if controls.state.panel_folded {
        panel_width.set_if_neq(PanelWidth(0.0));
        let words = &controls.lesson.labels;
        egui::Area::new(egui::Id::new("unfold-panel"))
            .anchor(egui::Align2::RIGHT_TOP, egui::vec2(-12.0, 12.0))
            .order(egui::Order::Middle)
            .show(ctx, |ui| {
                if ui
                    .button(RichText::new(&words.unfold_panel).size(16.0))
                    .clicked()
                {
                    controls.state.panel_folded = false;
                }
            });
        return Ok(());
    }
    let mut root = root_ui(ctx);
    // No separator line: with touch sizes egui 0.36 drew it some way inside the panel, a stray grey rule
    // across the controls; the panel's own fill marks its edge well enough.
    let response = egui::Panel::right("controls")
        .exact_size(PANEL_WIDTH)
        .resizable(false)
        .show_separator_line(false)
        .show(&mut root, |ui| {
            ui.add_space(2.0);
            ui.horizontal(|ui| {
                ui.heading(RichText::new(&controls.lesson.title).color(pal.text.egui()));
                ui.add_space(12.0);
                let mut scene = *scenes.shown.get();
                let words = &controls.lesson.labels;
                ui.selectable_value(
                    &mut scene,
                    Scene::Slope,
                    RichText::new(&words.scene_slope).size(17.0),
                );
                ui.selectable_value(
                    &mut scene,
                    Scene::Gradient,
                    RichText::new(&words.scene_gradient).size(17.0),
                );
                if scene != *scenes.shown.get() {
                    scenes.next.set(scene);
                }
            });
            let slope_scene = *scenes.shown.get() == Scene::Slope;
            if slope_scene {
                ui.horizontal(|ui| {
                    let tab = &mut controls.state.tab;
                    let words = &controls.lesson.labels;
                    ui.selectable_value(
                        tab,
                        Tab::Descent,
                        RichText::new(&words.descent).size(17.0),
                    );
                    ui.selectable_value(
                        tab,
                        Tab::ChordLab,
                        RichText::new(&words.chord_lab).size(17.0),
                    );
                    ui.add_space(12.0);
                    share.button(ui, &controls.lesson);
                    if let Some(other) = theme_button(ui, theme.name, &controls.lesson.labels) {
                        // Only a click changes the theme resource (a change redraws the window).
                        *theme = crate::theme::Theme::named(other);
                    }
                    fold_panel_button(ui, &mut controls.state, &controls.lesson.labels);
                });
            } else {
                ui.horizontal(|ui| {
                    share.button(ui, &controls.lesson);
                    if let Some(other) = theme_button(ui, theme.name, &controls.lesson.labels) {
                        // Only a click changes the theme resource (a change redraws the window).
                        *theme = crate::theme::Theme::named(other);
                    }
                    fold_panel_button(ui, &mut controls.state, &controls.lesson.labels);
                });
            }
            share.said(ui);
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.set_max_width(PANEL_WIDTH - 28.0);
                    controls.state.error_plot = None;
                    controls.state.loss_plot = None;
                    if !slope_scene {
                        gradient::gradient_panel(
                            ui,
                            &controls.lesson,
                            &scenes.gradient,
                            &mut scenes.commands,
                        );
                        return;
                    }
                    match controls.state.tab {
                        Tab::Descent => descent_tab(ui, &mut controls, &mut slope, &mut commands),
                        Tab::ChordLab => lab::chord_lab_tab(ui, &mut controls, &mut commands),
                    }
                });
        });
    panel_width.set_if_neq(PanelWidth(response.response.rect.width()));
    show_large_plot(
        ctx,
        &mut controls,
        response.response.rect.width(),
        *scenes.shown.get() == Scene::Slope,
    );
    Ok(())
}

/// The button that folds the panel away, so the plot has the whole window.
fn fold_panel_button(ui: &mut egui::Ui, state: &mut PanelState, words: &LabelText) {
    if ui
        .button(RichText::new(&words.fold_panel).size(16.0))
        .on_hover_text(words.fold_panel_hint.as_str())
        .clicked()
    {
        state.panel_folded = true;
    }
}

/// The button that switches the colours; it names the look it switches to, and gives it when clicked.
fn theme_button(
    ui: &mut egui::Ui,
    now: crate::theme::ThemeName,
    words: &LabelText,
) -> Option<crate::theme::ThemeName> {
    let other = now.other();
    let label = match other {
        crate::theme::ThemeName::Light => &words.to_light,
        crate::theme::ThemeName::Dark => &words.to_dark,
    };
    ui.button(RichText::new(label).size(16.0))
        .clicked()
        .then_some(other)
}

/// The zoom of the plot about the ball (its readout is painted on the plot by the view).
#[derive(SystemParam)]
pub struct ZoomControls<'w> {
    zoom: Res<'w, PlotZoom>,
    commands: MessageWriter<'w, ZoomCommand>,
}

/// The zoom's buttons in the plot's lower left corner, where a map keeps them (the readout is in the lower
/// right); not while the panel is hidden (the exhibit's attract loop).
fn show_zoom_buttons(
    theme: Res<crate::theme::Theme>,
    mut contexts: EguiContexts,
    mut zoom: ZoomControls,
    lesson: Res<LessonText>,
    plot: Res<PlotArea>,
    shown: Res<Shown>,
) -> Result {
    let pal = theme.0;
    if !shown.panel {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    egui::Area::new("zoom-buttons".into())
        .pivot(egui::Align2::RIGHT_BOTTOM)
        .fixed_pos(egui::pos2(plot.max.x - 8.0, plot.max.y - 8.0))
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(pal.background.egui().gamma_multiply(0.85))
                .corner_radius(6.0)
                .inner_margin(4.0)
                .show(ui, |ui| zoom.buttons(ui, &lesson));
        });
    Ok(())
}

impl ZoomControls<'_> {
    fn buttons(&mut self, ui: &mut egui::Ui, lesson: &LessonText) {
        let words = &lesson.zoom;
        let zoomed = self.zoom.is_zoomed();
        let animate = if self.zoom.is_animating() {
            &words.stop
        } else {
            &words.animate
        };
        // Two by two in the corner, as maps keep theirs: it covers as little of the plot as it can.
        egui::Grid::new("zoom-grid")
            .num_columns(2)
            .spacing([4.0, 4.0])
            .show(ui, |ui| {
                let wide = |ui: &mut egui::Ui, enabled: bool, text: &str| {
                    ui.add_enabled(
                        enabled,
                        egui::Button::new(text).min_size(egui::vec2(110.0, 0.0)),
                    )
                };
                if wide(ui, true, &words.zoom_in)
                    .on_hover_text(&words.hint)
                    .clicked()
                {
                    self.commands.write(ZoomCommand::By(KEY_STEP * KEY_STEP));
                }
                if wide(ui, zoomed, &words.zoom_out).clicked() {
                    self.commands
                        .write(ZoomCommand::By(1.0 / (KEY_STEP * KEY_STEP)));
                }
                ui.end_row();
                if wide(ui, zoomed, &words.whole).clicked() {
                    self.commands.write(ZoomCommand::Whole);
                }
                if wide(ui, true, animate).clicked() {
                    self.commands.write(ZoomCommand::Animate);
                }
                ui.end_row();
            });
    }
}

/// The derivative written out under the curve's name, and the switches of the slope plot.
#[derive(SystemParam)]
pub struct SlopeControls<'w> {
    plot: ResMut<'w, SlopePlot>,
    trace: ResMut<'w, SlopeCurveTrace>,
    area: Res<'w, SlopePlotArea>,
    sizing: Res<'w, Sizing>,
}

/// The written derivative is cut after this many characters in the panel (`downhill derivative` prints it
/// whole); the places where it is not defined after this many.
const WRITTEN_SHOWN_CHARS: usize = 400;
const PLACES_SHOWN: usize = 3;

impl SlopeControls<'_> {
    fn written_and_plotted(&mut self, ui: &mut egui::Ui, curve: &Curve, lesson: &LessonText) {
        let pal = crate::theme::palette_of(ui.ctx());
        let words = &lesson.derivative;
        let written = curve.written_derivative();
        let (line, colour) = match &written.text {
            Some(text) => {
                let mut shown: String = text.chars().take(WRITTEN_SHOWN_CHARS).collect();
                if shown.len() < text.len() {
                    shown.push_str(" …");
                }
                (fill(&words.written, &[("formula", shown)]), pal.tangent)
            }
            None => (words.unwritten.clone(), pal.label),
        };
        ui.label(
            RichText::new(line)
                .monospace()
                .size(self.sizing.text(15.0))
                .color(colour.egui()),
        );
        if !written.undefined.is_empty() {
            let mut places =
                written.undefined[..written.undefined.len().min(PLACES_SHOWN)].join(", ");
            if written.undefined.len() > PLACES_SHOWN {
                let more = written.undefined.len() - PLACES_SHOWN;
                places = format!(
                    "{places} {}",
                    fill(&words.more, &[("count", more.to_string())])
                );
            }
            ui.label(
                RichText::new(fill(&words.undefined, &[("places", places)]))
                    .color(pal.label.egui()),
            );
        }
        let mut plot = *self.plot;
        ui.checkbox(&mut plot.shown, words.show.as_str());
        if plot.shown && self.area.0.is_none() {
            ui.label(RichText::new(&words.no_room).color(pal.warning.egui()));
        }
        if plot.shown {
            ui.horizontal(|ui| {
                ui.add_space(22.0);
                ui.checkbox(&mut plot.trace, words.trace.as_str());
                if plot.trace
                    && ui
                        .add_enabled(
                            !self.trace.trace.is_empty(),
                            egui::Button::new(words.clear.as_str()),
                        )
                        .clicked()
                {
                    self.trace.trace.clear();
                }
            });
        }
        self.plot.set_if_neq(plot);
    }
}

/// The "Copy link" button, where links can be shared (a web page).
#[derive(SystemParam)]
pub struct Share<'w> {
    sharing: Option<Res<'w, Sharing>>,
    copy: MessageWriter<'w, CopyLink>,
}

impl Share<'_> {
    /// The button, where it fits in the row being laid out.
    fn button(&mut self, ui: &mut egui::Ui, lesson: &LessonText) {
        if self.sharing.is_some()
            && ui
                .button(RichText::new(&lesson.web.copy_link).size(15.0))
                .clicked()
        {
            self.copy.write(CopyLink);
        }
    }

    /// What became of the last link, on its own line.
    fn said(&self, ui: &mut egui::Ui) {
        let pal = crate::theme::palette_of(ui.ctx());
        if let Some(said) = self
            .sharing
            .as_ref()
            .and_then(|sharing| sharing.said.as_ref())
        {
            ui.label(RichText::new(said).color(pal.label.egui()));
        }
    }
}

/// The desktop panel's curve pictures: five to a row across the panel.
const CURVE_PICTURE: egui::Vec2 = egui::vec2(60.0, 36.0);
const CURVE_PICTURES_PER_ROW: usize = 5;

fn descent_tab(
    ui: &mut egui::Ui,
    controls: &mut Controls,
    slope: &mut SlopeControls,
    commands: &mut MessageWriter<RunCommand>,
) {
    let pal = crate::theme::palette_of(ui.ctx());
    let curve = controls.loss_curve.0.clone();
    let curve = &*curve;
    let lesson = controls.lesson.clone();
    let words = &lesson.labels;
    if section(ui, &words.curve) {
        // Every curve at once, as a picture of itself; its name and formula under the pointer and, for the
        // chosen one, above the pictures.
        ui.label(
            RichText::new(format!(
                "{}    f(x) = {}",
                lesson.curve_name(&curve.name),
                curve.formula
            ))
            .color(pal.text.egui()),
        );
        egui::Grid::new("curve-pictures")
            .spacing(egui::vec2(6.0, 6.0))
            .show(ui, |ui| {
                for (i, choice) in Curve::builtins().iter().enumerate() {
                    let picked = **choice == *curve;
                    let name = format!(
                        "{}    f(x) = {}",
                        lesson.curve_name(&choice.name),
                        choice.formula
                    );
                    let picture = visitor::curve_thumbnail(ui, choice, picked, CURVE_PICTURE);
                    if picture.on_hover_text(name).clicked() && !picked {
                        commands.write(RunCommand::ChooseCurve(choice.clone()));
                    }
                    if i % CURVE_PICTURES_PER_ROW == CURVE_PICTURES_PER_ROW - 1 {
                        ui.end_row();
                    }
                }
            });
        formula_entry(ui, &mut controls.state, &lesson, commands);
        slope.written_and_plotted(ui, curve, &controls.lesson);
    }

    run_section(ui, controls, commands);
    predict::predict_section(ui, controls);

    if section(ui, &words.learning_rate) {
        let x = controls.run.0.x;
        let method = controls.run.0.optimizer.method;
        learning_rate_controls(
            ui,
            &mut controls.learning_rate,
            &mut controls.state,
            (curve, x, method),
            &lesson,
        );
    }

    if section(ui, &words.at_the_ball) {
        readouts(ui, controls);
    }

    next_step_section(ui, controls);

    if section(ui, &words.chord_step) {
        chord_step_slider(ui, controls.chord.0, commands);
        ui.horizontal(|ui| {
            shrink_button(ui, &controls.shrink, words, commands);
            if controls.shrink.is_active() {
                let text = fill(
                    &controls.lesson.chord.shrinking,
                    &[("h", format_h(controls.chord.0))],
                );
                ui.label(RichText::new(text).color(pal.chord.egui()));
            }
        });
    }

    race::balls_section(ui, controls, commands);
    race::loss_plot(ui, controls);
    race::scenario_buttons(ui, controls, commands);

    why_and_keys(ui, controls);
}

/// Play or pause, back, step and reset, and the playing speed.
fn run_section(
    ui: &mut egui::Ui,
    controls: &mut Controls,
    commands: &mut MessageWriter<RunCommand>,
) {
    let lesson = controls.lesson.clone();
    let words = &lesson.labels;
    if !section(ui, &words.run) {
        return;
    }
    // Wrapped, so longer words than English's move the last button to a second row instead of off the panel.
    ui.horizontal_wrapped(|ui| {
        let playing = controls.playback.playing;
        let play = if playing { &words.pause } else { &words.play };
        if ui
            .add_enabled(
                playing
                    || controls.run.0.is_running()
                    || controls.rivals.0.iter().any(|r| r.run.is_running()),
                egui::Button::new(play.as_str()),
            )
            .clicked()
        {
            commands.write(RunCommand::TogglePlay);
        }
        if ui
            .add_enabled(
                !controls.run.0.history.is_empty(),
                egui::Button::new(words.back.as_str()),
            )
            .clicked()
        {
            commands.write(RunCommand::StepBack);
        }
        let can_step = !controls.run.0.status.is_stopped();
        if ui
            .add_enabled(can_step, egui::Button::new(words.step.as_str()))
            .clicked()
        {
            commands.write(RunCommand::Step);
        }
        if ui.button(words.reset.as_str()).clicked() {
            commands.write(RunCommand::Reset);
        }
    });
    ui.horizontal(|ui| {
        let (lo, hi) = (STEPS_PER_SECOND.lo, STEPS_PER_SECOND.hi);
        ui.label(words.steps_per_second.as_str());
        ui.add(
            egui::Slider::new(&mut controls.speed.0, lo..=hi)
                .logarithmic(true)
                .custom_formatter(|v, _| format_number(v)),
        );
    });
}

/// The next step written out with the numbers at the ball.
fn next_step_section(ui: &mut egui::Ui, controls: &mut Controls) {
    let pal = crate::theme::palette_of(ui.ctx());
    let curve = controls.loss_curve.0.clone();
    if !folding_section(ui, &controls.lesson.labels.next_step, false) {
        return;
    }
    let run = &controls.run.0;
    let lines = optimizer_lines(
        &run.optimizer,
        run.x,
        curve.slope(run.x),
        controls.learning_rate.0,
        &controls.lesson.update.noise,
    )
    .join("\n");
    ui.label(RichText::new(lines).monospace().color(pal.text.egui()));
    ui.checkbox(
        &mut controls.state.all_digits,
        controls.lesson.labels.every_digit.as_str(),
    );
}

/// Why the update and the chord work, and the keys (not on a touch screen).
fn why_and_keys(ui: &mut egui::Ui, controls: &Controls) {
    if folding_section(ui, &controls.lesson.labels.why, false) {
        ui.label(RichText::new(&controls.lesson.update.explain).weak());
        ui.label(RichText::new(&controls.lesson.chord.explain).weak());
    }

    // A touch screen has no keyboard to speak of.
    if !controls.sizing.touch && folding_section(ui, &controls.lesson.labels.keys, false) {
        for line in &controls.lesson.help.keys {
            ui.label(RichText::new(line).small());
        }
    }
}

/// A text field for a formula of your own; a mistake is pointed at under the text and the old curve stays.
fn formula_entry(
    ui: &mut egui::Ui,
    state: &mut PanelState,
    lesson: &LessonText,
    commands: &mut MessageWriter<RunCommand>,
) {
    let pal = crate::theme::palette_of(ui.ctx());
    ui.horizontal(|ui| {
        ui.label(lesson.labels.formula_prompt.as_str());
        let edit = ui.add(
            egui::TextEdit::singleline(&mut state.formula_text)
                .hint_text("x^4 - 3x^2 + x")
                .font(egui::TextStyle::Monospace)
                .desired_width(200.0)
                .min_size(egui::vec2(0.0, ui.spacing().interact_size.y))
                .vertical_align(egui::Align::Center),
        );
        if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            match Curve::from_formula(&state.formula_text) {
                Ok(curve) => {
                    state.formula_error = None;
                    commands.write(RunCommand::ChooseCurve(curve));
                }
                Err(error) => state.formula_error = Some(error),
            }
        }
    });
    if let Some(error) = &state.formula_error {
        // A caret under the column at fault, lined up in the monospace font.
        let shown: String = state.formula_text.chars().take(60).collect();
        let caret = format!("{}^", " ".repeat(error.column.saturating_sub(1).min(60)));
        ui.label(
            RichText::new(format!("{shown}\n{caret}"))
                .monospace()
                .color(pal.warning.egui()),
        );
        ui.label(RichText::new(lesson.formula_error(error)).color(pal.warning.egui()));
    }
}

/// The h slider, from 1e-16 to 1 on a log scale.
fn chord_step_slider(ui: &mut egui::Ui, current: f64, commands: &mut MessageWriter<RunCommand>) {
    let mut h = current;
    let (h_lo, h_hi) = (CHORD_STEP.lo, CHORD_STEP.hi);
    ui.horizontal(|ui| {
        ui.label("h");
        let slider = ui.add(
            egui::Slider::new(&mut h, h_lo..=h_hi)
                .logarithmic(true)
                .custom_formatter(|v, _| format_h(v)),
        );
        if slider.changed() {
            commands.write(RunCommand::SetChordStep(h));
        }
    });
}

fn shrink_button(
    ui: &mut egui::Ui,
    shrink: &ChordShrink,
    words: &LabelText,
    commands: &mut MessageWriter<RunCommand>,
) {
    let label = if shrink.is_active() {
        &words.stop_shrinking
    } else {
        &words.shrink
    };
    if ui.button(label.as_str()).clicked() {
        commands.write(RunCommand::Shrink(ShrinkCommand::Toggle));
    }
}

/// The learning-rate slider with the safe rates at the ball marked on it (1/f'' and 2/f'', the zone beyond
/// 2/f'' shaded), the same said in words, and a field to type it.
fn learning_rate_controls(
    ui: &mut egui::Ui,
    learning_rate: &mut LearningRate,
    state: &mut PanelState,
    (curve, x, method): (&Curve, f64, Method),
    lesson: &LessonText,
) {
    let pal = crate::theme::palette_of(ui.ctx());
    let words = &lesson.stability;
    let mut lr = learning_rate.0;
    let bend = curve.bend(x);
    let rates = safe_rates(bend);
    let (marks, shade_from) = match rates {
        SafeRates::Limits { one_step, limit } => (
            vec![
                SliderMark {
                    value: one_step,
                    label: fill(&words.one_step_mark, &[("value", format_number(one_step))]),
                    colour: pal.good.egui(),
                },
                SliderMark {
                    value: limit,
                    label: fill(&words.limit_mark, &[("value", format_number(limit))]),
                    colour: pal.warning.egui(),
                },
            ],
            Some(limit),
        ),
        _ => (Vec::new(), None),
    };
    let slider = marked_log_slider(
        ui,
        &mut lr,
        (LEARNING_RATE_SLIDER.0, LEARNING_RATE_SLIDER.1),
        &marks,
        shade_from,
    );
    if slider.changed() && lr.is_finite() && lr > 0.0 {
        learning_rate.0 = lr;
        state.slider_moved_learning_rate();
    }
    let said = stability_words(words, rates, bend, learning_rate.0, method);
    ui.label(RichText::new(said).color(pal.text.egui()));
    ui.horizontal(|ui| {
        ui.label(lesson.labels.type_learning_rate.as_str());
        state.show_learning_rate(*learning_rate);
        let mut edit = egui::TextEdit::singleline(&mut state.learning_rate_text)
            .desired_width(110.0)
            .min_size(egui::vec2(0.0, ui.spacing().interact_size.y))
            .vertical_align(egui::Align::Center);
        if state.learning_rate_error.is_some() {
            edit = edit.text_color(pal.warning.egui());
        }
        let edit = ui.add(edit);
        state.editing_learning_rate = edit.has_focus();
        if edit.lost_focus()
            && let Some(typed) = state.submit_learning_rate(*learning_rate)
        {
            *learning_rate = typed;
        }
    });
    // Right under the field, in the warning colour, until the value is fixed.
    if let Some(refused) = &state.learning_rate_error {
        ui.label(RichText::new(refusal_words(&lesson.labels, refused)).color(pal.warning.egui()));
    }
}

/// Why a typed learning rate cannot be used, in the panel's language.
pub fn refusal_words(words: &LabelText, refused: &RefusedRate) -> String {
    let template = match refused.why {
        RateProblem::NotANumber => &words.rate_not_a_number,
        RateProblem::NotFinite => &words.rate_not_finite,
        RateProblem::OutOfRange => &words.rate_out_of_range,
    };
    let (low, high) = LEARNING_RATE.ends();
    fill(
        template,
        &[
            ("typed", refused.typed.clone()),
            ("low", low),
            ("high", high),
        ],
    )
}

/// The ends of the learning-rate slider (a typed rate may go beyond them, up to the learning rate's limits).
pub const LEARNING_RATE_SLIDER: (f64, f64) = (1e-4, 2.0);

/// The safe rates at the ball in words, and what the learning rate now does on the parabola that fits there.
pub fn stability_words(
    words: &StabilityText,
    rates: SafeRates,
    bend: f64,
    lr: f64,
    method: Method,
) -> String {
    let mut said = match rates {
        SafeRates::Limits { one_step, limit } => fill(
            &words.limits,
            &[
                ("bend", format_number(bend)),
                ("one_step", format_number(one_step)),
                ("limit", format_number(limit)),
            ],
        ),
        SafeRates::NoLimit => fill(&words.no_limit, &[("bend", format_number(bend))]),
        SafeRates::Unknown => words.unknown.clone(),
    };
    let kind = match step_kind(rates, lr) {
        StepKind::Short => Some(&words.short),
        StepKind::OnTheBottom => Some(&words.on_the_bottom),
        StepKind::Overshoots => Some(&words.overshoots),
        StepKind::Bounces => Some(&words.bounces),
        StepKind::Grows => Some(&words.grows),
        StepKind::NoBottom => None,
    };
    if let Some(kind) = kind {
        said.push(' ');
        said.push_str(&fill(kind, &[("lr", format_number(lr))]));
    }
    if method != Method::Gd {
        said.push(' ');
        said.push_str(&words.other_rule);
    }
    said
}

fn readouts(ui: &mut egui::Ui, controls: &Controls) {
    let pal = crate::theme::palette_of(ui.ctx());
    let curve = &*controls.loss_curve.0;
    let x = controls.run.0.x;
    let slope = curve.slope(x);
    let scheme = controls.scheme.0;
    let chord_slope = scheme.slope(|t| curve.value(t), x, controls.chord.0);
    let all_digits = controls.state.all_digits;
    let show = |v: f64| {
        if all_digits {
            format_exact(v)
        } else {
            format_number(v)
        }
    };
    let words = &controls.lesson.labels;
    egui::Grid::new("readouts")
        .num_columns(2)
        .spacing([18.0, 4.0])
        .show(ui, |ui| {
            let mut row = |name: &str, value: String, colour: Color32| {
                ui.label(name);
                ui.label(RichText::new(value).monospace().color(colour));
                ui.end_row();
            };
            let text = pal.text.egui();
            row("x", show(x), text);
            row("f(x)", show(curve.value(x)), text);
            row(&words.exact_slope, show(slope), pal.tangent.egui());
            row(
                &fill(
                    &words.chord_slope,
                    &[("scheme", controls.lesson.scheme_name(scheme).to_owned())],
                ),
                show(chord_slope),
                pal.chord.egui(),
            );
            row(
                &words.chord_error,
                show((chord_slope - slope).abs()),
                pal.chord.egui(),
            );
            row(&words.step_count, controls.run.0.step.to_string(), text);
        });
}

fn show_captions(
    theme: Res<crate::theme::Theme>,
    mut contexts: EguiContexts,
    lesson: Res<LessonText>,
    loss_curve: Res<LossCurve>,
    run: Res<Run>,
    playback: Res<Playback>,
    learning_rate: Res<LearningRate>,
    plot: Res<PlotArea>,
    shown: Res<Shown>,
    sizing: Res<Sizing>,
    scene: Res<State<Scene>>,
    mut bottom: ResMut<crate::view::CaptionsBottom>,
) -> Result {
    let pal = theme.0;
    if !shown.captions || *scene.get() != Scene::Slope {
        bottom.set_if_neq(crate::view::CaptionsBottom(0.0));
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let curve = &*loss_curve.0;
    let width = (plot.max.x - 24.0).max(120.0);
    let captions = egui::Area::new("captions".into())
        .fixed_pos(egui::pos2(24.0, 14.0))
        .interactable(false)
        .order(egui::Order::Background)
        .show(ctx, |ui| {
            ui.set_max_width(width);
            ui.label(
                RichText::new(format!("f(x) = {}", curve.formula))
                    .size(26.0)
                    .strong()
                    .color(pal.curve.egui()),
            );
            ui.label(
                RichText::new(lesson.caption(&curve.name))
                    .size(16.0)
                    .color(pal.label.egui()),
            );
            let sign = Sign::of(curve.slope(run.0.x));
            // In the colours of the slope plot's two sides, so the sentence and the plot say it alike.
            let sign_colour = match sign {
                Sign::Rising => pal.rising,
                Sign::Falling => pal.falling,
                Sign::Flat => pal.tangent,
            };
            ui.label(
                RichText::new(sign.words(&lesson))
                    .size(17.0)
                    .color(sign_colour.egui()),
            );
            let status = status_sentence(&lesson, curve, &run.0, playback.playing, learning_rate.0);
            let colour = match run.0.status {
                RunStatus::Converged { .. } => pal.good.egui(),
                RunStatus::Diverged { .. }
                | RunStatus::RunningAway { .. }
                | RunStatus::Undefined { .. } => pal.warning.egui(),
                RunStatus::Running => pal.text.egui(),
            };
            ui.label(RichText::new(status).size(17.0).color(colour));
        });
    bottom.set_if_neq(crate::view::CaptionsBottom(captions.response.rect.max.y));
    egui::Area::new("key-strip".into())
        .fixed_pos(egui::pos2(24.0, plot.window.y - 24.0))
        .interactable(false)
        .order(egui::Order::Background)
        .show(ctx, |ui| {
            ui.set_max_width(width);
            let strip = if sizing.touch {
                &lesson.exhibit.help
            } else {
                &lesson.help.strip
            };
            ui.label(
                RichText::new(strip)
                    .size(sizing.text(14.0))
                    .color(pal.label.egui()),
            );
        });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_learning_rate_says_why_and_keeps_what_was_typed() {
        for typed in ["500", "-1", "0", "1e-9", "abc"] {
            let mut state = PanelState::opened_on(Tab::Descent);
            let mut lr = LearningRate(0.1);
            state.show_learning_rate(lr);
            state.learning_rate_text = typed.to_owned();
            if let Some(accepted) = state.submit_learning_rate(lr) {
                lr = accepted;
            }
            assert_eq!(lr, LearningRate(0.1), "{typed} must be refused");
            let english = LessonText::built_in().unwrap();
            let reason = state
                .learning_rate_error
                .as_ref()
                .map(|refused| refusal_words(&english.labels, refused))
                .unwrap_or_default();
            let says_why = if typed == "abc" {
                reason.contains("'abc' is not a number")
            } else {
                reason.contains("between 1e-6 and 100") && reason.contains(typed)
            };
            assert!(
                says_why,
                "{typed}: the reason names the problem, got {reason:?}"
            );
            // Next frame, nobody typing: the refused text stays on screen with its reason.
            state.editing_learning_rate = false;
            state.show_learning_rate(lr);
            assert_eq!(state.learning_rate_text, typed);
            assert!(state.learning_rate_error.is_some());
        }
    }

    #[test]
    fn a_fixed_learning_rate_is_taken_and_the_reason_goes_away() {
        let mut state = PanelState::opened_on(Tab::Descent);
        state.learning_rate_text = "500".to_owned();
        assert_eq!(state.submit_learning_rate(LearningRate(0.1)), None);
        state.learning_rate_text = "0.5".to_owned();
        assert_eq!(
            state.submit_learning_rate(LearningRate(0.1)),
            Some(LearningRate(0.5))
        );
        assert_eq!(state.learning_rate_error, None);
        state.show_learning_rate(LearningRate(0.5));
        assert_eq!(state.learning_rate_text, "0.5");
        // Moving the slider instead also clears a refused value.
        state.learning_rate_text = "abc".to_owned();
        state.submit_learning_rate(LearningRate(0.5));
        state.slider_moved_learning_rate();
        state.show_learning_rate(LearningRate(0.2));
        assert_eq!(state.learning_rate_text, "0.2");
        // So does the Up key (or a scenario) changing the rate: the field shows the rate in force.
        state.learning_rate_text = "500".to_owned();
        state.submit_learning_rate(LearningRate(0.2));
        state.show_learning_rate(LearningRate(0.2));
        assert_eq!(
            state.learning_rate_text, "500",
            "unchanged rate: still refused"
        );
        state.show_learning_rate(LearningRate(0.3));
        assert_eq!(state.learning_rate_text, "0.3");
        assert_eq!(state.learning_rate_error, None);
    }
}
