//! Keyed randomness, so that simulations are reproducible and comparable.
//!
//! Every random decision in Tandem is a pure function of a [`Key`]: the
//! run's seed, the contact's index, the stable id of the step or touchpoint
//! the decision concerns, and the kind of decision. Nothing depends on the
//! order decisions are made in, so results are the same in one run or in
//! chunks, natively or in WebAssembly; and an edit to one touchpoint leaves
//! every decision about anything else exactly as it was (common random
//! numbers), so a baseline-versus-edit delta shows the edit's effect.
//!
//! The generator is a counter-based hash: the key's four words and a draw
//! counter are folded through the SplitMix64 finaliser (Steele, Lea and
//! Flood, 2014), whose output passes the statistical checks below. It uses
//! only integer arithmetic; normal and exponential draws come from
//! [`ziggurat`] tables, and what logarithms and powers remain (rare
//! rejection paths, Beta shapes below 1) from the pure-Rust `libm` rather
//! than the platform's maths library, so draws are bit-identical on every
//! platform.
//!
//! A decision that needs one number draws it from its own stream, or, when
//! many such decisions are made together (a contact's attributes), at its
//! own position of one shared stream ([`Draws::uniform_at`]): still a pure
//! function of the key, and the stream's base is worked out once.
//!
//! The number of every kind of decision, for cohort synthesis and the
//! simulator alike, is in one registry: [`decisions`].

pub mod decisions;
mod ziggurat;

/// What a random decision is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub seed: u64,
    pub contact: u64,
    /// [`subject_id`] of the step, touchpoint or page, or [`decisions::WHOLE_CONTACT`].
    pub subject: u64,
    /// Which decision: a number from [`decisions`].
    pub decision: u64,
}

/// The SplitMix64 finaliser: a bijection on u64 with full avalanche.
const fn mix(mut value: u64) -> u64 {
    value = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    value ^ (value >> 31)
}

/// A stable 64-bit number for an id (FNV-1a, then mixed): the same id
/// always gives the same subject, whatever else the journey holds.
pub fn subject_id(id: &str) -> u64 {
    let mut hash: u64 = 0xCBF2_9CE4_8422_2325;
    for byte in id.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    mix(hash)
}

/// The draws for one key, as many as the decision needs.
#[derive(Clone, Debug)]
pub struct Draws {
    base: u64,
    counter: u64,
}

/// The part of a [`Key`] shared by every decision of a run, worked out
/// once rather than for each of its contacts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunKey {
    mixed_seed: u64,
}

impl RunKey {
    pub fn new(seed: u64) -> RunKey {
        RunKey { mixed_seed: mix(seed) }
    }

    /// The same key as `ContactKey::new(seed, contact)`.
    #[inline]
    pub fn contact(self, contact: u64) -> ContactKey {
        ContactKey { prefix: mix(self.mixed_seed ^ contact) }
    }
}

/// The part of a [`Key`] shared by every decision about one contact,
/// worked out once: what a simulation asks for dozens of times per contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContactKey {
    prefix: u64,
}

impl ContactKey {
    pub fn new(seed: u64, contact: u64) -> ContactKey {
        RunKey::new(seed).contact(contact)
    }

    /// The same draws as `Key { seed, contact, subject, decision }.draws()`.
    #[inline]
    pub fn draws(self, subject: u64, decision: u64) -> Draws {
        Draws { base: mix(mix(self.prefix ^ subject) ^ decision), counter: 0 }
    }
}

/// `mix(counter)` for the first counters, which almost every draw uses
/// (and the positions of a contact's attributes, [`Draws::uniform_at`]).
const MIXED_COUNTERS: [u64; 16] = {
    let mut table = [0; 16];
    let mut counter = 0;
    while counter < table.len() {
        table[counter] = mix(counter as u64);
        counter += 1;
    }
    table
};

impl Key {
    pub fn draws(self) -> Draws {
        ContactKey::new(self.seed, self.contact).draws(self.subject, self.decision)
    }

    /// The first uniform number of this key, in [0, 1).
    pub fn uniform(self) -> f64 {
        self.draws().uniform()
    }
}

impl Draws {
    /// The stream's number at `position` (from 1).
    #[inline]
    fn u64_at(&self, position: u64) -> u64 {
        let mixed = match MIXED_COUNTERS.get(position as usize) {
            Some(&mixed) => mixed,
            None => mix(position),
        };
        mix(self.base ^ mixed)
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.counter += 1;
        self.u64_at(self.counter)
    }

