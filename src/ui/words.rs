//! The sentences and equations the panel shows, built from the run's numbers and the lesson's text.

use super::numbers::{format_number, format_operand};
use crate::math::Curve;
use crate::math::descent::{CONVERGED_BELOW, Descent, RunStatus, StepRecord};
use crate::text::{LessonText, fill};

/// Which way the curve goes at a point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    Rising,
    Falling,
    Flat,
}

impl Sign {
    pub fn of(slope: f64) -> Self {
        if slope.abs() < CONVERGED_BELOW {
            Self::Flat
        } else if slope > 0.0 {
            Self::Rising
        } else {
            Self::Falling
        }
    }

    pub fn words(self, lesson: &LessonText) -> &str {
        match self {
            Self::Rising => &lesson.sign.rising,
            Self::Falling => &lesson.sign.falling,
            Self::Flat => &lesson.sign.flat,
        }
    }
}

/// The update written out with its numbers: `x_new = x - lr * f'(x) = 1.2 - 0.1 * 2.4 = 0.96`.
pub fn update_equation(step: &StepRecord) -> String {
    update_lines(step)
        .map(|line| line.trim_start().to_owned())
        .join(" ")
}

/// The update as three lines that fit a narrow panel: the rule, its numbers, the result.
pub fn update_lines(step: &StepRecord) -> [String; 3] {
    [
        "x_new = x - lr * f'(x)".to_owned(),
        format!(
            "      = {} - {} * {}",
            format_number(step.x),
            format_operand(step.lr),
            format_operand(step.grad)
        ),
        format!("      = {}", format_number(step.x_new)),
    ]
}

/// The run's state in one sentence.
pub fn status_sentence(
    lesson: &LessonText,
    curve: &Curve,
    run: &Descent,
    playing: bool,
    lr: f64,
) -> String {
    let step = run.step.to_string();
    match run.status {
        RunStatus::Converged { step } => {
            fill(&lesson.status.converged, &[("step", step.to_string())])
        }
        RunStatus::Undefined { step } => fill(
            &lesson.status.undefined,
            &[
                ("step", step.to_string()),
                ("x", format_number(run.last.map_or(run.x, |r| r.x_new))),
            ],
        ),
        RunStatus::Diverged { step } => fill(
            &lesson.status.diverged,
            &[
                ("step", step.to_string()),
                ("lr", format_number(run.last.map_or(lr, |r| r.lr))),
            ],
        ),
        RunStatus::Running => {
            let bouncing = run
                .last
                .is_some_and(|r| r.x_new != r.x && curve.value(r.x_new) == curve.value(r.x));
            if bouncing {
                lesson.status.bouncing.clone()
            } else if playing {
                lesson.status.running.clone()
            } else if run.step == 0 {
                lesson.status.ready.clone()
            } else {
                fill(&lesson.status.paused, &[("step", step)])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::descent::preview_step;
    use crate::text::BUILT_IN_LESSON;

    fn lesson() -> LessonText {
        LessonText::parse(BUILT_IN_LESSON, "lesson.toml").unwrap()
    }

    fn bowl() -> &'static Curve {
        Curve::by_name("bowl").unwrap()
    }

    #[test]
    fn the_update_is_written_with_its_numbers() {
        let step = preview_step(bowl(), 1.2, 0.1, 1);
        assert_eq!(
            update_equation(&step),
            "x_new = x - lr * f'(x) = 1.2 - 0.1 * 2.4 = 0.96"
        );
        let left = preview_step(bowl(), -1.2, 0.1, 1);
        assert_eq!(
            update_equation(&left),
            "x_new = x - lr * f'(x) = -1.2 - 0.1 * (-2.4) = -0.96"
        );
    }

    #[test]
    fn the_sign_of_the_slope_says_which_way_is_downhill() {
        let lesson = lesson();
        assert!(Sign::of(2.0).words(&lesson).contains("uphill"));
        assert!(Sign::of(-2.0).words(&lesson).contains("downhill"));
        assert_eq!(Sign::of(0.0), Sign::Flat);
        assert!(
            Sign::of(0.0)
                .words(&lesson)
                .contains("minimum, a maximum or an inflection point")
        );
    }

    #[test]
    fn the_status_names_the_step_of_convergence_and_blames_a_large_learning_rate() {
        let lesson = lesson();
        let mut run = Descent::new(bowl(), 1.0);
        run.advance(bowl(), 0.5);
        assert!(
            status_sentence(&lesson, bowl(), &run, false, 0.5).starts_with("Converged at step 1")
        );
        let mut wild = Descent::new(bowl(), 1.0);
        while wild.advance(bowl(), 1.1).is_some() {}
        let sentence = status_sentence(&lesson, bowl(), &wild, false, 1.1);
        assert!(
            sentence.contains("step 76") && sentence.contains("1.1 is too large"),
            "{sentence}"
        );
    }

    #[test]
    fn a_learning_rate_of_one_on_the_bowl_is_called_out_as_bouncing() {
        let lesson = lesson();
        let mut run = Descent::new(bowl(), 1.0);
        run.advance(bowl(), 1.0);
        assert_eq!(
            status_sentence(&lesson, bowl(), &run, true, 1.0),
            lesson.status.bouncing
        );
    }
}
