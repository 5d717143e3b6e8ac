//! A small fixed sequence of numbers for tests that vary their inputs the same way on every run.

/// The next number in [0, 1) from `seed`, so every run of a test makes the same choices.
pub fn sequence(seed: &mut u64) -> f32 {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    (*seed >> 40) as f32 / (1u64 << 24) as f32
}