    /// Uniform in [0, 1), with 53 random bits.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        to_unit(self.next_u64())
    }

    /// The next [`Draws::uniform`], not yet made a float: a draw that is
    /// only compared with a chance is decided by its [`Bits`] alone.
    #[inline]
    pub fn uniform_bits(&mut self) -> Bits {
        Bits(self.next_u64() >> 11)
    }

    /// The uniform number at `position` (from 1) of this stream, whatever
    /// else was drawn from it: the same as the `position`-th
    /// [`Draws::uniform`] of a fresh stream. For decisions of one number
    /// each that share a stream, each at its own position.
    #[inline]
    pub fn uniform_at(&self, position: u64) -> f64 {
        to_unit(self.u64_at(position))
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// An index drawn with the given non-negative weights (the last index if all are zero).
    pub fn pick(&mut self, weights: &[f64]) -> usize {
        self.pick_with_total(weights, weights.iter().sum())
    }

    /// [`Draws::pick`] when the caller already knows `total`, the sum of
    /// `weights` in order (the same sum gives the same draw).
    pub fn pick_with_total(&mut self, weights: &[f64], total: f64) -> usize {
        pick(self.uniform(), weights, total)
    }

    /// Standard normal (ziggurat); inlined, as is [`Draws::exponential`]:
    /// its common path is shorter than a call's saving of registers.
    #[inline(always)]
    pub fn normal(&mut self) -> f64 {
        ziggurat::normal(self)
    }

    /// Exponential with mean 1 (ziggurat); inlined, as its common path is a
    /// hash, a multiplication and a comparison, shorter than a call.
    #[inline(always)]
    pub fn exponential(&mut self) -> f64 {
        ziggurat::exponential(self)
    }
}

/// Gamma(shape, 1) by Marsaglia and Tsang (2000), its constants worked out
/// once for many draws; shapes below 1 use the boost `U^(1/shape)`.
#[derive(Clone, Copy, Debug)]
pub struct Gamma {
    /// `1 / shape` for a shape below 1, whose draws are those of `shape + 1` boosted.
    boost: Option<f64>,
    d: f64,
    c: f64,
}

impl Gamma {
    pub fn new(shape: f64) -> Gamma {
        let (boost, shape) = if shape < 1.0 { (Some(1.0 / shape), shape + 1.0) } else { (None, shape) };
        let d = shape - 1.0 / 3.0;
        // A square root is correctly rounded everywhere, so the machine's own
        // instruction gives libm's result; in WebAssembly libm's is computed
        // in software.
        let c = 1.0 / (9.0 * d).sqrt();
        Gamma { boost, d, c }
    }

    /// Inlined: a cohort's contact takes two, and the draw's common path
    /// (one normal, one uniform, the squeeze) is not much longer than a call.
    #[inline(always)]
    pub fn draw(&self, draws: &mut Draws) -> f64 {
        let Gamma { boost, d, c } = *self;
        let boost = boost.map(|exponent| libm::pow(draws.uniform(), exponent));
        loop {
            let x = draws.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = draws.uniform();
            // The squeeze accepts only draws the exact test below would
            // accept, so it changes no result while skipping two logarithms
            // almost every time.
            if u < 1.0 - 0.0331 * (x * x) * (x * x) || libm::log(u) < 0.5 * x * x + d - d * v + d * libm::log(v) {
                return boost.map_or(d * v, |boost| d * v * boost);
            }
        }
    }
}

/// Beta(a, b) as a ratio of gammas, prepared once for many draws.
#[derive(Clone, Copy, Debug)]
pub struct Beta {
    a: Gamma,
    b: Gamma,
}

impl Beta {
    pub fn new(a: f64, b: f64) -> Beta {
        Beta { a: Gamma::new(a), b: Gamma::new(b) }
    }

    pub fn draw(&self, draws: &mut Draws) -> f64 {
        let x = self.a.draw(draws);
        let y = self.b.draw(draws);
        x / (x + y)
    }
}

/// Uniform in [0, 1) from a number's top 53 bits.
#[inline]
fn to_unit(number: u64) -> f64 {
    Bits(number >> 11).uniform()
}

/// A uniform draw as its 53 bits `n`: the uniform is `n / 2^53`, exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bits(u64);

impl Bits {
    /// The uniform in [0, 1).
    #[inline]
    pub fn uniform(self) -> f64 {
        self.0 as f64 * (1.0 / UNIT_STEPS)
    }

    /// Whether the uniform is below the chance `cutoff` was made from.
    #[inline]
    pub fn below(self, cutoff: Cutoff) -> bool {
        self.0 < cutoff.0
    }
}

/// 2^53, the uniforms' steps in [0, 1).
const UNIT_STEPS: f64 = (1u64 << 53) as f64;

/// A chance made ready for deciding draws by their [`Bits`], with no float
/// made: a uniform `n / 2^53` is below the chance `p` exactly when `n` is
/// below `p * 2^53` (itself exact, a scaling by a power of two), that is
/// below its ceiling. Worth it for a chance that decides many draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cutoff(u64);

