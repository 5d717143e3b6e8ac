//! Finite differences: the slope of a chord, which becomes the derivative as h shrinks.

/// Slope of the chord from (x, f(x)) to (x + h, f(x + h)).
pub fn forward_difference(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    (f(x + h) - f(x)) / h
}

/// Slope of the chord from (x - h, f(x - h)) to (x, f(x)).
pub fn backward_difference(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    (f(x) - f(x - h)) / h
}

/// Slope of the chord from (x - h, f(x - h)) to (x + h, f(x + h)), centred on x.
pub fn central_difference(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    (f(x + h) - f(x - h)) / (2.0 * h)
}

/// The step sizes h = 1, 0.1, ... 1e-16, written as literals so each is the double nearest its decade.
pub const DECADES: [f64; 17] = [
    1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13, 1e-14,
    1e-15, 1e-16,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64) -> f64 {
        x * x
    }

    #[test]
    fn central_difference_with_h_1e_minus_5_recovers_the_lessons_slopes() {
        assert!((central_difference(square, 1.0, 1e-5) - 2.0).abs() < 1e-9);
        assert!((central_difference(square, 3.0, 1e-5) - 6.0).abs() < 1e-9);
    }

    #[test]
    fn forward_chord_slope_on_the_bowl_is_two_x_plus_h() {
        // ((x+h)^2 - x^2) / h = 2x + h exactly in real arithmetic.
        for h in [0.5, 0.25, 0.125] {
            assert_eq!(forward_difference(square, 1.0, h), 2.0 + h);
            assert_eq!(backward_difference(square, 1.0, h), 2.0 - h);
        }
    }

    #[test]
    fn shrinking_h_walks_the_forward_chord_toward_the_tangent() {
        let errors: Vec<f64> = DECADES[..6]
            .iter()
            .map(|&h| (forward_difference(square, 1.0, h) - 2.0).abs())
            .collect();
        assert!(errors.windows(2).all(|w| w[1] < w[0]), "{errors:?}");
    }

    #[test]
    fn decades_are_powers_of_ten() {
        for (k, h) in DECADES.iter().enumerate() {
            assert_eq!(*h, format!("1e-{k}").parse::<f64>().unwrap());
        }
    }
}
