//! Cutting a sampled curve to the band of y values the view shows, so nothing is drawn off the plot.

/// The pieces of the polyline `points` that lie inside `lo <= y <= hi`, each ending exactly on the band's
/// edge where the curve leaves it. Points with a non-finite y break the line.
pub fn clip_to_band(points: &[(f64, f64)], lo: f64, hi: f64) -> Vec<Vec<(f64, f64)>> {
    let inside = |y: f64| y.is_finite() && (lo..=hi).contains(&y);
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for pair in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        if !(y0.is_finite() && y1.is_finite()) {
            if current.len() > 1 {
                pieces.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        // Clip the segment to the band (Liang-Barsky in y only).
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        let dy = y1 - y0;
        if dy == 0.0 {
            if !inside(y0) {
                t0 = 1.0;
                t1 = 0.0;
            }
        } else {
            let ta = (lo - y0) / dy;
            let tb = (hi - y0) / dy;
            t0 = t0.max(ta.min(tb));
            t1 = t1.min(ta.max(tb));
        }
        if t0 > t1 {
            if current.len() > 1 {
                pieces.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        let at = |t: f64| {
            if t == 0.0 {
                (x0, y0)
            } else if t == 1.0 {
                (x1, y1)
            } else {
                (x0 + (x1 - x0) * t, (y0 + dy * t).clamp(lo, hi))
            }
        };
        let (start, end) = (at(t0), at(t1));
        if current.last() != Some(&start) {
            if current.len() > 1 {
                pieces.push(std::mem::take(&mut current));
            }
            current.clear();
            current.push(start);
        }
        current.push(end);
        if t1 < 1.0 {
            pieces.push(std::mem::take(&mut current));
        }
    }
    if current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_inside_the_band_stays_whole() {
        let points = [(0.0, 0.0), (1.0, 1.0), (2.0, 0.5)];
        assert_eq!(clip_to_band(&points, -1.0, 2.0), vec![points.to_vec()]);
    }

    #[test]
    fn a_curve_leaving_the_band_ends_on_its_edge() {
        // y = x^2 sampled at -3..3 and cut at y = 4: two outer pieces vanish, the middle ends at x = +-2.
        let points: Vec<(f64, f64)> = (-3..=3).map(|i| (i as f64, (i * i) as f64)).collect();
        let pieces = clip_to_band(&points, -1.0, 4.0);
        assert_eq!(pieces.len(), 1);
        let piece = &pieces[0];
        assert_eq!(piece.first(), Some(&(-2.0, 4.0)));
        assert_eq!(piece.last(), Some(&(2.0, 4.0)));
        assert!(piece.iter().all(|&(_, y)| (-1.0..=4.0).contains(&y)));
    }

    #[test]
    fn a_curve_that_dips_out_and_back_makes_two_pieces() {
        let points = [(0.0, 1.0), (1.0, 3.0), (2.0, 1.0)];
        let pieces = clip_to_band(&points, 0.0, 2.0);
        assert_eq!(
            pieces,
            vec![vec![(0.0, 1.0), (0.5, 2.0)], vec![(1.5, 2.0), (2.0, 1.0)]]
        );
    }

    #[test]
    fn non_finite_values_break_the_line() {
        let points = [(0.0, 0.0), (1.0, f64::NAN), (2.0, 0.0), (3.0, 0.5)];
        assert_eq!(
            clip_to_band(&points, -1.0, 1.0),
            vec![vec![(2.0, 0.0), (3.0, 0.5)]]
        );
    }
}