impl Cutoff {
    pub fn new(chance: f64) -> Cutoff {
        let scaled = chance * UNIT_STEPS;
        // No uniform is below a chance of 0 or less (or NaN).
        if scaled.is_nan() || scaled <= 0.0 {
            return Cutoff(0);
        }
        // The cast rounds a positive number down (and saturates); the
        // ceiling is one more unless it was whole. Past 2^53, any cutoff
        // that large lets every draw through, as the chance does.
        let floor = scaled as u64;
        Cutoff(floor.saturating_add(u64::from(floor as f64 != scaled)))
    }
}

/// The index that `uniform` (in [0, 1)) picks with the given non-negative
/// `weights`, whose sum in order is `total` (the last index if all are zero).
pub fn pick(uniform: f64, weights: &[f64], total: f64) -> usize {
    let mut target = uniform * total;
    for (index, weight) in weights.iter().enumerate() {
        if target < *weight {
            return index;
        }
        target -= weight;
    }
    weights.len().saturating_sub(1)
}

/// Weights prepared for many [`pick`]s: the same index for every uniform,
/// mostly read from a table rather than walked to. The table cuts [0, 1)
/// into equal buckets (a power of two of them, so a uniform's bucket is
/// exact); [`pick`] gives no smaller index for a larger uniform (each step
/// of its walk rounds monotonically), so where a bucket's two ends pick the
/// same index every uniform inside it does too, and only the few buckets
/// that hold a change of index walk.
#[derive(Clone, Debug)]
pub struct Picker {
    weights: Vec<f64>,
    /// The sum of `weights`, in order.
    total: f64,
    /// Per bucket, its index, or [`Picker::WALK`].
    buckets: Vec<u8>,
}

impl Picker {
    /// A bucket whose uniforms pick more than one index.
    const WALK: u8 = u8::MAX;

    /// Prepares `weights` (fewer than 255 of them).
    pub fn new(weights: &[f64]) -> Picker {
        assert!(weights.len() < usize::from(Picker::WALK), "at most 254 weights");
        let total = weights.iter().sum();
        let count = (weights.len() * 16).next_power_of_two();
        let at = |bucket: usize| pick(bucket as f64 / count as f64, weights, total);
        let mut low = at(0);
        let buckets = (1..=count)
            .map(|end| {
                let high = at(end);
                let bucket = if low == high { low as u8 } else { Picker::WALK };
                low = high;
                bucket
            })
            .collect();
        Picker { weights: weights.to_vec(), total, buckets }
    }

