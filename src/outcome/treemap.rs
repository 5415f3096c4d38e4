//! The hierarchy as nested rectangles (a squarified treemap): each site's
//! rectangle holds its children's and a share for its own measure (its own
//! budget or population), areas proportional to the measure. Geometry only:
//! the app draws it, and it knows nothing of how.

use crate::inventory::Inventory;

/// A rectangle: left, top, right, bottom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl Rect {
    /// Width.
    pub fn w(&self) -> f64 {
        self.x1 - self.x0
    }

    /// Height.
    pub fn h(&self) -> f64 {
        self.y1 - self.y0
    }

    /// Area.
    pub fn area(&self) -> f64 {
        self.w().max(0.0) * self.h().max(0.0)
    }

    /// True when `p` is inside (edges included).
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.y0 && y <= self.y1
    }
}

/// One rectangle of the treemap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    /// The site.
    pub site: usize,
    /// Its rectangle: the whole subtree's, or, for `own`, the part for the
    /// site's own measure beside its children's.
    pub rect: Rect,
    /// Depth in the hierarchy (0 for a top site).
    pub depth: u32,
    /// The rectangle of the site's own measure (not its subtree's).
    pub own: bool,
}

/// Rectangles still to lay out: the items (a site's subtree, or its own
/// share), the rectangle they fill, their depth.
type Pending = (Vec<(usize, bool)>, Rect, u32);

/// The treemap of `inv` in a `width` × `height` area, `own[i]` being site
/// i's own measure (≥ 0). Cells come parents first (a subtree's cell, then
/// its own share and its children's), down to `max_depth` and no smaller
/// than `min_side` on either side (smaller ones are left out; their area
/// stays in their parent's). Sites with nothing in their subtree get none.
pub fn layout(
    inv: &Inventory,
    own: &[f64],
    width: f64,
    height: f64,
    max_depth: u32,
    min_side: f64,
) -> Vec<Cell> {
    let n = inv.len().min(own.len());
    // Subtree totals: children come after parents in `parents_first`.
    let mut total: Vec<f64> = (0..n).map(|i| own[i].max(0.0)).collect();
    for &i in inv.parents_first().iter().rev() {
        let i = i as usize;
        if i < n
            && let Some(p) = inv.parent(i)
            && p < n
        {
            total[p] += total[i];
        }
    }
    let roots: Vec<usize> = (0..n)
        .filter(|&i| inv.parent(i).is_none() && total[i] > 0.0)
        .collect();
    let mut cells = Vec::new();
    let area = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: width.max(0.0),
        y1: height.max(0.0),
    };
    // Depth-first with an explicit stack (deep inventories).
    let mut stack: Vec<Pending> = vec![(roots.into_iter().map(|r| (r, false)).collect(), area, 0)];
    while let Some((items, rect, depth)) = stack.pop() {
        let weights: Vec<f64> = items
            .iter()
            .map(|&(s, own_share)| if own_share { own[s].max(0.0) } else { total[s] })
            .collect();
        for ((site, own_share), r) in items.iter().copied().zip(squarify(&weights, rect)) {
            if r.w() < min_side || r.h() < min_side {
                continue;
            }
            cells.push(Cell {
                site,
                rect: r,
                depth,
                own: own_share,
            });
            if own_share || depth >= max_depth {
                continue;
            }
            let children: Vec<(usize, bool)> = inv
                .children(site)
                .iter()
                .map(|&c| c as usize)
                .filter(|&c| c < n && total[c] > 0.0)
                .map(|c| (c, false))
                .collect();
            if children.is_empty() {
                continue;
            }
            let mut inner = children;
            if own[site] > 0.0 {
                inner.push((site, true));
            }
            stack.push((inner, r, depth + 1));
        }
    }
    cells
}

/// Rectangles for `weights` (any order) filling `rect`, each with an area
/// proportional to its weight, in the order given, laid out in rows that
/// keep them near square (Bruls, Huizing and van Wijk's squarified layout).
pub fn squarify(weights: &[f64], rect: Rect) -> Vec<Rect> {
    let sum: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    let mut out = vec![
        Rect {
            x0: rect.x0,
            y0: rect.y0,
            x1: rect.x0,
            y1: rect.y0,
        };
        weights.len()
    ];
    if sum <= 0.0 || rect.area() <= 0.0 {
        return out;
    }
    // Largest first, as the algorithm wants; areas in the rectangle's units.
    let scale = rect.area() / sum;
    let mut order: Vec<usize> = (0..weights.len()).filter(|&i| weights[i] > 0.0).collect();
    order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]));
    let mut free = rect;
    let mut row: Vec<usize> = Vec::new();
    let mut k = 0;
    while k < order.len() {
        let i = order[k];
        let side = free.w().min(free.h());
        let area =
            |idx: &[usize]| -> Vec<f64> { idx.iter().map(|&j| weights[j] * scale).collect() };
        let current = worst(&area(&row), side);
        let mut with = row.clone();
        with.push(i);
        if row.is_empty() || worst(&area(&with), side) <= current {
            row = with;
            k += 1;
        } else {
            free = place_row(&row, &area(&row), free, &mut out);
            row.clear();
        }
    }
    if !row.is_empty() {
        let areas: Vec<f64> = row.iter().map(|&j| weights[j] * scale).collect();
        place_row(&row, &areas, free, &mut out);
    }
    out
}

