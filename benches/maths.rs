//! Benchmarks of the maths behind the ball: optimizer steps, a typed formula against the same function written in
//! Rust, and curve sampling. Run with `cargo bench --bench maths` (release) or `scripts/bench.sh --maths`.

use divan::{Bencher, black_box, counter::ItemsCount};
use downhill::math::curve::Curve;
use downhill::math::descent::Descent;
use downhill::math::optimizer::{Method, Optimizer, Settings};

fn main() {
    divan::main();
}

/// Points evaluated per benchmark iteration, so one figure is the cost of this many evaluations.
const POINTS: usize = 1000;

fn xs() -> Vec<f64> {
    (0..POINTS)
        .map(|i| -2.0 + 4.0 * i as f64 / (POINTS - 1) as f64)
        .collect()
}

/// Value and slope at [`POINTS`] points across [-2, 2].
fn value_and_slope_across(bencher: Bencher, curve: &Curve) {
    let xs = xs();
    bencher.counter(ItemsCount::new(POINTS)).bench_local(|| {
        let mut sum = 0.0;
        for &x in &xs {
            let (v, s) = curve.value_and_slope(black_box(x));
            sum += v + s;
        }
        sum
    });
}

/// The double well written by hand in Rust: the native side of the comparison.
#[divan::bench]
fn double_well_native_value_and_slope(bencher: Bencher) {
    let curve = Curve::by_name("double-well").expect("double-well is built in");
    value_and_slope_across(bencher, curve);
}

/// The same double well typed as a formula: parsed once, then value and exact slope by forward differentiation.
#[divan::bench]
fn double_well_typed_value_and_slope(bencher: Bencher) {
    let curve = Curve::from_formula("x^4 - 3x^2 + x").expect("the formula parses");
    value_and_slope_across(bencher, &curve);
}

/// The ripples written by hand in Rust.
#[divan::bench]
fn ripples_native_value_and_slope(bencher: Bencher) {
    let curve = Curve::by_name("ripples").expect("ripples is built in");
    value_and_slope_across(bencher, curve);
}

/// The same ripples typed: a function call inside, so it runs on the general stack machine.
#[divan::bench]
fn ripples_typed_value_and_slope(bencher: Bencher) {
    let curve = Curve::from_formula("0.5x^2 - 0.3cos(6x) + 0.3").expect("the formula parses");
    value_and_slope_across(bencher, &curve);
}

/// One optimizer step for each rule (the slope comes from the double well).
#[divan::bench(args = Method::ALL.map(|m| m.name()))]
fn optimizer_steps(bencher: Bencher, method: &str) {
    let method = Method::by_name(method).expect("a known method");
    let curve = Curve::by_name("double-well").expect("double-well is built in");
    bencher.counter(ItemsCount::new(POINTS)).bench_local(|| {
        let mut optimizer = Optimizer::new(method, Settings::default());
        let mut x = 1.5;
        for _ in 0..POINTS {
            x = optimizer.step(x, curve.slope(x), black_box(0.01));
        }
        x
    });
}

/// Whole descent steps as the simulation takes them (history, status checks and all).
#[divan::bench]
fn descent_advance(bencher: Bencher) {
    let curve = Curve::by_name("double-well").expect("double-well is built in");
    bencher.counter(ItemsCount::new(POINTS)).bench_local(|| {
        let mut run = Descent::new(curve, 1.5);
        for _ in 0..POINTS {
            run.advance(curve, black_box(0.001));
        }
        run.x
    });
}

/// Sampling a curve for drawing, as the view does when the curve or the window changes.
#[divan::bench(args = ["double-well", "ripples", "x^4 - 3x^2 + x"])]
fn curve_sampling(bencher: Bencher, curve: &str) {
    let curve = Curve::named_or_formula(curve).expect("a known curve");
    bencher
        .counter(ItemsCount::new(POINTS))
        .bench_local(|| curve.sample(black_box((-2.5, 2.5)), POINTS));
}
