//! The scenarios in `assets/scenarios.toml`: read, checked, and turned into ready-to-run setups.

use std::sync::Arc;

use bevy::prelude::Resource;
use serde::Deserialize;

use crate::limits::{LEARNING_RATE, MAX_BALLS};
use crate::math::Curve;
use crate::math::optimizer::{Method, Settings};
use crate::text::parse_toml;

/// A one-click setup that tells a story: the curve, where the balls start, and each ball's rule and
/// learning rate (the first is the main ball).
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub title: String,
    pub story: String,
    pub curve: Arc<Curve>,
    pub start: f64,
    pub momentum: f64,
    pub balls: Vec<(Method, f64)>,
}

impl Scenario {
    /// The optimizers' settings with this story's momentum.
    pub fn settings_with(&self, settings: Settings) -> Settings {
        Settings {
            momentum: self.momentum,
            ..settings
        }
    }
}

/// The copy built into the program, used when the file cannot be found.
pub const BUILT_IN_SCENARIOS: &str = include_str!("../assets/scenarios.toml");

/// The scenarios the panel offers, in file order.
#[derive(Resource, Clone, Debug, Default)]
pub struct Scenarios(pub Vec<Arc<Scenario>>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    scenario: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    title: String,
    story: String,
    curve: String,
    start: f64,
    #[serde(default = "default_momentum")]
    momentum: f64,
    balls: Vec<BallEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BallEntry {
    optimizer: String,
    lr: f64,
}

fn default_momentum() -> f64 {
    0.9
}

impl Scenarios {
    /// Read scenarios; an error names `origin`, the scenario and what is wrong with it.
    pub fn parse(source: &str, origin: &str) -> Result<Self, String> {
        let file: File = parse_toml(source, origin)?;
        let mut scenarios = Vec::new();
        for entry in file.scenario {
            let where_ = format!("{origin}: scenario \"{}\"", entry.title);
            let curve = Curve::named_or_formula(&entry.curve).map_err(|e| {
                format!(
                    "{where_}: curve '{}' is not a curve or a formula: {e}",
                    entry.curve
                )
            })?;
            if !entry.start.is_finite() {
                return Err(format!("{where_}: start must be a finite number"));
            }
            if !(0.0..1.0).contains(&entry.momentum) {
                return Err(format!("{where_}: momentum must be at least 0 and below 1"));
            }
            if entry.balls.is_empty() || entry.balls.len() > MAX_BALLS {
                return Err(format!("{where_}: give between 1 and {MAX_BALLS} balls"));
            }
            let mut balls = Vec::new();
            for ball in entry.balls {
                let method = Method::by_name(&ball.optimizer).ok_or_else(|| {
                    format!(
                        "{where_}: unknown optimizer '{}' (gd, momentum, nesterov, rmsprop, adam)",
                        ball.optimizer
                    )
                })?;
                if let Err(reason) = LEARNING_RATE.check(ball.lr) {
                    return Err(format!("{where_}: lr: {reason}, not {}", ball.lr));
                }
                balls.push((method, ball.lr));
            }
            scenarios.push(Arc::new(Scenario {
                title: entry.title,
                story: entry.story,
                curve,
                start: entry.start,
                momentum: entry.momentum,
                balls,
            }));
        }
        Ok(Self(scenarios))
    }

    /// The scenario with this title (any case), or at this position counting from 1.
    pub fn find(&self, wanted: &str) -> Option<Arc<Scenario>> {
        let wanted = wanted.trim();
        if let Ok(n) = wanted.parse::<usize>() {
            return n.checked_sub(1).and_then(|i| self.0.get(i)).cloned();
        }
        self.0
            .iter()
            .find(|s| s.title.eq_ignore_ascii_case(wanted))
            .cloned()
    }

    /// The copy built into the program (all a web page has; the desktop program reads `assets/` first).
    pub fn built_in() -> Result<Self, String> {
        Self::parse(BUILT_IN_SCENARIOS, "built-in scenarios.toml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_scenarios_tell_the_five_stories() {
        let scenarios = Scenarios::parse(BUILT_IN_SCENARIOS, "scenarios.toml").unwrap();
        let titles: Vec<&str> = scenarios.0.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Learning rate too large",
                "Stuck in a local minimum",
                "Momentum rolls over the hump",
                "Adam's steps stay small",
                "Plateau crawl"
            ]
        );
    }

    /// The loss of each ball of a scenario after each of its first `steps` steps.
    fn losses_by_step(scenario: &Scenario, steps: usize) -> Vec<Vec<f64>> {
        use crate::math::descent::Descent;
        use crate::math::optimizer::{Optimizer, Settings};
        let settings = Settings {
            momentum: scenario.momentum,
            ..Settings::default()
        };
        let curve = &*scenario.curve;
        scenario
            .balls
            .iter()
            .map(|&(method, lr)| {
                let mut run =
                    Descent::with(curve, scenario.start, Optimizer::new(method, settings));
                (0..steps)
                    .map_while(|_| {
                        run.advance(curve, lr)?;
                        Some(curve.value(run.x))
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn no_two_balls_of_a_scenario_have_the_same_loss_at_every_one_of_the_first_20_steps() {
        let scenarios = Scenarios::parse(BUILT_IN_SCENARIOS, "scenarios.toml").unwrap();
        for scenario in &scenarios.0 {
            let losses = losses_by_step(scenario, 20);
            for a in 0..losses.len() {
                for b in a + 1..losses.len() {
                    let same = losses[a]
                        .iter()
                        .zip(&losses[b])
                        .all(|(x, y)| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()));
                    assert!(
                        !same,
                        "\"{}\": balls {} {:?} and {} {:?} tell the same story: losses {:?}",
                        scenario.title,
                        a + 1,
                        scenario.balls[a],
                        b + 1,
                        scenario.balls[b],
                        &losses[a][..losses[a].len().min(5)]
                    );
                }
            }
        }
    }

    #[test]
    fn a_bad_scenario_is_named_with_what_is_wrong() {
        let bad = "[[scenario]]\ntitle = \"t\"\nstory = \"s\"\ncurve = \"bowl\"\nstart = 1\nballs = [{ optimizer = \"sgd\", lr = 0.1 }]\n";
        assert!(
            Scenarios::parse(bad, "f")
                .unwrap_err()
                .contains("unknown optimizer 'sgd'")
        );
        let bad =
            "[[scenario]]\ntitle = \"t\"\nstory = \"s\"\ncurve = \"ln(\"\nstart = 1\nballs = []\n";
        assert!(
            Scenarios::parse(bad, "f")
                .unwrap_err()
                .contains("not a curve or a formula")
        );
        let bad =
            "[[scenario]]\ntitle = \"t\"\nstory = \"s\"\ncurve = \"bowl\"\nstart = 1\nballs = []\n";
        assert!(
            Scenarios::parse(bad, "f")
                .unwrap_err()
                .contains("between 1 and 6")
        );
        assert!(
            Scenarios::parse("[[scenario]]\ncolour = 3\n", "f")
                .unwrap_err()
                .starts_with("f:")
        );
    }
}
