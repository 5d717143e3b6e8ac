//! The one stepper both scenes play with: time times speed owes steps, paid one whole step at a time.

use crate::limits::STEPS_PER_SECOND;

/// The fraction of a step a playing run is owed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Owed(f64);

impl Owed {
    /// Nothing owed: the first step comes a whole step's time after Play, not at once.
    pub fn clear(&mut self) {
        self.0 = 0.0;
    }

    /// Owes `seconds` of play at `per_second` steps a second (kept within the speed's limits), then takes
    /// each whole step owed with `step` while it says the run goes on. Returns false, with nothing left owed,
    /// when a step stopped the run.
    pub fn pay(&mut self, seconds: f64, per_second: f64, mut step: impl FnMut() -> bool) -> bool {
        self.0 += seconds * STEPS_PER_SECOND.clamp(per_second);
        while self.0 >= 1.0 {
            self.0 -= 1.0;
            if !step() {
                self.clear();
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn play_pays_one_step_for_each_whole_step_of_time() {
        let mut owed = Owed::default();
        let mut steps = 0;
        for _ in 0..10 {
            assert!(owed.pay(0.1, 4.0, || {
                steps += 1;
                true
            }));
        }
        // One second at four steps a second (0.1 s * 4 = 0.4 of a step per frame, summed).
        assert_eq!(steps, 4);
    }

    #[test]
    fn a_run_that_stops_is_owed_nothing_more() {
        let mut owed = Owed::default();
        let mut steps = 0;
        let going = owed.pay(1.0, 10.0, || {
            steps += 1;
            steps < 3
        });
        assert!(!going);
        assert_eq!(steps, 3);
        assert_eq!(owed, Owed::default());
    }

    #[test]
    fn the_speed_is_kept_within_its_limits() {
        let mut owed = Owed::default();
        let mut steps = 0;
        owed.pay(1.0, 1e9, || {
            steps += 1;
            true
        });
        assert_eq!(steps, 30);
    }
}
