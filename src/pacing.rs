//! How often the window redraws: every frame while something moves, only on input while nothing does, so a
//! paused window left alone costs next to nothing.

use std::time::Duration;

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::{UpdateMode, WinitSettings};
use bevy_egui::{EguiInput, EguiPostUpdateSet, EguiPreUpdateSet, EguiRenderOutput, egui};

use crate::scene::Scene;
use crate::sim::gradient::GradientRun;
use crate::sim::{ChordShrink, Playback, PointerDrag};
use crate::view::slope::ball::{Ball, Glide};
use crate::view::slope::race::RivalGlides;
use crate::view::slope::zoom::PlotZoom;

/// While idle, wake at least this often anyway (a clock-like heartbeat for anything time-based).
const IDLE_WAKE: Duration = Duration::from_secs(5);

pub fn plugin(app: &mut App) {
    app.init_resource::<KeepAnimating>()
        .init_resource::<WakeAt>()
        .add_systems(Last, choose_update_mode)
        .add_systems(
            PostUpdate,
            (
                redraw_after_new_glyphs.after(EguiPostUpdateSet::ProcessOutput),
                redraw_after_the_layout_moved,
            ),
        )
        .add_systems(
            PreUpdate,
            drop_unchanged_modifier_events
                .after(EguiPreUpdateSet::ProcessInput)
                .before(EguiPreUpdateSet::BeginPass),
        );
}

/// bevy_egui 0.42 tells egui "the modifier keys changed" every frame even when they did not; egui counts
/// that as input and asks for another frame, so a still window would redraw for ever. Only real changes
/// are passed on.
fn drop_unchanged_modifier_events(
    mut inputs: Query<(Entity, &mut EguiInput)>,
    mut last: Local<Vec<(Entity, egui::Modifiers)>>,
) {
    for (entity, mut input) in &mut inputs {
        let index = match last.iter().position(|(e, _)| *e == entity) {
            Some(index) => index,
            None => {
                last.push((entity, egui::Modifiers::NONE));
                last.len() - 1
            }
        };
        let seen = &mut last[index].1;
        input.0.events.retain(|event| match event {
            egui::Event::ModifiersChanged(now) if now == seen => false,
            egui::Event::ModifiersChanged(now) => {
                *seen = *now;
                true
            }
            _ => true,
        });
    }
}

/// A frame that brought egui new glyphs (the first "5" at a new size, say) can be drawn before the font atlas
/// holding them reaches the GPU, leaving holes in the text ("w = 0. 000"). While the window redraws only on
/// input, nothing would draw it again, so one more frame is asked for whenever egui's textures changed.
pub fn redraw_after_new_glyphs(
    outputs: Query<&EguiRenderOutput>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    if outputs
        .iter()
        .any(|output| !output.textures_delta.set.is_empty())
    {
        redraw.write(RequestRedraw);
    }
}

/// A new size of the interface (Ctrl+=, a larger window) or a new theme reaches egui a frame after the
/// plot: while the window redraws only on input, the frame between would stay on screen, the ball beside
/// the curve. So two more frames are asked for after the plot's place, the line widths or the theme change.
pub fn redraw_after_the_layout_moved(
    plot: Option<Res<crate::view::PlotArea>>,
    widths: Option<Res<crate::view::LineWidths>>,
    theme: Option<Res<crate::theme::Theme>>,
    mut frames_left: Local<u8>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let moved = plot.is_some_and(|p| p.is_changed())
        || widths.is_some_and(|w| w.is_changed())
        || theme.is_some_and(|t| t.is_changed());
    if moved {
        *frames_left = 2;
    }
    if *frames_left > 0 {
        *frames_left -= 1;
        redraw.write(RequestRedraw);
    }
}

/// A moment (real time since start-up) at which a still window must wake for something due then, such as a
/// screenshot taken after some seconds.
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq)]
pub struct WakeAt(pub Option<Duration>);

/// Set to keep redrawing every frame whatever happens (screenshots, benchmarks, the exhibit).
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq)]
pub struct KeepAnimating(pub bool);

/// What is moving by itself in each scene, as [`is_animating`] reads it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Motion<'a> {
    /// Scene 1's run, its "Shrink h", a drag of its ball, and the balls' glides.
    pub playback: Option<&'a Playback>,
    pub shrink: Option<&'a ChordShrink>,
    pub drag: Option<&'a PointerDrag>,
    pub ball: Option<&'a Glide>,
    pub rivals: Option<&'a RivalGlides>,
    /// The plot's "Zoom in" animation.
    pub zoom: Option<&'a PlotZoom>,
    /// Scene 2 playing.
    pub gradient_playing: bool,
}

/// True while anything on screen is moving by itself, in the scene that is showing.
pub fn is_animating(keep: &KeepAnimating, scene: Scene, motion: Motion) -> bool {
    if keep.0 {
        return true;
    }
    match scene {
        Scene::Slope => {
            motion.playback.is_some_and(|p| p.playing)
                || motion.shrink.is_some_and(|s| s.playing)
                || motion.drag.is_some_and(|d| d.grab.is_some())
                || motion.ball.is_some_and(Glide::is_moving)
                || motion
                    .rivals
                    .is_some_and(|r| r.0.iter().any(Glide::is_moving))
                || motion.zoom.is_some_and(PlotZoom::is_animating)
        }
        Scene::Gradient => motion.gradient_playing,
    }
}

