//! Passes over every site split across the cores: a large inventory's
//! linking, resolution and model columns are worked out in contiguous
//! parts, one thread each, and put together in site order, so the result
//! is the same as one thread's.

use std::ops::Range;

/// Passes over fewer items than this stay on the calling thread (starting
/// threads costs more than the work).
pub(crate) const PARALLEL_FROM: usize = 50_000;

/// The threads a pass over `n` items uses: 1 under [`PARALLEL_FROM`],
/// else the cores available (at most 8).
pub(crate) fn threads_for(n: usize) -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    if n < PARALLEL_FROM {
        return 1;
    }
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |c| c.get().min(8)))
}

/// `0..n` cut into `parts` contiguous ranges (fewer when `n` is small;
/// one, possibly empty, when `n` is 0).
pub(crate) fn ranges(n: usize, parts: usize) -> Vec<Range<usize>> {
    let parts = parts.clamp(1, n.max(1));
    let size = n.div_ceil(parts);
    (0..parts)
        .map(|k| (k * size).min(n)..((k + 1) * size).min(n))
        .filter(|r| !r.is_empty() || n == 0)
        .collect()
}

/// `f` of each of `threads` contiguous ranges of `0..n`, run on their own
/// threads (the first on the calling one), in range order. A panic in
/// one of them is passed on.
pub(crate) fn map_ranges<T: Send>(
    n: usize,
    threads: usize,
    f: impl Fn(Range<usize>) -> T + Sync,
) -> Vec<T> {
    let mut parts = ranges(n, threads);
    if parts.len() < 2 {
        return parts.into_iter().map(f).collect();
    }
    let first = parts.remove(0);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|r| scope.spawn(move || f(r)))
            .collect();
        let mut out = Vec::with_capacity(handles.len() + 1);
        out.push(f(first));
        for h in handles {
            out.push(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        out
    })
}

/// `f(start, part)` of `threads` contiguous parts of `items` (`start` the
/// index of the part's first item), each on its own thread (the first on
/// the calling one), in part order. A panic in one of them is passed on.
pub(crate) fn map_parts<T: Send, R: Send>(
    items: &mut [T],
    threads: usize,
    f: impl Fn(usize, &mut [T]) -> R + Sync,
) -> Vec<R> {
    let n = items.len();
    let size = n.div_ceil(threads.clamp(1, n.max(1))).max(1);
    if threads < 2 || n <= size {
        return vec![f(0, items)];
    }
    let f = &f;
    std::thread::scope(|scope| {
        let mut parts = items.chunks_mut(size).enumerate();
        let first = parts.next();
        let handles: Vec<_> = parts
            .map(|(k, part)| scope.spawn(move || f(k * size, part)))
            .collect();
        let mut out = Vec::with_capacity(handles.len() + 1);
        if let Some((_, part)) = first {
            out.push(f(0, part));
        }
        for h in handles {
            out.push(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        out
    })
}

/// The values of `f` for every index of `0..n`, worked out in parallel
/// parts, in index order.
pub(crate) fn collect<T: Send + Clone + Default>(
    n: usize,
    threads: usize,
    f: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    let mut out = vec![T::default(); n];
    map_parts(&mut out, threads, |start, part| {
        for (k, slot) in part.iter_mut().enumerate() {
            *slot = f(start + k);
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_every_index_once_in_order() {
        for n in [0usize, 1, 2, 3, 7, 100, 101] {
            for parts in 1..6 {
                let rs = ranges(n, parts);
                let all: Vec<usize> = rs.iter().flat_map(|r| r.clone()).collect();
                assert_eq!(all, (0..n).collect::<Vec<_>>(), "n {n} parts {parts}");
                assert!(rs.len() <= parts.max(1));
            }
        }
    }

    #[test]
    fn parts_and_maps_agree_with_one_thread() {
        for n in [0usize, 1, 5, 1000] {
            for threads in 1..5 {
                let v = collect(n, threads, |i| i * 3);
                assert_eq!(v, (0..n).map(|i| i * 3).collect::<Vec<_>>());
                let sums = map_ranges(n, threads, |r| r.sum::<usize>());
                assert_eq!(sums.iter().sum::<usize>(), (0..n).sum::<usize>());
                let mut items = vec![0usize; n];
                let starts = map_parts(&mut items, threads, |start, part| {
                    for (k, x) in part.iter_mut().enumerate() {
                        *x = start + k;
                    }
                    start
                });
                assert_eq!(items, (0..n).collect::<Vec<_>>());
                // One result a part, in part order.
                assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
                assert_eq!(starts.first(), Some(&0));
            }
        }
    }
}
