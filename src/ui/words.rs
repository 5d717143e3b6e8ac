//! The sentences and equations the panel shows, built from the run's numbers and the lesson's text.

use super::numbers::{format_number, format_operand};
use crate::math::Curve;
use crate::math::descent::{CONVERGED_BELOW, Descent, RunStatus, StepRecord};
use crate::math::optimizer::{Method, Optimizer};
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

/// The next update of any optimizer written out with its numbers, three lines that fit the panel.
pub fn optimizer_lines(optimizer: &Optimizer, x: f64, grad: f64, lr: f64) -> [String; 3] {
    let mut next = *optimizer;
    let x_new = next.step(x, grad, lr);
    let n = format_number;
    let s = optimizer.settings;
    match optimizer.method {
        Method::Gd => update_lines(&StepRecord {
            step: 0,
            x,
            grad,
            lr,
            x_new,
        }),
        Method::Momentum => [
            format!(
                "v = mu*v + g = {}*{} + {} = {}",
                n(s.momentum),
                format_operand(optimizer.velocity),
                format_operand(grad),
                n(next.velocity)
            ),
            "x_new = x - lr * v".to_owned(),
            format!(
                "      = {} - {} * {} = {}",
                n(x),
                format_operand(lr),
                format_operand(next.velocity),
                n(x_new)
            ),
        ],
        Method::Nesterov => [
            format!("v = mu*v + g = {}", n(next.velocity)),
            "x_new = x - lr * (g + mu*v)".to_owned(),
            format!(
                "      = {} - {} * ({} + {}*{}) = {}",
                n(x),
                format_operand(lr),
                n(grad),
                n(s.momentum),
                format_operand(next.velocity),
                n(x_new)
            ),
        ],
        Method::RmsProp => [
            format!("s = alpha*s + (1-alpha)*g^2 = {}", n(next.square)),
            "x_new = x - lr * g / (sqrt(s) + eps)".to_owned(),
            format!("      = {}", n(x_new)),
        ],
        Method::Adam => [
            format!(
                "t = {}: m = {}, s = {}",
                next.steps,
                n(next.mean),
                n(next.square)
            ),
            "x_new = x - lr * m_hat / (sqrt(s_hat) + eps)".to_owned(),
            format!("      = {}", n(x_new)),
        ],
    }
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
    fn every_optimizers_next_step_is_written_with_the_number_it_will_really_take() {
        use crate::math::optimizer::Settings;
        for method in Method::ALL {
            let optimizer = Optimizer::new(method, Settings::default());
            let lines = optimizer_lines(&optimizer, 1.0, 2.0, 0.1);
            let mut copy = optimizer;
            let x_new = copy.step(1.0, 2.0, 0.1);
            assert!(
                lines[2].ends_with(&format_number(x_new)),
                "{method:?}: {lines:?}"
            );
        }
        let momentum = Optimizer::new(Method::Momentum, Settings::default());
        assert_eq!(
            optimizer_lines(&momentum, 1.0, 2.0, 0.1)[0],
            "v = mu*v + g = 0.9*0 + 2 = 2"
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
