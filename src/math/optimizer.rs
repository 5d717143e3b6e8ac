//! The update rules of torch.optim for one parameter, so a student can check every number by hand.

/// Which rule moves x.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub enum Method {
    /// x -= lr * g
    #[default]
    Gd,
    /// SGD with momentum (dampening 0): v = mu * v + g; x -= lr * v
    Momentum,
    /// v = mu * v + g; x -= lr * (g + mu * v)
    Nesterov,
    /// s = alpha * s + (1 - alpha) * g^2; x -= lr * g / (sqrt(s) + eps)
    RmsProp,
    /// Adam with bias correction, t counting from 1.
    Adam,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::Gd,
        Method::Momentum,
        Method::Nesterov,
        Method::RmsProp,
        Method::Adam,
    ];

    /// The name used on the command line and in the panel.
    pub fn name(self) -> &'static str {
        match self {
            Method::Gd => "gd",
            Method::Momentum => "momentum",
            Method::Nesterov => "nesterov",
            Method::RmsProp => "rmsprop",
            Method::Adam => "adam",
        }
    }

    pub fn by_name(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.name() == name)
    }

    /// True for the methods that carry a velocity.
    pub fn has_velocity(self) -> bool {
        matches!(self, Method::Momentum | Method::Nesterov)
    }
}

/// The settings of the rules, with torch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// mu, for momentum and Nesterov.
    pub momentum: f64,
    /// alpha, RMSprop's smoothing of g^2.
    pub alpha: f64,
    /// Adam's smoothing of g.
    pub beta1: f64,
    /// Adam's smoothing of g^2.
    pub beta2: f64,
    /// Added to the square root so it is never divided by zero.
    pub eps: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            momentum: 0.9,
            alpha: 0.99,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }
}

impl Settings {
    /// A one-line reason when a setting is out of range: the smoothing factors lie in [0, 1), eps > 0.
    pub fn check(&self) -> Result<(), String> {
        for (name, value) in [
            ("momentum", self.momentum),
            ("alpha", self.alpha),
            ("beta1", self.beta1),
            ("beta2", self.beta2),
        ] {
            if !(0.0..1.0).contains(&value) {
                return Err(format!(
                    "{name} must be at least 0 and below 1, not {value}"
                ));
            }
        }
        if !(self.eps.is_finite() && self.eps > 0.0) {
            return Err(format!("eps must be a positive number, not {}", self.eps));
        }
        Ok(())
    }
}

/// An optimizer for one parameter: its rule, its settings and the state it carries between steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Optimizer {
    pub method: Method,
    pub settings: Settings,
    /// Momentum buffer v (momentum, Nesterov).
    pub velocity: f64,
    /// First moment m (Adam).
    pub mean: f64,
    /// Second moment s (RMSprop, Adam).
    pub square: f64,
    /// Steps taken: Adam's t.
    pub steps: u64,
}

impl Default for Optimizer {
    fn default() -> Self {
        Self::new(Method::Gd, Settings::default())
    }
}

impl Optimizer {
    pub fn new(method: Method, settings: Settings) -> Self {
        Self {
            method,
            settings,
            velocity: 0.0,
            mean: 0.0,
            square: 0.0,
            steps: 0,
        }
    }

    /// The same optimizer with its state cleared, as at the start of a run.
    pub fn fresh(&self) -> Self {
        Self::new(self.method, self.settings)
    }

