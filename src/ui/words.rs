//! The sentences and equations the panel shows, built from the run's numbers and the lesson's text.

use crate::math::Curve;
use crate::math::descent::{CONVERGED_BELOW, Descent, RunStatus, StepRecord};
use crate::math::optimizer::{Method, Optimizer};
use crate::text::{LessonText, fill};
use crate::theme::numbers::{format_exact, format_number, format_significant};

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
pub fn update_equation(step: &StepRecord, noise: &str) -> String {
    update_lines(step, noise)
        .map(|line| line.trim_start().to_owned())
        .join(" ")
}

/// How many digits an equation's numbers are written with: the fewest at which the numbers as shown give
/// the result as shown, so every line adds up on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Digits {
    Significant(usize),
    /// Every digit: the shortest text that reads back as the same f64. The arithmetic is the computer's, so
    /// at this precision the line always adds up.
    Every,
}

impl Digits {
    const LADDER: [Digits; 4] = [
        Digits::Significant(6),
        Digits::Significant(10),
        Digits::Significant(14),
        Digits::Every,
    ];

    pub fn number(self, value: f64) -> String {
        match self {
            Digits::Significant(6) => format_number(value),
            Digits::Significant(d) => format_significant(value, d),
            // Every digit, with a power of ten for the very small and very large, never 30 zeros.
            Digits::Every if value != 0.0 && !(1e-4..1e15).contains(&value.abs()) => {
                format!("{value:e}")
            }
            Digits::Every => format_exact(value),
        }
    }

    pub fn operand(self, value: f64) -> String {
        let text = self.number(value);
        if value < 0.0 && text != "0" {
            format!("({text})")
        } else {
            text
        }
    }

    /// True when `value` and `result` agree to within one unit of the last digit `result` is shown with:
    /// what a reader checking the line by hand would accept.
    pub fn agree(self, value: f64, result: f64) -> bool {
        match self {
            Digits::Every => value == result,
            Digits::Significant(d) => {
                if result == 0.0 || !result.is_finite() {
                    return value == result;
                }
                let unit = 10f64.powi(result.abs().log10().floor() as i32 - d as i32 + 1);
                (value - result).abs() <= unit
            }
        }
    }

    /// The fewest digits at which `combine` of the shown `operands` gives the shown `result` (to its last
    /// digit).
    pub fn that_add_up<const N: usize>(
        operands: [f64; N],
        result: f64,
        combine: impl Fn([f64; N]) -> f64,
    ) -> Self {
        let shown = |digits: Digits, v: f64| digits.number(v).parse::<f64>().unwrap_or(v);
        Self::LADDER
            .into_iter()
            .find(|&digits| digits.agree(combine(operands.map(|v| shown(digits, v))), result))
            .unwrap_or(Digits::Every)
    }
}

/// The update as three lines that fit a narrow panel: the rule, its numbers, the result. The numbers carry
/// as many digits as it takes for the line to add up as written.
pub fn update_lines(step: &StepRecord, noise: &str) -> [String; 3] {
    let d = Digits::that_add_up([step.x, step.lr, step.grad], step.x_new, |[x, lr, g]| {
        x - lr * g
    });
    let scale = step.x.abs().max((step.lr * step.grad).abs());
    // x and lr * f'(x) cancel: what is left is rounding, which no short decimals can show adding up.
    let cancels = d == Digits::Every && step.x_new.abs() <= 1e-12 * scale;
    let (d, result) = if cancels {
        let noise = fill(noise, &[("value", format_number(step.x_new))]);
        (Digits::Significant(6), noise)
    } else {
        (d, d.number(step.x_new))
    };
    [
        "x_new = x - lr * f'(x)".to_owned(),
        format!(
            "      = {} - {} * {}",
            d.number(step.x),
            d.operand(step.lr),
            d.operand(step.grad)
        ),
        format!("      = {result}"),
    ]
}

