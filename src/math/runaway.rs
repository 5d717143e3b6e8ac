//! When a run is plainly flying away: each step lands higher than the last and moves further than the last.
//!
//! Waiting for x to leave the number line takes dozens of steps (1.2^76 on the bowl at lr 1.1); a person sees
//! after three that every step overshoots by more. Momentum climbing a hump also gains height for a while,
//! but it slows down as it climbs, so its steps get shorter, not longer.

/// Steps in a row that must each raise the loss and each move further than the one before.
pub const RUNAWAY_STEPS: usize = 3;

/// True when the last [`RUNAWAY_STEPS`] steps each raised the loss and each moved further than the step
/// before it. `losses` and `moves` are oldest first; `moves[i]` is the length of the step that ended at
/// `losses[i + 1]`. Fewer entries than needed, or any number that is not finite, is never a runaway.
pub fn is_running_away(losses: &[f64], moves: &[f64]) -> bool {
    let k = RUNAWAY_STEPS;
    if losses.len() < k + 1 || moves.len() < k {
        return false;
    }
    let losses = &losses[losses.len() - (k + 1)..];
    let moves = &moves[moves.len() - k..];
    if losses.iter().chain(moves).any(|v| !v.is_finite()) {
        return false;
    }
    let rising = losses.windows(2).all(|w| w[1] > w[0]);
    let lengthening = moves[0] > 0.0 && moves.windows(2).all(|w| w[1] > w[0]);
    rising && lengthening
}

/// [`is_running_away`] for a run that visited `visited` (oldest first, the current position last), each
/// position with its loss, and `distance` between two positions: one dimension for scene 1, two for scene 2.
pub fn runs_away_along<P: Copy>(visited: &[(P, f64)], distance: impl Fn(P, P) -> f64) -> bool {
    let tail = &visited[visited.len().saturating_sub(RUNAWAY_STEPS + 1)..];
    let losses: Vec<f64> = tail.iter().map(|&(_, loss)| loss).collect();
    let moves: Vec<f64> = tail.windows(2).map(|w| distance(w[0].0, w[1].0)).collect();
    is_running_away(&losses, &moves)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bowl_run(lr: f64, x0: f64, steps: usize) -> (Vec<f64>, Vec<f64>) {
        let mut x = x0;
        let (mut losses, mut moves) = (vec![x * x], vec![]);
        for _ in 0..steps {
            let next = x - lr * 2.0 * x;
            moves.push((next - x).abs());
            losses.push(next * next);
            x = next;
        }
        (losses, moves)
    }

    #[test]
    fn gradient_descent_on_the_bowl_above_lr_one_is_seen_running_away_after_three_steps() {
        let (losses, moves) = bowl_run(1.1, 2.5, 3);
        assert!(is_running_away(&losses, &moves));
        let (losses, moves) = bowl_run(1.1, 2.5, 2);
        assert!(
            !is_running_away(&losses, &moves),
            "two steps are not yet enough"
        );
    }

    #[test]
    fn bouncing_for_ever_and_settling_are_not_running_away() {
        for lr in [0.1, 0.5, 0.75, 1.0] {
            let (losses, moves) = bowl_run(lr, 2.5, 40);
            for n in 0..=40 {
                assert!(
                    !is_running_away(&losses[..n + 1], &moves[..n]),
                    "lr {lr} after {n} steps"
                );
            }
        }
    }

    #[test]
    fn climbing_while_slowing_down_is_not_running_away() {
        // Higher each step, but each step shorter: a ball carried up a hump by its momentum.
        assert!(!is_running_away(&[1.0, 2.0, 3.0, 3.5], &[0.5, 0.4, 0.3]));
        assert!(!is_running_away(
            &[1.0, 2.0, f64::NAN, 4.0],
            &[0.5, 0.6, 0.7]
        ));
    }
}
