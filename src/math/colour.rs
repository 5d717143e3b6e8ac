//! Colour arithmetic for the theme's tests: WCAG 2.1 contrast, colour-vision deficiency after Machado,
//! Oliveira and Fernandes (2009), and the CIEDE2000 colour difference (Sharma, Wu and Dalal 2005).

/// An sRGB colour with 8-bit channels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Srgb8(pub u8, pub u8, pub u8);

impl Srgb8 {
    fn channels(self) -> [f64; 3] {
        [self.0, self.1, self.2].map(|c| f64::from(c) / 255.0)
    }
}

/// One sRGB channel (0 to 1) in linear light, as WCAG 2.1 and the sRGB standard decode it.
fn to_linear(c: f64) -> f64 {
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// One linear channel back to sRGB's 0 to 1.
fn from_linear(l: f64) -> f64 {
    let l = l.clamp(0.0, 1.0);
    if l <= 0.003_130_8 {
        12.92 * l
    } else {
        1.055 * l.powf(1.0 / 2.4) - 0.055
    }
}

fn linear(c: Srgb8) -> [f64; 3] {
    c.channels().map(to_linear)
}

fn to_byte(v: f64) -> u8 {
    (v.clamp(0.0, 1.0) * 255.0).round() as u8
}

/// WCAG 2.1's relative luminance: 0 for black, 1 for white.
pub fn relative_luminance(c: Srgb8) -> f64 {
    let [r, g, b] = linear(c);
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// WCAG 2.1's contrast ratio of two colours, from 1 (the same) to 21 (black and white), either order.
pub fn contrast_ratio(a: Srgb8, b: Srgb8) -> f64 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg` drawn with opacity `alpha` (0 to 1) over `bg`, blended channel by channel in sRGB, as the window's
/// painter and web browsers blend.
pub fn over(fg: Srgb8, alpha: f64, bg: Srgb8) -> Srgb8 {
    let a = alpha.clamp(0.0, 1.0);
    let [f, b] = [fg.channels(), bg.channels()];
    Srgb8(
        to_byte(f[0] * a + b[0] * (1.0 - a)),
        to_byte(f[1] * a + b[1] * (1.0 - a)),
        to_byte(f[2] * a + b[2] * (1.0 - a)),
    )
}

/// The three dichromacies, each a kind of cone missing, as Machado, Oliveira and Fernandes (2009) model them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deficiency {
    /// No long-wavelength (red) cones.
    Protanopia,
    /// No medium-wavelength (green) cones, the commonest.
    Deuteranopia,
    /// No short-wavelength (blue) cones.
    Tritanopia,
}

impl Deficiency {
    /// The three, in the order a legend lists them.
    pub const ALL: [Deficiency; 3] = [
        Deficiency::Protanopia,
        Deficiency::Deuteranopia,
        Deficiency::Tritanopia,
    ];

    /// Machado, Oliveira and Fernandes (2009), "A Physiologically-based Model for Simulation of Color
    /// Vision Deficiency", IEEE TVCG 15(6): the matrices at severity 1.0, applied to linear RGB.
    fn matrix(self) -> [[f64; 3]; 3] {
        match self {
            Deficiency::Protanopia => [
                [0.152_286, 1.052_583, -0.204_868],
                [0.114_503, 0.786_281, 0.099_216],
                [-0.003_882, -0.048_116, 1.051_998],
            ],
            Deficiency::Deuteranopia => [
                [0.367_322, 0.860_646, -0.227_968],
                [0.280_085, 0.672_501, 0.047_413],
                [-0.011_820, 0.042_940, 0.968_881],
            ],
            Deficiency::Tritanopia => [
                [1.255_528, -0.076_749, -0.178_779],
                [-0.078_411, 0.930_809, 0.147_602],
                [0.004_733, 0.691_367, 0.303_900],
            ],
        }
    }
}

/// How `c` looks to someone with deficiency `d` at full severity, after Machado, Oliveira and Fernandes
/// (2009): to linear RGB, through their severity-1.0 matrix, clamped, and back to 8-bit sRGB.
pub fn simulate(c: Srgb8, d: Deficiency) -> Srgb8 {
    let l = linear(c);
    let m = d.matrix();
    let row = |r: [f64; 3]| to_byte(from_linear(r[0] * l[0] + r[1] * l[1] + r[2] * l[2]));
    Srgb8(row(m[0]), row(m[1]), row(m[2]))
}

/// A colour in CIE L*a*b* (D65).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lab {
    /// Lightness, 0 (black) to 100 (white).
    pub l: f64,
    /// Green (negative) to red (positive).
    pub a: f64,
    /// Blue (negative) to yellow (positive).
    pub b: f64,
}

/// `c` in CIE L*a*b*: sRGB to linear, to XYZ by the sRGB (D65) matrix, to Lab with D65's white.
pub fn lab(c: Srgb8) -> Lab {
    let [r, g, b] = linear(c);
    let x = 0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b;
    let y = 0.212_672_9 * r + 0.715_152_2 * g + 0.072_175_0 * b;
    let z = 0.019_333_9 * r + 0.119_192_0 * g + 0.950_304_1 * b;
    let (xn, yn, zn) = (0.950_47, 1.0, 1.088_83);
    let epsilon = 216.0 / 24_389.0;
    let kappa = 24_389.0 / 27.0;
    let f = |t: f64| {
        if t > epsilon {
            t.cbrt()
        } else {
            (kappa * t + 16.0) / 116.0
        }
    };
    let (fx, fy, fz) = (f(x / xn), f(y / yn), f(z / zn));
    Lab {
        l: 116.0 * fy - 16.0,
        a: 500.0 * (fx - fy),
        b: 200.0 * (fy - fz),
    }
}

/// The CIEDE2000 difference of two Lab colours (kL = kC = kH = 1), as Sharma, Wu and Dalal (2005) write it
/// out, hue edge cases included. About 1 is a just-noticeable difference.
pub fn ciede2000(x: Lab, y: Lab) -> f64 {
    use std::f64::consts::PI;
    let deg = |r: f64| r * 180.0 / PI;
    let rad = |d: f64| d * PI / 180.0;
    let c1 = x.a.hypot(x.b);
    let c2 = y.a.hypot(y.b);
    let c_bar = (c1 + c2) / 2.0;
    let c7 = c_bar.powi(7);
    let g = 0.5 * (1.0 - (c7 / (c7 + 25f64.powi(7))).sqrt());
    let a1 = (1.0 + g) * x.a;
    let a2 = (1.0 + g) * y.a;
    let c1p = a1.hypot(x.b);
    let c2p = a2.hypot(y.b);
    let hue = |b: f64, a: f64| {
        if b == 0.0 && a == 0.0 {
            0.0
        } else {
            let h = deg(b.atan2(a));
            if h < 0.0 { h + 360.0 } else { h }
        }
    };
    let h1p = hue(x.b, a1);
    let h2p = hue(y.b, a2);
    let dl = y.l - x.l;
    let dc = c2p - c1p;
    let dh = if c1p * c2p == 0.0 {
        0.0
    } else {
        let d = h2p - h1p;
        if d > 180.0 {
            d - 360.0
        } else if d < -180.0 {
            d + 360.0
        } else {
            d
        }
    };
    let dh_big = 2.0 * (c1p * c2p).sqrt() * rad(dh / 2.0).sin();
    let l_bar = (x.l + y.l) / 2.0;
    let cp_bar = (c1p + c2p) / 2.0;
    let hp_bar = if c1p * c2p == 0.0 {
        h1p + h2p
    } else if (h1p - h2p).abs() <= 180.0 {
        (h1p + h2p) / 2.0
    } else if h1p + h2p < 360.0 {
        (h1p + h2p + 360.0) / 2.0
    } else {
        (h1p + h2p - 360.0) / 2.0
    };
    let t = 1.0 - 0.17 * rad(hp_bar - 30.0).cos()
        + 0.24 * rad(2.0 * hp_bar).cos()
        + 0.32 * rad(3.0 * hp_bar + 6.0).cos()
        - 0.20 * rad(4.0 * hp_bar - 63.0).cos();
    let d_theta = 30.0 * (-((hp_bar - 275.0) / 25.0).powi(2)).exp();
    let cp7 = cp_bar.powi(7);
    let rc = 2.0 * (cp7 / (cp7 + 25f64.powi(7))).sqrt();
    let l50 = (l_bar - 50.0).powi(2);
    let sl = 1.0 + 0.015 * l50 / (20.0 + l50).sqrt();
    let sc = 1.0 + 0.045 * cp_bar;
    let sh = 1.0 + 0.015 * cp_bar * t;
    let rt = -rad(2.0 * d_theta).sin() * rc;
    let (tl, tc, th) = (dl / sl, dc / sc, dh_big / sh);
    (tl * tl + tc * tc + th * th + rt * tc * th).sqrt()
}

/// How far apart two sRGB colours look (CIEDE2000).
pub fn distance(a: Srgb8, b: Srgb8) -> f64 {
    ciede2000(lab(a), lab(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHITE: Srgb8 = Srgb8(255, 255, 255);
    const BLACK: Srgb8 = Srgb8(0, 0, 0);

    #[test]
    fn white_on_black_is_twenty_one_to_one() {
        assert!((contrast_ratio(WHITE, BLACK) - 21.0).abs() < 1e-9);
    }

    #[test]
    fn white_is_luminance_one_and_black_zero() {
        assert!((relative_luminance(WHITE) - 1.0).abs() < 1e-12);
        assert!(relative_luminance(BLACK).abs() < 1e-12);
    }

    #[test]
    fn contrast_does_not_care_which_colour_is_the_text() {
        let pairs = [
            (WHITE, BLACK),
            (Srgb8(0x77, 0x77, 0x77), WHITE),
            (Srgb8(200, 60, 40), Srgb8(20, 40, 90)),
        ];
        for (a, b) in pairs {
            assert_eq!(contrast_ratio(a, b), contrast_ratio(b, a), "{a:?} {b:?}");
        }
    }

    #[test]
    fn grey_777_on_white_is_the_well_known_four_point_four_eight() {
        // The standard example of a grey that just misses AA (4.5) for body text.
        let ratio = contrast_ratio(Srgb8(0x77, 0x77, 0x77), WHITE);
        assert!((ratio - 4.48).abs() < 0.01, "{ratio}");
    }

    #[test]
    fn half_black_over_white_is_mid_grey() {
        // 255 × 0.5 = 127.5, rounded to nearest.
        assert_eq!(over(BLACK, 0.5, WHITE), Srgb8(128, 128, 128));
        assert_eq!(over(Srgb8(10, 20, 30), 1.0, WHITE), Srgb8(10, 20, 30));
        assert_eq!(over(Srgb8(10, 20, 30), 0.0, WHITE), WHITE);
    }

    #[test]
    fn machado_keeps_white_black_and_greys() {
        for d in Deficiency::ALL {
            for row in d.matrix() {
                assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-3, "{d:?}");
            }
            assert_eq!(simulate(WHITE, d), WHITE, "{d:?}");
            assert_eq!(simulate(BLACK, d), BLACK, "{d:?}");
            let grey = simulate(Srgb8(128, 128, 128), d);
            for c in [grey.0, grey.1, grey.2] {
                assert!(c.abs_diff(128) <= 1, "{d:?}: {grey:?}");
            }
        }
    }

    #[test]
    fn pure_red_becomes_the_first_column_of_machados_matrix() {
        // Linear red is (1, 0, 0), so the matrix hands back its first column; worked by hand through the
        // sRGB encoding: 0.152286 -> 108.8, 0.114503 -> 95.0, 0.367322 -> 163.2, 0.280085 -> 144.3,
        // 0.004733 -> 14.9, and the negative entries clamp to 0.
        let red = Srgb8(255, 0, 0);
        assert_eq!(simulate(red, Deficiency::Protanopia), Srgb8(109, 95, 0));
        assert_eq!(simulate(red, Deficiency::Deuteranopia), Srgb8(163, 144, 0));
        assert_eq!(simulate(red, Deficiency::Tritanopia), Srgb8(255, 0, 15));
    }

    #[test]
    fn a_protanope_sees_red_darker_than_a_deuteranope() {
        // The protanope lacks the cones red excites most: red looks dark to them.
        let red = Srgb8(255, 0, 0);
        let protan = relative_luminance(simulate(red, Deficiency::Protanopia));
        let deutan = relative_luminance(simulate(red, Deficiency::Deuteranopia));
        assert!(protan < 0.6 * deutan, "{protan} against {deutan}");
    }

    #[test]
    fn red_and_green_fall_together_for_a_deuteranope() {
        let (red, green) = (Srgb8(200, 60, 40), Srgb8(90, 140, 40));
        let seen = distance(
            simulate(red, Deficiency::Deuteranopia),
            simulate(green, Deficiency::Deuteranopia),
        );
        assert!(distance(red, green) > 30.0);
        assert!(seen < 15.0, "{seen}");
    }

    #[test]
    fn lab_of_white_is_one_hundred_and_neutral() {
        let w = lab(WHITE);
        assert!((w.l - 100.0).abs() < 1e-3, "{w:?}");
        assert!(w.a.abs() < 1e-3 && w.b.abs() < 1e-3, "{w:?}");
    }

    #[test]
    fn lab_of_srgb_red_is_the_published_53_80_67() {
        let r = lab(Srgb8(255, 0, 0));
        assert!((r.l - 53.24).abs() < 0.05, "{r:?}");
        assert!((r.a - 80.09).abs() < 0.05, "{r:?}");
        assert!((r.b - 67.20).abs() < 0.05, "{r:?}");
    }

    /// Sharma, Wu and Dalal (2005), Table 1: all 34 pairs as L1, a1, b1, L2, a2, b2, ΔE00. Pairs 7 and 8
    /// have a colour of zero chroma; 9 to 24 sit either side of the hue wrap-around.
    const SHARMA_TABLE_ONE: [[f64; 7]; 34] = [
        [50.0, 2.6772, -79.7751, 50.0, 0.0, -82.7485, 2.0425],
        [50.0, 3.1571, -77.2803, 50.0, 0.0, -82.7485, 2.8615],
        [50.0, 2.8361, -74.0200, 50.0, 0.0, -82.7485, 3.4412],
        [50.0, -1.3802, -84.2814, 50.0, 0.0, -82.7485, 1.0000],
        [50.0, -1.1848, -84.8006, 50.0, 0.0, -82.7485, 1.0000],
        [50.0, -0.9009, -85.5211, 50.0, 0.0, -82.7485, 1.0000],
        [50.0, 0.0, 0.0, 50.0, -1.0, 2.0, 2.3669],
        [50.0, -1.0, 2.0, 50.0, 0.0, 0.0, 2.3669],
        [50.0, 2.4900, -0.0010, 50.0, -2.4900, 0.0009, 7.1792],
        [50.0, 2.4900, -0.0010, 50.0, -2.4900, 0.0010, 7.1792],
        [50.0, 2.4900, -0.0010, 50.0, -2.4900, 0.0011, 7.2195],
        [50.0, 2.4900, -0.0010, 50.0, -2.4900, 0.0012, 7.2195],
        [50.0, -0.0010, 2.4900, 50.0, 0.0009, -2.4900, 4.8045],
        [50.0, -0.0010, 2.4900, 50.0, 0.0010, -2.4900, 4.8045],
        [50.0, -0.0010, 2.4900, 50.0, 0.0011, -2.4900, 4.7461],
        [50.0, 2.5, 0.0, 50.0, 0.0, -2.5, 4.3065],
        [50.0, 2.5, 0.0, 73.0, 25.0, -18.0, 27.1492],
        [50.0, 2.5, 0.0, 61.0, -5.0, 29.0, 22.8977],
        [50.0, 2.5, 0.0, 56.0, -27.0, -3.0, 31.9030],
        [50.0, 2.5, 0.0, 58.0, 24.0, 15.0, 19.4535],
        [50.0, 2.5, 0.0, 50.0, 3.1736, 0.5854, 1.0000],
        [50.0, 2.5, 0.0, 50.0, 3.2972, 0.0, 1.0000],
        [50.0, 2.5, 0.0, 50.0, 1.8634, 0.5757, 1.0000],
        [50.0, 2.5, 0.0, 50.0, 3.2592, 0.3350, 1.0000],
        [
            60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644,
        ],
        [
            63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.2630,
        ],
        [61.2901, 3.7196, -5.3901, 61.4292, 2.2480, -4.9620, 1.8731],
        [35.0831, -44.1164, 3.7933, 35.0232, -40.0716, 1.5901, 1.8645],
        [
            22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373,
        ],
        [36.4612, 47.8580, 18.3852, 36.2715, 50.5065, 21.2231, 1.4146],
        [90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441],
        [90.9257, -0.5406, -0.9208, 88.6381, -0.8985, -0.7239, 1.5381],
        [6.7747, -0.2908, -2.4247, 5.8714, -0.0985, -2.2286, 0.6377],
        [2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082],
    ];

    fn pair([l1, a1, b1, l2, a2, b2, want]: [f64; 7]) -> (Lab, Lab, f64) {
        let x = Lab {
            l: l1,
            a: a1,
            b: b1,
        };
        let y = Lab {
            l: l2,
            a: a2,
            b: b2,
        };
        (x, y, want)
    }

    #[test]
    fn ciede2000_matches_all_34_pairs_of_sharma_wu_dalal_table_one() {
        for (n, p) in SHARMA_TABLE_ONE.into_iter().enumerate() {
            let (x, y, want) = pair(p);
            let got = ciede2000(x, y);
            // The table prints four decimals, so the true value is within half a unit of the last one.
            let number = n + 1;
            assert!(
                (got - want).abs() < 0.5e-4 + 1e-9,
                "pair {number}: {got}, want {want}"
            );
        }
    }

    #[test]
    fn ciede2000_is_symmetric() {
        for (n, p) in SHARMA_TABLE_ONE.into_iter().enumerate() {
            let (x, y, _) = pair(p);
            let number = n + 1;
            assert!(
                (ciede2000(x, y) - ciede2000(y, x)).abs() < 1e-9,
                "pair {number}"
            );
        }
    }

    #[test]
    fn a_colour_is_no_distance_from_itself() {
        for (x, _, _) in SHARMA_TABLE_ONE.into_iter().map(pair) {
            assert_eq!(ciede2000(x, x), 0.0, "{x:?}");
        }
        assert_eq!(distance(Srgb8(12, 200, 99), Srgb8(12, 200, 99)), 0.0);
    }
}
