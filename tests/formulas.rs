//! Any text typed as a formula gives a curve or a clear error: never a panic, never a hang.

use downhill::math::Curve;
use downhill::math::formula::Formula;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn any_text_gives_a_formula_or_an_error_with_a_column_inside_it(text in "\\PC{0,60}") {
        match Formula::parse(&text) {
            Ok(formula) => {
                // Evaluating anywhere is safe, whatever the result.
                for x in [-2.0, 0.0, 0.5, 3.0, f64::NAN, 1e308] {
                    let _ = formula.value(x);
                    let _ = formula.jet(x);
                }
            }
            Err(error) => {
                prop_assert!(error.column >= 1 && error.column <= text.chars().count() + 1, "{error} for {text:?}");
                prop_assert!(!error.message.is_empty());
            }
        }
    }

    #[test]
    fn formula_like_text_never_panics_and_curves_stay_drawable(
        text in "[x0-9.+\\-*/^() episncotaxlqrbh]{0,40}"
    ) {
        if let Ok(curve) = Curve::from_formula(&text) {
            let (lo, hi) = curve.y_range;
            prop_assert!(lo.is_finite() && hi.is_finite() && lo < hi, "{text:?}: {:?}", curve.y_range);
            prop_assert!(curve.default_start.is_finite());
            for m in curve.minima() {
                prop_assert!(m.x.is_finite() && m.y.is_finite());
            }
        }
    }
}

#[test]
fn ten_thousand_characters_and_deep_nesting_answer_quickly() {
    let started = std::time::Instant::now();
    let long = "x+".repeat(4999) + "x";
    assert_eq!(long.chars().count(), 9999);
    assert!(Formula::parse(&long).is_ok());
    assert!(
        Formula::parse(&(long.clone() + "+x")).is_err(),
        "10,001 characters are refused"
    );
    let deep = "(".repeat(4000) + "x" + &")".repeat(4000);
    assert!(Formula::parse(&deep).is_err());
    let powers = "x^".repeat(3000) + "x";
    assert!(Formula::parse(&powers).is_err());
    let calls = "sin(".repeat(1000) + "x" + &")".repeat(1000);
    assert!(Formula::parse(&calls).is_err());
    assert!(
        started.elapsed().as_secs() < 2,
        "took {:?}",
        started.elapsed()
    );
}
