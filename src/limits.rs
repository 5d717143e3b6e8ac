//! Every range a number given to downhill may take, and the one check that says so: the command line, the
//! panel, the settings file and the scenarios all refuse the same numbers with the same words.

/// The closed range `lo..=hi` a named number must lie in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limit {
    pub lo: f64,
    pub hi: f64,
    /// What the number is, as a sentence names it ("the learning rate").
    pub name: &'static str,
    /// What it counts, after the bounds (" seconds"), or nothing.
    pub unit: &'static str,
}

/// Most balls on the curve at once: the main one and up to five racing it.
pub const MAX_BALLS: usize = 6;

/// The learning rate lr in x <- x - lr * f'(x), typed, given on the command line or in a file.
pub const LEARNING_RATE: Limit = Limit {
    lo: 1e-6,
    hi: 100.0,
    name: "the learning rate",
    unit: "",
};

/// The chord's step h.
pub const CHORD_STEP: Limit = Limit {
    lo: 1e-16,
    hi: 1.0,
    name: "h",
    unit: "",
};

/// How many steps a playing run takes per second.
pub const STEPS_PER_SECOND: Limit = Limit {
    lo: 0.25,
    hi: 30.0,
    name: "the speed",
    unit: " steps per second",
};

/// How long `--wait` waits before the screenshot.
pub const WAIT_SECONDS: Limit = Limit {
    lo: 0.1,
    hi: 600.0,
    name: "the wait",
    unit: " seconds",
};

/// Where a ball may be started by a file or the command line.
pub const START: Limit = Limit {
    lo: -1e6,
    hi: 1e6,
    name: "the start",
    unit: "",
};

/// How long one exhibit scene lasts.
pub const SCENE_SECONDS: Limit = Limit {
    lo: 2.0,
    hi: 600.0,
    name: "a scene's length",
    unit: " seconds",
};

/// How long the exhibit waits for a touch before its attract loop, and before it resets a visit.
pub const IDLE_SECONDS: Limit = Limit {
    lo: 1.0,
    hi: 86_400.0,
    name: "the wait",
    unit: " seconds",
};

/// How much larger the exhibit draws its text and controls.
pub const UI_SCALE: Limit = Limit {
    lo: 1.0,
    hi: 4.0,
    name: "the scale",
    unit: "",
};

/// How much larger the desktop draws its whole interface than at 100% (Ctrl+= / Ctrl+- / `--ui-scale`).
pub const TEXT_SCALE: Limit = Limit {
    lo: 0.75,
    hi: 3.0,
    name: "the interface's scale",
    unit: "",
};

/// A finite number written as text, or the sentence that says why it is not one.
pub fn read_number(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number"))?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(format!("'{text}' is not a finite number"))
    }
}

impl Limit {
    /// A number written as text, when it is one and within the range; else the sentence that says why not.
    pub fn read(&self, text: &str) -> Result<f64, String> {
        self.check(read_number(text)?)
    }

    /// True for a finite number within the range.
    pub fn contains(&self, value: f64) -> bool {
        value.is_finite() && (self.lo..=self.hi).contains(&value)
    }

    /// The nearest number within the range (a NaN stays a NaN, for the caller to refuse).
    pub fn clamp(&self, value: f64) -> f64 {
        value.clamp(self.lo, self.hi)
    }

    /// The range as a sentence gives it: "1e-6 and 100".
    pub fn bounds(&self) -> String {
        let (lo, hi) = self.ends();
        format!("{lo} and {hi}")
    }

    /// The range's two ends written short, for a sentence in any language: ("1e-6", "100").
    pub fn ends(&self) -> (String, String) {
        (short(self.lo), short(self.hi))
    }

    /// `value` when it is within the range, else the sentence that says what the range is.
    pub fn check(&self, value: f64) -> Result<f64, String> {
        if self.contains(value) {
            Ok(value)
        } else {
            Err(self.range_sentence())
        }
    }

    /// What the range is, as a refusal says it: "the learning rate must be between 1e-6 and 100".
    pub fn range_sentence(&self) -> String {
        format!(
            "{} must be between {}{}",
            self.name,
            self.bounds(),
            self.unit
        )
    }
}

/// A bound written short: 1e-6 rather than 0.000001, 1e6 rather than 1000000, 100 rather than 1e2.
fn short(value: f64) -> String {
    if value != 0.0 && !(1e-3..1e5).contains(&value.abs()) {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_takes_its_bounds_and_refuses_what_lies_beyond_them() {
        assert_eq!(LEARNING_RATE.check(1e-6), Ok(1e-6));
        assert_eq!(LEARNING_RATE.check(100.0), Ok(100.0));
        for refused in [0.0, -1.0, 100.5, f64::NAN, f64::INFINITY] {
            assert_eq!(
                LEARNING_RATE.check(refused),
                Err("the learning rate must be between 1e-6 and 100".to_owned()),
                "{refused}"
            );
        }
    }

    #[test]
    fn the_refusal_names_the_number_its_bounds_and_its_unit() {
        assert_eq!(
            STEPS_PER_SECOND.check(31.0).unwrap_err(),
            "the speed must be between 0.25 and 30 steps per second"
        );
        assert_eq!(
            CHORD_STEP.check(2.0).unwrap_err(),
            "h must be between 1e-16 and 1"
        );
        assert_eq!(WAIT_SECONDS.bounds(), "0.1 and 600");
        assert_eq!(START.bounds(), "-1e6 and 1e6");
    }

    #[test]
    fn clamping_keeps_a_number_inside_the_range() {
        assert_eq!(CHORD_STEP.clamp(1e-300), 1e-16);
        assert_eq!(CHORD_STEP.clamp(5.0), 1.0);
        assert_eq!(STEPS_PER_SECOND.clamp(2.0), 2.0);
    }
}
