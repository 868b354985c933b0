//! Runs bigger than one process: a cohort split into `count` shards, each a
//! contiguous range of contact numbers that any machine can simulate alone
//! (every draw is keyed by the contact's number, never by what ran before).
//! Their [`Partial`]s merge, in any order, into exactly the result of one
//! run; [`Simulation::merge`] checks they fit the run before it finishes.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{Partial, Simulation, SimulationResult};

/// Shard `index` (from 0) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// The contact numbers of this shard in a cohort of `size`: an even
    /// split, the larger shards last when it cannot be exact.
    pub fn range(self, size: usize) -> Range<usize> {
        let at = |index: u32| (size as u128 * u128::from(index) / u128::from(self.count.max(1))) as usize;
        at(self.index)..at(self.index + 1)
    }
}

impl Simulation {
    /// The result of a run from the partials of all its shards, in any
    /// order; `None` if one of them does not count a run of this simulation.
    pub fn merge(&self, partials: impl IntoIterator<Item = Partial>) -> Option<SimulationResult> {
        let mut total = self.empty();
        for partial in partials {
            if !partial.fits(&self.plan) {
                return None;
            }
            total.merge(partial);
        }
        Some(self.finish(total))
    }
}

/// Several cores of one machine (natively; in the browser the page's pool of
/// workers does the same with shards).
#[cfg(not(target_arch = "wasm32"))]
impl Simulation {
    /// Counts contacts `range` on `threads` threads, one contiguous part each,
    /// every part in chunks so memory stays flat; the parts merge into
    /// exactly what one thread would count.
    pub fn count_in_parallel(&self, range: Range<usize>, threads: usize) -> Partial {
        let threads = threads.clamp(1, range.len().max(1));
        std::thread::scope(|scope| {
            let parts: Vec<_> = (0..threads)
                .map(|index| {
                    let part = Shard { index: index as u32, count: threads as u32 }.range(range.len());
                    let part = range.start + part.start..range.start + part.end;
                    scope.spawn(move || self.count_in_chunks(part))
                })
                .collect();
            let mut tally = self.empty();
            for part in parts {
                tally.merge(part.join().expect("a simulation thread does not panic"));
            }
            tally
        })
    }

    fn count_in_chunks(&self, range: Range<usize>) -> Partial {
        let mut tally = self.empty();
        for start in range.clone().step_by(super::DEFAULT_CHUNK) {
            tally.merge(self.run_chunk(start..(start + super::DEFAULT_CHUNK).min(range.end)));
        }
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_the_cohort_once_in_order() {
        for (size, count) in [(1, 1), (10, 3), (2_000, 7), (5, 7)] {
            let ranges: Vec<Range<usize>> = (0..count).map(|index| Shard { index, count }.range(size)).collect();
            assert_eq!(ranges[0].start, 0);
            assert_eq!(ranges.last().unwrap().end, size);
            assert!(ranges.windows(2).all(|pair| pair[0].end == pair[1].start), "{ranges:?}");
        }
    }

    #[test]
    fn shards_merged_in_any_order_equal_one_run() {
        let simulation = super::super::golden();
        let whole = simulation.run();
        for count in [1, 2, 7] {
            let mut partials: Vec<Partial> =
                (0..count).map(|index| simulation.run_chunk(Shard { index, count }.range(simulation.size()))).collect();
            partials.reverse();
            let text: Vec<String> = partials.iter().map(|partial| serde_json::to_string(partial).unwrap()).collect();
            let read = text.iter().map(|text| serde_json::from_str::<Partial>(text).unwrap());
            assert_eq!(simulation.merge(read).unwrap(), whole, "{count} shards");
        }
    }

    #[test]
    fn any_number_of_threads_counts_exactly_one_run() {
        let simulation = super::super::golden();
        let whole = simulation.run();
        for threads in [1, 2, 3, 7] {
            let tally = simulation.count_in_parallel(0..simulation.size(), threads);
            assert_eq!(simulation.finish(tally), whole, "{threads} threads");
        }
    }
}