pub fn choose_update_mode(
    keep: Res<KeepAnimating>,
    scene: Option<Res<State<Scene>>>,
    playback: Option<Res<Playback>>,
    shrink: Option<Res<ChordShrink>>,
    drag: Option<Res<PointerDrag>>,
    ball: Query<&Glide, With<Ball>>,
    rivals: Option<Res<RivalGlides>>,
    zoom: Option<Res<PlotZoom>>,
    gradient: Option<Res<GradientRun>>,
    (wake_at, time): (Res<WakeAt>, Res<Time<Real>>),
    mut settings: ResMut<WinitSettings>,
    mut before: Local<Option<(bool, Duration)>>,
) {
    let motion = Motion {
        playback: playback.as_deref(),
        shrink: shrink.as_deref(),
        drag: drag.as_deref(),
        ball: ball.iter().next(),
        rivals: rivals.as_deref(),
        zoom: zoom.as_deref(),
        gradient_playing: gradient.is_some_and(|g| g.playing),
    };
    let scene = scene.map_or(Scene::Slope, |s| *s.get());
    let animating = is_animating(&keep, scene, motion);
    let wait = idle_wait(wake_at.0, time.elapsed());
    if *before == Some((animating, wait)) {
        return;
    }
    *before = Some((animating, wait));
    debug!(animating, "redraw mode changed");
    *settings = if animating {
        WinitSettings {
            focused_mode: UpdateMode::Continuous,
            unfocused_mode: UpdateMode::Continuous,
        }
    } else {
        WinitSettings {
            focused_mode: UpdateMode::reactive(wait),
            unfocused_mode: UpdateMode::reactive_low_power(wait),
        }
    };
}

/// How long a still window sleeps before it wakes by itself: the heartbeat, or less when something is due.
pub fn idle_wait(wake_at: Option<Duration>, now: Duration) -> Duration {
    match wake_at {
        Some(at) => at.saturating_sub(now).min(IDLE_WAKE),
        None => IDLE_WAKE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paused_still_window_is_idle_and_anything_moving_animates() {
        let keep = KeepAnimating(false);
        let (paused, playing) = (Playback::new(false), Playback::new(true));
        let (drag, rivals) = (PointerDrag::default(), RivalGlides::default());
        let resting = Glide::resting(1.0);
        let still = Motion {
            playback: Some(&paused),
            shrink: None,
            drag: Some(&drag),
            ball: Some(&resting),
            rivals: Some(&rivals),
            zoom: None,
            gradient_playing: false,
        };
        assert!(!is_animating(&keep, Scene::Slope, still));
        assert!(!is_animating(&keep, Scene::Gradient, still));
        let play = Motion {
            playback: Some(&playing),
            ..still
        };
        assert!(is_animating(&keep, Scene::Slope, play));
        let shrinking = ChordShrink {
            active: true,
            playing: true,
            ..default()
        };
        let shrink = Motion {
            shrink: Some(&shrinking),
            ..still
        };
        assert!(is_animating(&keep, Scene::Slope, shrink));
        let gliding = Glide {
            from: 0.0,
            to: 1.0,
            elapsed: 0.0,
            duration: 0.3,
        };
        let glide = Motion {
            ball: Some(&gliding),
            ..still
        };
        assert!(is_animating(&keep, Scene::Slope, glide));
        // A zoomed plot stands still; the "Zoom in" animation moves.
        let zoomed = PlotZoom {
            factor: 100.0,
            animation: None,
        };
        let zooming = PlotZoom {
            factor: 10.0,
            animation: Some((1.0, 4.4)),
        };
        let still_zoomed = Motion {
            zoom: Some(&zoomed),
            ..still
        };
        assert!(!is_animating(&keep, Scene::Slope, still_zoomed));
        let animated = Motion {
            zoom: Some(&zooming),
            ..still
        };
        assert!(is_animating(&keep, Scene::Slope, animated));
        assert!(is_animating(&KeepAnimating(true), Scene::Slope, still));
    }

    fn redraws_asked_for(output: EguiRenderOutput) -> usize {
        let mut app = App::new();
        app.add_message::<RequestRedraw>()
            .add_systems(Update, redraw_after_new_glyphs);
        app.world_mut().spawn(output);
        app.update();
        let count = app
            .world()
            .resource::<Messages<RequestRedraw>>()
            .iter_current_update_messages()
            .count();
        // egui insists that every texture change is handed on before it is dropped.
        let mut outputs = app.world_mut().query::<&mut EguiRenderOutput>();
        for mut output in outputs.iter_mut(app.world_mut()) {
            output.textures_delta.clear();
        }
        count
    }

    #[test]
    fn a_frame_that_brought_new_glyphs_is_drawn_once_more() {
        let mut delta = egui::TexturesDelta::default();
        let image = egui::ColorImage::filled([2, 2], egui::Color32::PLACEHOLDER);
        delta.push(
            egui::TextureId::Managed(0),
            egui::epaint::ImageDelta::full(image, egui::TextureOptions::LINEAR),
        );
        let with_glyphs = EguiRenderOutput {
            paint_jobs: Vec::new(),
            textures_delta: delta,
        };
        assert_eq!(redraws_asked_for(with_glyphs), 1);
        assert_eq!(
            redraws_asked_for(EguiRenderOutput::default()),
            0,
            "an unchanged atlas asks for nothing: a still window stays idle"
        );
    }

    #[test]
    fn scene_two_playing_keeps_the_window_redrawing() {
        let keep = KeepAnimating(false);
        let playing = Motion {
            gradient_playing: true,
            ..Motion::default()
        };
        assert!(
            is_animating(&keep, Scene::Gradient, playing),
            "scene 2's Play must keep frames coming, or it stalls after one step"
        );
        assert!(!is_animating(&keep, Scene::Gradient, Motion::default()));
    }
}
