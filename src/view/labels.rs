//! Where labels go: each label tries its places in order and takes the first that stays inside its bounds
//! and clear of every label and box placed before it, so names never sit on tick numbers, keys or each other.

use bevy::math::{Rect, Vec2};

/// Which point of a label's box sits at its anchor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Anchor {
    LeftTop,
    CenterTop,
    RightTop,
    LeftCenter,
    RightCenter,
    CenterCenter,
    LeftBottom,
    CenterBottom,
    RightBottom,
}

impl Anchor {
    /// The box of a label of `size` anchored at `at`.
    pub fn rect(self, at: Vec2, size: Vec2) -> Rect {
        let (fx, fy) = match self {
            Anchor::LeftTop => (0.0, 0.0),
            Anchor::CenterTop => (0.5, 0.0),
            Anchor::RightTop => (1.0, 0.0),
            Anchor::LeftCenter => (0.0, 0.5),
            Anchor::CenterCenter => (0.5, 0.5),
            Anchor::RightCenter => (1.0, 0.5),
            Anchor::LeftBottom => (0.0, 1.0),
            Anchor::CenterBottom => (0.5, 1.0),
            Anchor::RightBottom => (1.0, 1.0),
        };
        let min = at - Vec2::new(size.x * fx, size.y * fy);
        Rect::from_corners(min, min + size)
    }
}

/// Clear space kept around every placed label, in logical pixels.
const GAP: f32 = 3.0;

/// The labels placed so far in one picture.
#[derive(Clone, Debug, Default)]
pub struct LabelPlacer {
    bounds: Option<Rect>,
    taken: Vec<Rect>,
}

impl LabelPlacer {
    /// A placer whose labels must stay inside `bounds`.
    pub fn within(bounds: Rect) -> Self {
        Self {
            bounds: Some(bounds),
            taken: Vec::new(),
        }
    }

    /// Marks a box (a key, a tick number, the ball) that later labels must keep clear of.
    pub fn reserve(&mut self, rect: Rect) {
        self.taken.push(rect);
    }

    /// True when `rect` is inside the bounds and clear of everything placed or reserved.
    pub fn is_free(&self, rect: Rect) -> bool {
        let inside = self.bounds.is_none_or(|b| {
            rect.min.x >= b.min.x
                && rect.min.y >= b.min.y
                && rect.max.x <= b.max.x
                && rect.max.y <= b.max.y
        });
        let padded = rect.inflate(GAP);
        inside && self.taken.iter().all(|t| t.intersect(padded).is_empty())
    }

    /// Places a label of `size` at the first of `places` that is free, reserving it; `None` when none is
    /// (the caller then leaves the label out rather than draw it over something).
    pub fn place(&mut self, size: Vec2, places: &[(Vec2, Anchor)]) -> Option<Rect> {
        let found = places
            .iter()
            .map(|&(at, anchor)| anchor.rect(at, size))
            .find(|&rect| self.is_free(rect))?;
        self.taken.push(found);
        Some(found)
    }

    /// The boxes placed and reserved so far.
    pub fn taken(&self) -> &[Rect] {
        &self.taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_takes_the_first_place_that_is_clear_and_inside() {
        let mut placer = LabelPlacer::within(Rect::new(0.0, 0.0, 200.0, 100.0));
        placer.reserve(Rect::new(40.0, 40.0, 80.0, 60.0));
        let size = Vec2::new(30.0, 10.0);
        let places = [
            // On top of the reserved box, then off the right edge, then clear.
            (Vec2::new(50.0, 45.0), Anchor::LeftTop),
            (Vec2::new(190.0, 10.0), Anchor::LeftTop),
            (Vec2::new(100.0, 10.0), Anchor::LeftTop),
        ];
        let rect = placer.place(size, &places).unwrap();
        assert_eq!(rect.min, Vec2::new(100.0, 10.0));
        // The same place is now taken; nothing else fits among these.
        assert_eq!(placer.place(size, &places[2..]), None);
    }

    #[test]
    fn placed_labels_never_overlap_each_other() {
        let mut placer = LabelPlacer::within(Rect::new(0.0, 0.0, 300.0, 300.0));
        let size = Vec2::new(40.0, 12.0);
        for i in 0..40 {
            let at = Vec2::new(100.0 + (i % 3) as f32, 100.0 + (i % 5) as f32);
            let places = [
                (at, Anchor::LeftTop),
                (at, Anchor::RightTop),
                (at, Anchor::LeftBottom),
                (at, Anchor::RightBottom),
                (at + Vec2::new(0.0, 20.0), Anchor::CenterTop),
                (at - Vec2::new(0.0, 20.0), Anchor::CenterBottom),
            ];
            placer.place(size, &places);
        }
        let taken = placer.taken();
        for (i, a) in taken.iter().enumerate() {
            for b in &taken[i + 1..] {
                assert!(a.intersect(*b).is_empty(), "{a:?} overlaps {b:?}");
            }
        }
    }
}
