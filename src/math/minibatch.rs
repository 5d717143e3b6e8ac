//! Minibatch descent's randomness: our own generator, the batch each step uses, and a noisy line to fit.
//!
//! The generator is SplitMix64, written out here rather than taken from a library: the same seed has to
//! replay the same run on every platform and in every later version of downhill (a seed in a link, a
//! screenshot or a worksheet must still mean the same batches), and a library generator promises neither.
//! The noise is made without `exp`, `ln` or `sqrt`, whose last bit may differ between platforms, so the
//! noisy points are the same numbers everywhere too.

use super::regression::Point;

/// SplitMix64 (Steele, Lea and Flood 2014; Vigna's reference code): a 64-bit counter stepped by the golden
/// ratio and mixed. Fast, every seed is fine, and its numbers are fixed by this code alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in [0, 1) from the top 53 bits, every value a multiple of 2^-53.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A whole number in 0..n, every one equally likely (Lemire's multiply-and-reject); 0 when n is 0.
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        if n == 0 {
            return 0;
        }
        // The low part of x * n falls below this for the few x that would make some answers likelier.
        let reject_below = n.wrapping_neg() % n;
        loop {
            let wide = u128::from(self.next_u64()) * u128::from(n);
            if wide as u64 >= reject_below {
                return (wide >> 64) as usize;
            }
        }
    }
}

/// `k` different indices of 0..n, drawn by a partial Fisher–Yates shuffle and then sorted, so a batch's sum
/// runs over its points in the data's own order. When `k >= n` the batch is every point, 0..n, and nothing
/// is drawn: a batch of all the points is plain descent, number for number.
pub fn pick_batch(rng: &mut SplitMix64, n: usize, k: usize) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..n).collect();
    if k >= n {
        return indices;
    }
    for i in 0..k {
        let j = i + rng.below(n - i);
        indices.swap(i, j);
    }
    indices.truncate(k);
    indices.sort_unstable();
    indices
}

/// The line the noisy points scatter about: y = 1 x + 0.5. Its least-squares fit sits well inside the
/// landscape's first view (w from -1 to 3, b from -2 to 3).
pub const NOISY_LINE: (f64, f64) = (1.0, 0.5);
/// The x range the noisy points spread over: inside the data plot's x from -1 to 5, and narrow enough that
/// at the panel's first learning rate, 0.05, a step on any single point is stable by itself.
pub const NOISY_X: (f64, f64) = (0.0, 4.0);
/// The noise's standard deviation, in y.
pub const NOISY_SIGMA: f64 = 0.6;
/// The noise is cut at this many standard deviations, so every point stays on the data plot (y from -2
/// to 7).
pub const NOISY_CUT: f64 = 3.0;
/// How many noisy points the scene's button gives.
pub const NOISY_POINTS: usize = 100;

/// Added to the seed for the points' own stream, so which points a batch picks (drawn from the seed
/// itself) has nothing to do with where the points lie.
const POINTS_STREAM: u64 = 0x6A09_E667_F3BC_C909;

