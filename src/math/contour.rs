//! Contour lines of a function sampled on a grid (marching squares), for the loss landscape.

/// Samples of f over a rectangle: `values[j * columns + i]` is f at column i, row j.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub columns: usize,
    pub rows: usize,
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub values: Vec<f64>,
}

impl Grid {
    /// Samples `f` on `columns` x `rows` nodes spanning `x` and `y` (at least 2 each).
    pub fn sample(
        x: (f64, f64),
        y: (f64, f64),
        columns: usize,
        rows: usize,
        f: impl Fn(f64, f64) -> f64,
    ) -> Self {
        let (columns, rows) = (columns.max(2), rows.max(2));
        let mut values = Vec::with_capacity(columns * rows);
        for j in 0..rows {
            let yj = y.0 + (y.1 - y.0) * j as f64 / (rows - 1) as f64;
            for i in 0..columns {
                let xi = x.0 + (x.1 - x.0) * i as f64 / (columns - 1) as f64;
                values.push(f(xi, yj));
            }
        }
        Self {
            columns,
            rows,
            x,
            y,
            values,
        }
    }

    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.values[j * self.columns + i]
    }

    /// The plane point of a fractional grid position.
    pub fn point(&self, fi: f64, fj: f64) -> (f64, f64) {
        (
            self.x.0 + (self.x.1 - self.x.0) * fi / (self.columns - 1) as f64,
            self.y.0 + (self.y.1 - self.y.0) * fj / (self.rows - 1) as f64,
        )
    }

    /// The segments where f crosses `level`, as pairs of plane points.
    pub fn contour(&self, level: f64) -> Vec<[(f64, f64); 2]> {
        let mut segments = Vec::new();
        if !level.is_finite() {
            return segments;
        }
        for j in 0..self.rows - 1 {
            for i in 0..self.columns - 1 {
                let corners = [
                    self.at(i, j),
                    self.at(i + 1, j),
                    self.at(i + 1, j + 1),
                    self.at(i, j + 1),
                ];
                if corners.iter().any(|v| !v.is_finite()) {
                    continue;
                }
                // Where each edge (bottom, right, top, left) crosses the level, in grid units.
                let cross = |a: f64, b: f64| (level - a) / (b - a);
                let above = corners.map(|v| v > level);
                let (fi, fj) = (i as f64, j as f64);
                let mut edges: [Option<(f64, f64)>; 4] = [None; 4];
                if above[0] != above[1] {
                    edges[0] = Some((fi + cross(corners[0], corners[1]), fj));
                }
                if above[1] != above[2] {
                    edges[1] = Some((fi + 1.0, fj + cross(corners[1], corners[2])));
                }
                if above[3] != above[2] {
                    edges[2] = Some((fi + cross(corners[3], corners[2]), fj + 1.0));
                }
                if above[0] != above[3] {
                    edges[3] = Some((fi, fj + cross(corners[0], corners[3])));
                }
                let found: Vec<(usize, (f64, f64))> = edges
                    .iter()
                    .enumerate()
                    .filter_map(|(k, e)| e.map(|p| (k, p)))
                    .collect();
                let pairs: Vec<(usize, usize)> = match found.len() {
                    2 => vec![(found[0].0, found[1].0)],
                    4 => {
                        // A saddle: the centre decides which corners the level cuts off.
                        let centre = corners.iter().sum::<f64>() / 4.0;
                        if (centre > level) == above[0] {
                            vec![(0, 1), (2, 3)]
                        } else {
                            vec![(0, 3), (1, 2)]
                        }
                    }
                    _ => Vec::new(),
                };
                for (a, b) in pairs {
                    if let (Some(p), Some(q)) = (edges[a], edges[b]) {
                        segments.push([self.point(p.0, p.1), self.point(q.0, q.1)]);
                    }
                }
            }
        }
        segments
    }

    /// `count` levels spaced evenly in log(1 + f) between the grid's lowest and highest values.
    pub fn levels(&self, count: usize) -> Vec<f64> {
        let finite = self.values.iter().copied().filter(|v| v.is_finite());
        let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if !(lo.is_finite() && hi.is_finite()) || hi <= lo || lo < 0.0 {
            return Vec::new();
        }
        let (a, b) = ((1.0 + lo).ln(), (1.0 + hi).ln());
        (1..=count)
            .map(|k| (a + (b - a) * k as f64 / (count + 1) as f64).exp() - 1.0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contours_of_a_bowl_are_circles_wherever_the_view_is() {
        let bowl = |x: f64, y: f64| x * x + y * y;
        for (x, y) in [
            ((-2.0, 2.0), (-2.0, 2.0)),
            ((-0.5, 3.0), (-1.7, 1.1)),
            ((0.9, 1.1), (-0.1, 0.1)),
        ] {
            let grid = Grid::sample(x, y, 80, 80, bowl);
            let cell = ((x.1 - x.0) / 79.0f64).max((y.1 - y.0) / 79.0);
            for level in [1.0, 0.25, 1.0 + 1e-3] {
                let segments = grid.contour(level);
                for [p, q] in &segments {
                    for (px, py) in [p, q] {
                        // Linear interpolation between nodes is off by at most about a cell squared.
                        assert!(
                            (bowl(*px, *py) - level).abs() <= 4.0 * cell * cell + 1e-12,
                            "{level} at ({px}, {py}) in view {x:?} {y:?}"
                        );
                    }
                }
            }
        }
        let whole = Grid::sample((-2.0, 2.0), (-2.0, 2.0), 80, 80, bowl);
        let circle = whole.contour(1.0);
        assert!(
            circle.len() > 100,
            "a closed ring of segments: {}",
            circle.len()
        );
    }

    #[test]
    fn levels_are_inside_the_range_and_rising() {
        let grid = Grid::sample((0.0, 1.0), (0.0, 1.0), 10, 10, |x, y| 100.0 * x + y);
        let levels = grid.levels(6);
        assert_eq!(levels.len(), 6);
        assert!(levels.windows(2).all(|w| w[0] < w[1]));
        assert!(levels[0] > 0.0 && levels[5] < 101.0);
    }
}
