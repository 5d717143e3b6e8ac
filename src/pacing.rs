//! How often the window redraws: every frame while something moves, only on input while nothing does, so a
//! paused window left alone costs next to nothing.

use std::time::Duration;

use bevy::prelude::*;
use bevy::winit::{UpdateMode, WinitSettings};
use bevy_egui::{EguiInput, EguiPreUpdateSet, egui};

use crate::input::PointerDrag;
use crate::sim::{ChordShrink, Playback};
use crate::view::ball::{Ball, Glide};
use crate::view::race::RivalGlides;

/// While idle, wake at least this often anyway (a clock-like heartbeat for anything time-based).
const IDLE_WAKE: Duration = Duration::from_secs(5);

pub fn plugin(app: &mut App) {
    app.init_resource::<KeepAnimating>()
        .add_systems(Last, choose_update_mode)
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

/// Set to keep redrawing every frame whatever happens (screenshots, benchmarks, the exhibit).
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq)]
pub struct KeepAnimating(pub bool);

/// True while anything on screen is moving by itself.
pub fn is_animating(
    keep: &KeepAnimating,
    playback: &Playback,
    shrink: &ChordShrink,
    drag: &PointerDrag,
    ball: Option<&Glide>,
    rivals: &RivalGlides,
) -> bool {
    keep.0
        || playback.playing
        || shrink.playing
        || drag.grab.is_some()
        || ball.is_some_and(Glide::is_moving)
        || rivals.0.iter().any(Glide::is_moving)
}

fn choose_update_mode(
    keep: Res<KeepAnimating>,
    playback: Res<Playback>,
    shrink: Res<ChordShrink>,
    drag: Res<PointerDrag>,
    ball: Query<&Glide, With<Ball>>,
    rivals: Res<RivalGlides>,
    mut settings: ResMut<WinitSettings>,
    mut animating_before: Local<Option<bool>>,
) {
    let animating = is_animating(
        &keep,
        &playback,
        &shrink,
        &drag,
        ball.iter().next(),
        &rivals,
    );
    if *animating_before == Some(animating) {
        return;
    }
    *animating_before = Some(animating);
    debug!(animating, "redraw mode changed");
    *settings = if animating {
        WinitSettings {
            focused_mode: UpdateMode::Continuous,
            unfocused_mode: UpdateMode::Continuous,
        }
    } else {
        WinitSettings {
            focused_mode: UpdateMode::reactive(IDLE_WAKE),
            unfocused_mode: UpdateMode::reactive_low_power(IDLE_WAKE),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paused_still_window_is_idle_and_anything_moving_animates() {
        let still = (
            KeepAnimating(false),
            Playback::new(false),
            ChordShrink::default(),
            PointerDrag::default(),
        );
        let rivals = RivalGlides::default();
        assert!(!is_animating(
            &still.0,
            &still.1,
            &still.2,
            &still.3,
            Some(&Glide::resting(1.0)),
            &rivals
        ));
        assert!(is_animating(
            &still.0,
            &Playback::new(true),
            &still.2,
            &still.3,
            None,
            &rivals
        ));
        let shrinking = ChordShrink {
            active: true,
            playing: true,
            ..default()
        };
        assert!(is_animating(
            &still.0, &still.1, &shrinking, &still.3, None, &rivals
        ));
        let gliding = Glide {
            from: 0.0,
            to: 1.0,
            elapsed: 0.0,
            duration: 0.3,
        };
        assert!(is_animating(
            &still.0,
            &still.1,
            &still.2,
            &still.3,
            Some(&gliding),
            &rivals
        ));
        assert!(is_animating(
            &KeepAnimating(true),
            &still.1,
            &still.2,
            &still.3,
            None,
            &rivals
        ));
    }
}