    /// One update of x with gradient g and learning rate lr; returns the new x.
    pub fn step(&mut self, x: f64, g: f64, lr: f64) -> f64 {
        let Settings {
            momentum: mu,
            alpha,
            beta1,
            beta2,
            eps,
        } = self.settings;
        self.steps += 1;
        match self.method {
            Method::Gd => x - lr * g,
            Method::Momentum => {
                self.velocity = mu * self.velocity + g;
                x - lr * self.velocity
            }
            Method::Nesterov => {
                self.velocity = mu * self.velocity + g;
                x - lr * (g + mu * self.velocity)
            }
            Method::RmsProp => {
                self.square = alpha * self.square + (1.0 - alpha) * g * g;
                x - lr * g / (self.square.sqrt() + eps)
            }
            Method::Adam => {
                let t = self.steps.min(i32::MAX as u64) as i32;
                self.mean = beta1 * self.mean + (1.0 - beta1) * g;
                self.square = beta2 * self.square + (1.0 - beta2) * g * g;
                let mean_hat = self.mean / (1.0 - beta1.powi(t));
                let square_hat = self.square / (1.0 - beta2.powi(t));
                x - lr * mean_hat / (square_hat.sqrt() + eps)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_steps(method: Method, x0: f64, lr: f64, n: usize) -> Vec<f64> {
        // On the bowl, g = 2x.
        let mut opt = Optimizer::new(method, Settings::default());
        let mut x = x0;
        (0..n)
            .map(|_| {
                x = opt.step(x, 2.0 * x, lr);
                x
            })
            .collect()
    }

    fn near(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn gradient_descent_steps_by_lr_times_the_slope() {
        // x1 = 1 - 0.1*2 = 0.8, x2 = 0.8 - 0.1*1.6 = 0.64.
        let xs = first_steps(Method::Gd, 1.0, 0.1, 2);
        assert!(near(xs[0], 0.8) && near(xs[1], 0.64), "{xs:?}");
    }

    #[test]
    fn momentum_matches_its_worked_first_steps() {
        // v1 = 2, x1 = 1 - 0.1*2 = 0.8; g2 = 1.6, v2 = 0.9*2 + 1.6 = 3.4, x2 = 0.8 - 0.34 = 0.46.
        let xs = first_steps(Method::Momentum, 1.0, 0.1, 2);
        assert!(near(xs[0], 0.8) && near(xs[1], 0.46), "{xs:?}");
    }

    #[test]
    fn nesterov_matches_its_worked_first_steps() {
        // v1 = 2, x1 = 1 - 0.1*(2 + 0.9*2) = 0.62; g2 = 1.24, v2 = 1.8 + 1.24 = 3.04,
        // x2 = 0.62 - 0.1*(1.24 + 0.9*3.04) = 0.62 - 0.3976 = 0.2224.
        let xs = first_steps(Method::Nesterov, 1.0, 0.1, 2);
        assert!(near(xs[0], 0.62) && near(xs[1], 0.2224), "{xs:?}");
    }

    #[test]
    fn rmsprop_matches_its_worked_first_step() {
        // s1 = 0.01*4 = 0.04, sqrt = 0.2, x1 = 1 - 0.01*2/(0.2 + 1e-8).
        let xs = first_steps(Method::RmsProp, 1.0, 0.01, 1);
        assert!(near(xs[0], 1.0 - 0.02 / (0.2 + 1e-8)), "{xs:?}");
    }

    #[test]
    fn adam_matches_its_worked_first_steps() {
        // t = 1: m_hat = g and s_hat = g^2, so the step is lr * g/(|g| + eps): almost exactly lr.
        let xs = first_steps(Method::Adam, 1.0, 0.1, 2);
        assert!(near(xs[0], 1.0 - 0.1 * 2.0 / (2.0 + 1e-8)), "{xs:?}");
        // t = 2 by hand.
        let g1 = 2.0;
        let g2 = 2.0 * xs[0];
        let m = 0.9 * (0.1 * g1) + 0.1 * g2;
        let s = 0.999 * (0.001 * g1 * g1) + 0.001 * g2 * g2;
        let m_hat = m / (1.0 - 0.81);
        let s_hat = s / (1.0 - 0.999f64.powi(2));
        assert!(
            near(xs[1], xs[0] - 0.1 * m_hat / (s_hat.sqrt() + 1e-8)),
            "{xs:?}"
        );
    }

    #[test]
    fn settings_out_of_range_are_refused() {
        assert!(Settings::default().check().is_ok());
        let bad = Settings {
            momentum: 1.0,
            ..Settings::default()
        };
        assert!(bad.check().unwrap_err().contains("momentum"));
        let bad = Settings {
            eps: 0.0,
            ..Settings::default()
        };
        assert!(bad.check().unwrap_err().contains("eps"));
        let bad = Settings {
            beta2: f64::NAN,
            ..Settings::default()
        };
        assert!(bad.check().unwrap_err().contains("beta2"));
    }

    #[test]
    fn names_read_back() {
        for method in Method::ALL {
            assert_eq!(Method::by_name(method.name()), Some(method));
        }
        assert_eq!(Method::by_name("sgd"), None);
    }
}