/// `count` points along [`NOISY_LINE`]: x uniform over [`NOISY_X`], y on the line plus noise. The noise is
/// the Irwin–Hall sum of twelve uniforms less 6 (mean 0, variance 1, close to a normal curve), cut at
/// [`NOISY_CUT`] and times [`NOISY_SIGMA`]: only additions and multiplications, the same on every machine.
pub fn noisy_line(seed: u64, count: usize) -> Vec<Point> {
    let mut rng = SplitMix64::new(seed.wrapping_add(POINTS_STREAM));
    let (w, b) = NOISY_LINE;
    (0..count)
        .map(|_| {
            let x = NOISY_X.0 + (NOISY_X.1 - NOISY_X.0) * rng.next_f64();
            let sum: f64 = (0..12).map(|_| rng.next_f64()).sum();
            let noise = (sum - 6.0).clamp(-NOISY_CUT, NOISY_CUT);
            Point {
                x,
                y: w * x + b + NOISY_SIGMA * noise,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_gives_the_reference_splitmix64_numbers() {
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        let mut rng = SplitMix64::new(1_234_567);
        let first: Vec<u64> = (0..5).map(|_| rng.next_u64()).collect();
        assert_eq!(
            first,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423,
                4_593_380_528_125_082_431,
                16_408_922_859_458_223_821,
            ]
        );
    }

    #[test]
    fn uniform_numbers_lie_in_zero_to_one_and_average_a_half() {
        let mut rng = SplitMix64::new(3);
        let draws: Vec<f64> = (0..100_000).map(|_| rng.next_f64()).collect();
        assert!(draws.iter().all(|u| (0.0..1.0).contains(u)));
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!((mean - 0.5).abs() < 0.01, "{mean}");
    }

    #[test]
    fn below_n_gives_every_whole_number_under_n_about_equally_often() {
        let mut rng = SplitMix64::new(11);
        let mut counts = [0u32; 7];
        for _ in 0..70_000 {
            counts[rng.below(7)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_000..11_000).contains(&c)),
            "{counts:?}"
        );
        assert_eq!(rng.below(1), 0);
        assert_eq!(rng.below(0), 0);
    }

    #[test]
    fn a_batch_is_k_distinct_points_in_order() {
        let mut rng = SplitMix64::new(42);
        for n in 1..30 {
            for k in 1..=n {
                for _ in 0..5 {
                    let batch = pick_batch(&mut rng, n, k);
                    assert_eq!(batch.len(), k, "n {n} k {k}");
                    assert!(batch.windows(2).all(|w| w[0] < w[1]), "{batch:?}");
                    assert!(batch.iter().all(|&i| i < n), "{batch:?}");
                }
            }
        }
    }

    #[test]
    fn a_batch_of_every_point_draws_nothing() {
        for k in [5, 6, 100] {
            let mut rng = SplitMix64::new(9);
            assert_eq!(pick_batch(&mut rng, 5, k), vec![0, 1, 2, 3, 4]);
            assert_eq!(rng, SplitMix64::new(9), "k {k}: the generator did not move");
        }
    }

    #[test]
    fn every_point_is_picked_about_equally_often() {
        let mut rng = SplitMix64::new(5);
        let mut counts = [0u32; 10];
        for _ in 0..20_000 {
            for i in pick_batch(&mut rng, 10, 3) {
                counts[i] += 1;
            }
        }
        // 60,000 picks over 10 points.
        assert!(
            counts.iter().all(|&c| (5_600..6_400).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn different_seeds_give_different_batches() {
        let batches = |seed: u64| {
            let mut rng = SplitMix64::new(seed);
            (0..20)
                .map(|_| pick_batch(&mut rng, 100, 5))
                .collect::<Vec<_>>()
        };
        assert_eq!(batches(1), batches(1));
        assert_ne!(batches(1), batches(2));
        assert_ne!(batches(2), batches(3));
    }

    #[test]
    fn a_seed_gives_the_same_batches_in_every_version() {
        // Pinned: a run saved with a seed must replay the same way after any change to this file.
        let mut rng = SplitMix64::new(1);
        let batches: Vec<Vec<usize>> = (0..3).map(|_| pick_batch(&mut rng, 10, 3)).collect();
        assert_eq!(batches, PINNED_BATCHES);
        let first = noisy_line(1, 1)[0];
        assert_eq!(
            (first.x.to_bits(), first.y.to_bits()),
            PINNED_FIRST_POINT,
            "{first:?}"
        );
    }

    const PINNED_BATCHES: [[usize; 3]; 3] = [[5, 7, 9], [0, 4, 8], [4, 5, 8]];
    const PINNED_FIRST_POINT: (u64, u64) = (4_599_850_694_047_616_168, 4_606_377_065_413_462_010);

    #[test]
    fn the_noisy_line_is_the_same_for_a_seed_and_fits_near_its_line() {
        let points = noisy_line(1, NOISY_POINTS);
        assert_eq!(points.len(), NOISY_POINTS);
        let again = noisy_line(1, NOISY_POINTS);
        assert!(
            points
                .iter()
                .zip(&again)
                .all(|(p, q)| p.x.to_bits() == q.x.to_bits() && p.y.to_bits() == q.y.to_bits())
        );
        assert_ne!(points, noisy_line(2, NOISY_POINTS));
        for seed in 0..20 {
            let points = noisy_line(seed, NOISY_POINTS);
            let (w, b) = crate::math::regression::least_squares(&points).unwrap();
            // Standard errors for 100 points with x over 0..4 and sigma 0.6: 0.05 in w, 0.12 in b.
            assert!(
                (w - NOISY_LINE.0).abs() < 0.2 && (b - NOISY_LINE.1).abs() < 0.4,
                "seed {seed}: ({w}, {b})"
            );
            for p in &points {
                let off = p.y - (NOISY_LINE.0 * p.x + NOISY_LINE.1);
                assert!((NOISY_X.0..NOISY_X.1).contains(&p.x), "{p:?}");
                assert!(off.abs() <= NOISY_CUT * NOISY_SIGMA + 1e-12, "{p:?}");
            }
        }
    }

    #[test]
    fn the_noise_has_the_spread_it_is_said_to_have() {
        let points = noisy_line(7, 20_000);
        let offs: Vec<f64> = points
            .iter()
            .map(|p| p.y - (NOISY_LINE.0 * p.x + NOISY_LINE.1))
            .collect();
        let n = offs.len() as f64;
        let mean = offs.iter().sum::<f64>() / n;
        let sd = (offs.iter().map(|o| (o - mean) * (o - mean)).sum::<f64>() / n).sqrt();
        assert!(mean.abs() < 0.02, "{mean}");
        assert!((sd - NOISY_SIGMA).abs() < 0.02, "{sd}");
    }
}
