//! Which sites are selected, and which one the detail panel shows.

use std::collections::BTreeSet;

/// The selection.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    /// Selected site indices.
    pub sites: BTreeSet<usize>,
    /// The last clicked site (detail panel, Shift-click anchor).
    pub focus: Option<usize>,
}

impl Selection {
    /// True when `site` is selected.
    pub fn contains(&self, site: usize) -> bool {
        self.sites.contains(&site)
    }

    /// True when nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty()
    }

    /// How many sites are selected.
    pub fn len(&self) -> usize {
        self.sites.len()
    }

    /// Only `site`.
    pub fn replace(&mut self, site: usize) {
        self.sites.clear();
        self.sites.insert(site);
        self.focus = Some(site);
    }

    /// Adds or removes `site`.
    pub fn toggle(&mut self, site: usize) {
        if !self.sites.remove(&site) {
            self.sites.insert(site);
        }
        self.focus = Some(site);
    }

    /// Selects the run of `shown` between the focus and `site`.
    pub fn range(&mut self, site: usize, shown: &[usize]) {
        let anchor = self.focus.unwrap_or(site);
        let a = shown.iter().position(|&s| s == anchor);
        let b = shown.iter().position(|&s| s == site);
        match (a, b) {
            (Some(a), Some(b)) => {
                let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                self.sites.extend(shown[lo..=hi].iter().copied());
            }
            _ => {
                self.sites.insert(site);
            }
        }
        // The anchor stays where the run started.
        if self.focus.is_none() {
            self.focus = Some(site);
        }
    }

    /// Clears everything.
    pub fn clear(&mut self) {
        self.sites.clear();
        self.focus = None;
    }

    /// The selected sites, in index order.
    pub fn to_vec(&self) -> Vec<usize> {
        self.sites.iter().copied().collect()
    }
}