/// The worst aspect ratio of a row of `areas` along a side of `side`.
fn worst(areas: &[f64], side: f64) -> f64 {
    if areas.is_empty() || side <= 0.0 {
        return f64::INFINITY;
    }
    let s: f64 = areas.iter().sum();
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for &a in areas {
        lo = lo.min(a);
        hi = hi.max(a);
    }
    let s2 = s * s;
    let w2 = side * side;
    (w2 * hi / s2).max(s2 / (w2 * lo))
}

/// Lays a row along the shorter side of `free`; returns what is left.
fn place_row(row: &[usize], areas: &[f64], free: Rect, out: &mut [Rect]) -> Rect {
    let s: f64 = areas.iter().sum();
    if free.w() >= free.h() {
        // A column at the left, as wide as the row's area needs.
        let w = if free.h() > 0.0 { s / free.h() } else { 0.0 };
        let x1 = (free.x0 + w).min(free.x1);
        let mut y = free.y0;
        for (k, &i) in row.iter().enumerate() {
            let h = if w > 0.0 { areas[k] / w } else { 0.0 };
            let y1 = if k + 1 == row.len() { free.y1 } else { y + h };
            out[i] = Rect {
                x0: free.x0,
                y0: y,
                x1,
                y1,
            };
            y = y1;
        }
        Rect { x0: x1, ..free }
    } else {
        let h = if free.w() > 0.0 { s / free.w() } else { 0.0 };
        let y1 = (free.y0 + h).min(free.y1);
        let mut x = free.x0;
        for (k, &i) in row.iter().enumerate() {
            let w = if h > 0.0 { areas[k] / h } else { 0.0 };
            let x1 = if k + 1 == row.len() { free.x1 } else { x + w };
            out[i] = Rect {
                x0: x,
                y0: free.y0,
                x1,
                y1,
            };
            x = x1;
        }
        Rect { y0: y1, ..free }
    }
}

/// The top cell under `(x, y)`: the deepest one containing it.
pub fn cell_at(cells: &[Cell], x: f64, y: f64) -> Option<&Cell> {
    cells
        .iter()
        .filter(|c| c.rect.contains(x, y))
        .max_by_key(|c| (c.depth, c.own))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn overlap(a: &Rect, b: &Rect) -> f64 {
        let w = (a.x1.min(b.x1) - a.x0.max(b.x0)).max(0.0);
        let h = (a.y1.min(b.y1) - a.y0.max(b.y0)).max(0.0);
        w * h
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

        /// Squarified rectangles fill the area, each proportional to its
        /// weight, none overlapping another.
        #[test]
        fn areas_are_proportional_and_disjoint(weights in prop::collection::vec(0.0f64..1000.0, 1..40), w in 10.0f64..2000.0, h in 10.0f64..2000.0) {
            let rect = Rect { x0: 0.0, y0: 0.0, x1: w, y1: h };
            let rs = squarify(&weights, rect);
            let sum: f64 = weights.iter().sum();
            prop_assume!(sum > 1e-6);
            for (r, wt) in rs.iter().zip(&weights) {
                let want = wt / sum * w * h;
                prop_assert!((r.area() - want).abs() <= 1e-6 * w * h + 1e-6, "{} vs {}", r.area(), want);
                prop_assert!(r.x0 >= -1e-9 && r.y0 >= -1e-9 && r.x1 <= w + 1e-9 && r.y1 <= h + 1e-9);
            }
            for i in 0..rs.len() {
                for j in (i + 1)..rs.len() {
                    prop_assert!(overlap(&rs[i], &rs[j]) <= 1e-6 * w * h);
                }
            }
        }

        /// Over a generated inventory: children inside their parent,
        /// siblings apart, and each cell's area its subtree's share.
        #[test]
        fn nested_cells_sit_inside_their_parent(seed in 0u64..500) {
            let (inv, _) = Inventory::link(crate::generate::generate(300, seed));
            let own: Vec<f64> = inv.sites().iter().map(|s| s.budget.to_f64()).collect();
            let cells = layout(&inv, &own, 1200.0, 800.0, 8, 0.0);
            let whole: f64 = own.iter().sum();
            let by_site: std::collections::HashMap<(usize, bool), Rect> =
                cells.iter().map(|c| ((c.site, c.own), c.rect)).collect();
            let mut total = own.clone();
            for &i in inv.parents_first().iter().rev() {
                if let Some(p) = inv.parent(i as usize) { total[p] += total[i as usize]; }
            }
            for c in &cells {
                let share = if c.own { own[c.site] } else { total[c.site] };
                let want = share / whole * 1200.0 * 800.0;
                prop_assert!((c.rect.area() - want).abs() <= 1e-3 * want.max(1.0), "site {} {} vs {}", c.site, c.rect.area(), want);
                let container = if c.own { by_site.get(&(c.site, false)) } else { inv.parent(c.site).and_then(|p| by_site.get(&(p, false))) };
                if let Some(p) = container {
                    prop_assert!(c.rect.x0 >= p.x0 - 1e-6 && c.rect.x1 <= p.x1 + 1e-6 && c.rect.y0 >= p.y0 - 1e-6 && c.rect.y1 <= p.y1 + 1e-6);
                }
            }
        }
    }

    #[test]
    fn the_deepest_cell_is_found_under_a_point() {
        let (inv, _) = Inventory::link(crate::generate::generate(50, 3));
        let own = vec![1.0; inv.len()];
        let cells = layout(&inv, &own, 100.0, 100.0, 10, 0.0);
        let c = cell_at(&cells, 50.0, 50.0).expect("a cell");
        assert!(
            cells
                .iter()
                .all(|o| !o.rect.contains(50.0, 50.0) || o.depth <= c.depth)
        );
        assert!(cell_at(&cells, 500.0, 500.0).is_none());
    }
}