    /// `pick(uniform, weights, total)`, for `uniform` in [0, 1).
    #[inline]
    pub fn pick(&self, uniform: f64) -> usize {
        // Through `u32`, whose conversion is shorter than `usize`'s.
        let bucket = (uniform * self.buckets.len() as f64) as u32 as usize;
        match self.buckets.get(bucket) {
            Some(&index) if index != Picker::WALK => usize::from(index),
            _ => pick(uniform, &self.weights, self.total),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cutoff_decides_every_draw_as_its_chance_does() {
        let steps = 1u64 << 53;
        let chances = [
            0.0,
            -0.5,
            f64::NAN,
            1.0,
            1.5,
            f64::INFINITY,
            f64::MIN_POSITIVE,
            0.5,
            0.1,
            0.3,
            1.0 - f64::EPSILON / 2.0,
            3.0 / steps as f64,
            (3.0 / steps as f64) * (1.0 + f64::EPSILON),
        ];
        let mut draws = Key { seed: 9, contact: 1, subject: 2, decision: 3 }.draws();
        let drawn: Vec<f64> = (0..200).map(|_| draws.uniform()).collect();
        for chance in chances.into_iter().chain(drawn) {
            let cutoff = Cutoff::new(chance);
            let scaled = (chance * steps as f64) as u64;
            let bits =
                [0, 1, 2, 3, 4, steps / 2, steps - 1, scaled.saturating_sub(1).min(steps - 1), scaled.min(steps - 1)]
                    .into_iter()
                    .chain((0..50).map(|_| draws.uniform_bits().0));
            for n in bits {
                let bits = Bits(n);
                assert_eq!(bits.below(cutoff), bits.uniform() < chance, "chance {chance:e}, n {n}");
            }
        }
    }

    fn key(contact: u64, subject: u64, decision: u64) -> Key {
        Key { seed: 42, contact, subject, decision }
    }

    #[test]
    fn the_same_key_gives_the_same_draws_and_any_change_gives_others() {
        let base = key(7, subject_id("sms-pricing-intent"), 3);
        assert_eq!(base.uniform(), base.uniform());
        let variants = [
            Key { seed: 43, ..base },
            Key { contact: 8, ..base },
            Key { subject: subject_id("sms-demo-coordination"), ..base },
            Key { decision: 4, ..base },
        ];
        for variant in variants {
            assert_ne!(variant.uniform(), base.uniform(), "{variant:?}");
        }
    }

    #[test]
    fn known_values_pin_the_generator_across_platforms() {
        // Computed by an independent implementation of the documented
        // construction. If these change, every saved baseline and golden
        // hash changes: do it on purpose only.
        assert_eq!(subject_id("welcome"), 0x4222_eae9_5973_53e5);
        let mut draws = key(1, 2, 3).draws();
        let first: Vec<u64> = (0..3).map(|_| draws.next_u64()).collect();
        assert_eq!(first, vec![0x196a_04bc_bc83_a203, 0xf4ac_4ba3_ae19_c199, 0xe5d4_7901_6825_b34a]);
    }

    #[test]
    fn a_position_of_a_stream_is_that_draw_of_a_fresh_one() {
        let stream = key(3, 0, 15).draws();
        for position in [1, 9, 15, 16, 40] {
            let mut fresh = stream.clone();
            let drawn = (0..position).map(|_| fresh.uniform()).last();
            assert_eq!(Some(stream.uniform_at(position)), drawn, "position {position}");
        }
    }

    #[test]
    fn uniforms_are_uniform() {
        let buckets = 20;
        let samples = 200_000;
        let mut counts = vec![0u32; buckets];
        for contact in 0..samples {
            let value = key(contact, 0, 1).uniform();
            assert!((0.0..1.0).contains(&value));
            counts[(value * buckets as f64) as usize] += 1;
        }
        let expected = samples as f64 / buckets as f64;
        let chi_square: f64 = counts.iter().map(|&count| (count as f64 - expected).powi(2) / expected).sum();
        // 19 degrees of freedom: the 99.9th percentile is 43.8.
        assert!(chi_square < 43.8, "chi-square {chi_square} for {counts:?}");
    }

    #[test]
    fn beta_draws_have_the_right_mean_and_spread() {
        let (a, b) = (2.0, 5.0);
        let samples = 50_000;
        let beta = Beta::new(a, b);
        let values: Vec<f64> = (0..samples).map(|contact| beta.draw(&mut key(contact, 0, 9).draws())).collect();
        let mean = values.iter().sum::<f64>() / samples as f64;
        let variance = values.iter().map(|value| (value - mean).powi(2)).sum::<f64>() / samples as f64;
        let expected_mean = a / (a + b);
        let expected_variance = a * b / ((a + b).powi(2) * (a + b + 1.0));
        assert!((mean - expected_mean).abs() < 0.005, "mean {mean}");
        assert!((variance - expected_variance).abs() < 0.002, "variance {variance}");
        assert!(values.iter().all(|value| (0.0..=1.0).contains(value)));
    }

    #[test]
    fn a_picker_picks_what_a_walk_does() {
        let mut states = [0.0; 51];
        for (index, weight) in states.iter_mut().enumerate() {
            *weight = [0.3, 1.7, 0.0, 12.1, 0.05][index % 5] * (1.0 + index as f64 / 7.0);
        }
        let lists: [&[f64]; 5] = [&states, &[1.0, 3.0, 0.0, 6.0], &[0.0, 0.0], &[0.1, 0.2, 0.7], &[]];
        for weights in lists {
            let picker = Picker::new(weights);
            let total = weights.iter().sum();
            let count = picker.buckets.len() as f64;
            // Every bucket's ends and the floats beside them, then many draws.
            let edges = (0..=picker.buckets.len()).flat_map(|bucket| {
                let end = bucket as f64 / count;
                [f64::from_bits(end.to_bits().saturating_sub(1)), end, f64::from_bits(end.to_bits() + 1)]
            });
            let draws = (0..100_000).map(|contact| key(contact, 0, 6).uniform());
            for uniform in edges.filter(|uniform| (0.0..1.0).contains(uniform)).chain(draws) {
                assert_eq!(picker.pick(uniform), pick(uniform, weights, total), "{uniform} with {weights:?}");
            }
        }
    }

    #[test]
    fn picks_follow_their_weights() {
        let weights = [1.0, 3.0, 0.0, 6.0];
        let mut counts = [0u32; 4];
        for contact in 0..100_000 {
            counts[key(contact, 0, 5).draws().pick(&weights)] += 1;
        }
        assert_eq!(counts[2], 0);
        for (count, weight) in counts.iter().zip(weights) {
            let share = f64::from(*count) / 100_000.0;
            assert!((share - weight / 10.0).abs() < 0.01, "{counts:?}");
        }
    }
}