/// The next update of any optimizer written out with its numbers, three lines that fit the panel.
pub fn optimizer_lines(
    optimizer: &Optimizer,
    x: f64,
    grad: f64,
    lr: f64,
    noise: &str,
) -> [String; 3] {
    let mut next = *optimizer;
    let x_new = next.step(x, grad, lr);
    let n = format_number;
    let s = optimizer.settings;
    match optimizer.method {
        Method::Gd => update_lines(
            &StepRecord {
                step: 0,
                x,
                grad,
                lr,
                x_new,
            },
            noise,
        ),
        Method::Momentum => {
            let dv = Digits::that_add_up(
                [s.momentum, optimizer.velocity, grad],
                next.velocity,
                |[mu, v, g]| mu * v + g,
            );
            let dx = Digits::that_add_up([x, lr, next.velocity], x_new, |[x, lr, v]| x - lr * v);
            [
                format!(
                    "v = mu*v + g = {}*{} + {} = {}",
                    dv.number(s.momentum),
                    dv.operand(optimizer.velocity),
                    dv.operand(grad),
                    dv.number(next.velocity)
                ),
                "x_new = x - lr * v".to_owned(),
                format!(
                    "      = {} - {} * {} = {}",
                    dx.number(x),
                    dx.operand(lr),
                    dx.operand(next.velocity),
                    dx.number(x_new)
                ),
            ]
        }
        Method::Nesterov => {
            let d = Digits::that_add_up(
                [x, lr, grad, s.momentum, next.velocity],
                x_new,
                |[x, lr, g, mu, v]| x - lr * (g + mu * v),
            );
            [
                format!("v = mu*v + g = {}", d.number(next.velocity)),
                "x_new = x - lr * (g + mu*v)".to_owned(),
                format!(
                    "      = {} - {} * ({} + {}*{}) = {}",
                    d.number(x),
                    d.operand(lr),
                    d.number(grad),
                    d.number(s.momentum),
                    d.operand(next.velocity),
                    d.number(x_new)
                ),
            ]
        }
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

/// True when the run's last step landed exactly as high as it started, somewhere else: on a symmetric valley
/// it will bounce between the two points for ever.
pub fn is_bouncing(curve: &Curve, run: &Descent) -> bool {
    run.last
        .is_some_and(|r| r.x_new != r.x && curve.value(r.x_new) == curve.value(r.x))
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
        RunStatus::RunningAway { since } => fill(
            &lesson.status.running_away,
            &[
                ("step", since.to_string()),
                ("lr", format_number(run.last.map_or(lr, |r| r.lr))),
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
            if is_bouncing(curve, run) {
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

    const NOISE: &str = "0, up to rounding: the computer gets {value}";

    fn bowl() -> &'static Curve {
        Curve::by_name("bowl").unwrap()
    }

    #[test]
    fn the_update_is_written_with_its_numbers() {
        let step = preview_step(bowl(), 1.2, 0.1, 1);
        assert_eq!(
            update_equation(&step, NOISE),
            "x_new = x - lr * f'(x) = 1.2 - 0.1 * 2.4 = 0.96"
        );
        let left = preview_step(bowl(), -1.2, 0.1, 1);
        assert_eq!(
            update_equation(&left, NOISE),
            "x_new = x - lr * f'(x) = -1.2 - 0.1 * (-2.4) = -0.96"
        );
    }

    #[test]
    fn every_optimizers_next_step_is_written_with_the_number_it_will_really_take() {
        use crate::math::optimizer::Settings;
        for method in Method::ALL {
            let optimizer = Optimizer::new(method, Settings::default());
            let lines = optimizer_lines(&optimizer, 1.0, 2.0, 0.1, NOISE);
            let mut copy = optimizer;
            let x_new = copy.step(1.0, 2.0, 0.1);
            assert!(
                lines[2].ends_with(&format_number(x_new)),
                "{method:?}: {lines:?}"
            );
        }
        let momentum = Optimizer::new(Method::Momentum, Settings::default());
        assert_eq!(
            optimizer_lines(&momentum, 1.0, 2.0, 0.1, NOISE)[0],
            "v = mu*v + g = 0.9*0 + 2 = 2"
        );
    }

    /// Reads "a - b * c = r" style lines back: the numbers in the order they appear.
    fn numbers_in(line: &str) -> Vec<f64> {
        line.split(|c: char| !(c.is_ascii_digit() || "-.e".contains(c)))
            .filter_map(|t| t.trim_matches('-').parse::<f64>().ok().map(|v| (t, v)))
            .map(|(t, v)| if t.starts_with('-') { -v } else { v })
            .collect()
    }

    #[test]
    fn the_update_line_adds_up_as_written_even_when_the_result_is_rounding_noise() {
        // The vee at x just under 0.1 (where descent from 0.5 at lr 0.1 lands): the exact sum is -1.08e-15,
        // which "0.1 - 0.1 * 1" cannot give.
        let vee = Curve::by_name("vee").unwrap();
        let mut x = 0.5;
        for _ in 0..4 {
            x -= 0.1 * vee.slope(x);
        }
        let step = preview_step(vee, x, 0.1, 5);
        assert!(step.x_new != 0.0 && step.x_new.abs() < 1e-14, "{step:?}");
        let lines = update_lines(&step, NOISE);
        // The short operands, then the honest result: zero up to rounding, and what the computer got.
        assert_eq!(lines[1], "      = 0.1 - 0.1 * 1", "{lines:?}");
        assert_eq!(
            lines[2],
            format!(
                "      = 0, up to rounding: the computer gets {}",
                format_number(step.x_new)
            )
        );
        let operands = numbers_in(&lines[1]);
        assert_eq!(operands[0] - operands[1] * operands[2], 0.0);
        // Where rounded operands do not add up but the result is not noise, more digits are shown instead.
        let plateau = Curve::by_name("plateau").unwrap();
        let step = preview_step(plateau, 3.764596608, 0.5, 1);
        let lines = update_lines(&step, NOISE);
        let operands = numbers_in(&lines[1]);
        let result = numbers_in(&lines[2])[0];
        let unit = 10f64.powi(result.abs().log10().floor() as i32 - 5);
        assert!(
            (operands[0] - operands[1] * operands[2] - result).abs() <= unit,
            "{lines:?}"
        );
        // Where the numbers do add up, they stay short.
        assert_eq!(
            update_equation(&preview_step(bowl(), 1.2, 0.1, 1), NOISE),
            "x_new = x - lr * f'(x) = 1.2 - 0.1 * 2.4 = 0.96"
        );
    }

    #[test]
    fn every_written_update_adds_up_on_many_curves_and_starts() {
        for curve in Curve::builtins() {
            for i in 0..50 {
                let (lo, hi) = curve.x_range;
                let x = lo + (hi - lo) * (i as f64 + 0.37) / 50.0;
                for lr in [0.001, 0.1, 0.3, 1.0] {
                    let step = preview_step(curve, x, lr, 1);
                    if !step.x_new.is_finite() {
                        continue;
                    }
                    let d = Digits::that_add_up(
                        [step.x, step.lr, step.grad],
                        step.x_new,
                        |[x, lr, g]| x - lr * g,
                    );
                    let shown = |v: f64| d.number(v).parse::<f64>().unwrap();
                    let result = shown(step.x_new);
                    let from_shown = shown(step.x) - shown(step.lr) * shown(step.grad);
                    // By hand, to the result's last digit (twice the unit: the result is rounded too).
                    let unit = match d {
                        Digits::Every => 0.0,
                        Digits::Significant(k) if result != 0.0 => {
                            2.0 * 10f64.powi(result.abs().log10().floor() as i32 - k as i32 + 1)
                        }
                        Digits::Significant(_) => 0.0,
                    };
                    assert!(
                        (from_shown - result).abs() <= unit,
                        "{} at x = {x}, lr {lr}: {from_shown} vs {result} ({d:?})",
                        curve.name
                    );
                }
            }
        }
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
