//! Normal and exponential draws without logarithms on the common path: the
//! ziggurat of Marsaglia and Tsang (2000), in the 256-layer form of Doornik
//! (2005). A simulation draws millions of these (engagement propensities,
//! days in stage, open and reply delays), and a logarithm costs more than
//! the rest of the draw.
//!
//! The density is covered by 256 layers of equal area. One 64-bit number
//! picks a layer (its low 8 bits) and a point across it (its top 52 bits);
//! about 99% of the time the point lies inside the density and is the
//! result, after one multiplication and one comparison. Otherwise a second
//! uniform number decides between the layer's edge and the density
//! (`exp`), and the base layer's tail is drawn by the exact tail method
//! (`log`). Those rare paths use the pure-Rust `libm`, as do the tables,
//! which are computed once on first use: the same code on every platform,
//! so draws stay bit-identical natively and in WebAssembly.

use std::sync::LazyLock;

use super::Draws;

/// How many layers of equal area the density is cut into.
const LAYERS: usize = 256;

/// The layers of one density: layer `i` spans `0..x[i]` and lies between
/// the heights `f[i]` and `f[i + 1]`; the base layer (0) is the rectangle
/// under `f(R)` and the tail beyond `x[1] = R`, drawn as a rectangle of
/// width `x[0] = V / f(R)`. `SYMMETRIC` says whether the density is
/// mirrored about 0 (the normal) or one-sided (the exponential), in the
/// type so that a draw does not look it up.
struct Layers<const SYMMETRIC: bool> {
    x: [f64; LAYERS + 1],
    f: [f64; LAYERS + 1],
    /// Where the tail starts.
    r: f64,
    /// The (unnormalised) density, `f(0) = 1`.
    density: fn(f64) -> f64,
    /// A draw from the tail beyond `r`, its sign from the layer draw's.
    tail: fn(&mut Draws, f64, f64) -> f64,
}

impl<const SYMMETRIC: bool> Layers<SYMMETRIC> {
    /// The layers of `density` with tail start `r` and layer area `v`;
    /// `inverse` is the density's inverse on `(0, 1]`.
    fn new(
        r: f64,
        v: f64,
        density: fn(f64) -> f64,
        inverse: fn(f64) -> f64,
        tail: fn(&mut Draws, f64, f64) -> f64,
    ) -> Layers<SYMMETRIC> {
        let mut x = [0.0; LAYERS + 1];
        x[0] = v / density(r);
        x[1] = r;
        for layer in 2..LAYERS {
            x[layer] = inverse(v / x[layer - 1] + density(x[layer - 1]));
        }
        let f = x.map(density);
        Layers { x, f, r, density, tail }
    }

    /// A draw: inlined, as about 99% of draws end at the first point.
    #[inline(always)]
    fn sample(&self, draws: &mut Draws) -> f64 {
        let (layer, u, x) = self.point(draws.next_u64());
        if Self::width(x) < self.x[layer + 1] { x } else { self.sample_beyond(draws, layer, u, x) }
    }

    /// The layer, the point across it (in `-1..1` or `0..1`) and where that
    /// puts the point on the x axis, all from one number.
    #[inline(always)]
    fn point(&self, bits: u64) -> (usize, f64, f64) {
        let layer = (bits & 0xff) as usize;
        // Odd multiples of 2^-52 (symmetric) or 2^-53: exact, and never 0
        // or ±1, so the point is always strictly inside the layer.
        let across = (2 * (bits >> 12) + 1) as f64;
        let u =
            if SYMMETRIC { across * (1.0 / (1u64 << 52) as f64) - 1.0 } else { across * (1.0 / (1u64 << 53) as f64) };
        (layer, u, u * self.x[layer])
    }

    /// How far `x` is from 0: a one-sided density's points are never negative.
    #[inline(always)]
    fn width(x: f64) -> f64 {
        if SYMMETRIC { x.abs() } else { x }
    }

    /// The rest of a draw whose first point was not inside the layer's core.
    #[cold]
    fn sample_beyond(&self, draws: &mut Draws, mut layer: usize, mut u: f64, mut x: f64) -> f64 {
        loop {
            if Self::width(x) < self.x[layer + 1] {
                return x;
            }
            if layer == 0 {
                return (self.tail)(draws, self.r, u);
            }
            let height = self.f[layer + 1] + (self.f[layer] - self.f[layer + 1]) * draws.uniform();
            if height < (self.density)(x) {
                return x;
            }
            (layer, u, x) = self.point(draws.next_u64());
        }
    }
}

/// A uniform number in (0, 1], for logarithms.
fn positive_uniform(draws: &mut Draws) -> f64 {
    1.0 - draws.uniform()
}

static NORMAL: LazyLock<Layers<true>> = LazyLock::new(|| {
    Layers::new(
        3.654_152_885_361_009,
        0.004_928_673_233_99,
        |x| libm::exp(-0.5 * x * x),
        |y| libm::sqrt(-2.0 * libm::log(y)),
        // Marsaglia's (1964) tail method.
        |draws, r, sign| loop {
            let x = -libm::log(positive_uniform(draws)) / r;
            let y = -libm::log(positive_uniform(draws));
            if 2.0 * y >= x * x {
                return if sign < 0.0 { -(r + x) } else { r + x };
            }
        },
    )
});

static EXPONENTIAL: LazyLock<Layers<false>> = LazyLock::new(|| {
    Layers::new(
        7.697_117_470_131_05,
        0.003_949_659_822_581_557,
        |x| libm::exp(-x),
        |y| -libm::log(y),
        // Memorylessness: the tail is `r` plus a fresh exponential.
        |draws, r, _| r - libm::log(positive_uniform(draws)),
    )
});

/// A standard normal draw.
#[inline]
pub(super) fn normal(draws: &mut Draws) -> f64 {
    NORMAL.sample(draws)
}

/// A standard exponential draw (mean 1).
#[inline]
pub(super) fn exponential(draws: &mut Draws) -> f64 {
    EXPONENTIAL.sample(draws)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Key;

    #[test]
    fn the_top_layer_closes_at_the_peak() {
        // The layers of equal area must stack up to exactly f(0) = 1: the
        // last layer's inverse argument is the peak, to rounding.
        fn closes<const SYMMETRIC: bool>(layers: &Layers<SYMMETRIC>) {
            let top = (layers.density)(layers.x[LAYERS - 1]);
            let closing = top + (layers.x[0] * (layers.density)(layers.r)) / layers.x[LAYERS - 1];
            assert!((closing - 1.0).abs() < 1e-9, "closes at {closing}");
            assert!(layers.x.windows(2).skip(1).all(|pair| pair[0] > pair[1]), "layers narrow upwards");
        }
        closes(&NORMAL);
        closes(&EXPONENTIAL);
    }

    /// The largest gap between the empirical distribution of `samples` and `cdf`.
    fn kolmogorov_smirnov(mut samples: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
        samples.sort_by(f64::total_cmp);
        let n = samples.len() as f64;
        samples
            .iter()
            .enumerate()
            .map(|(rank, &value)| {
                let expected = cdf(value);
                (expected - rank as f64 / n).abs().max(((rank + 1) as f64 / n - expected).abs())
            })
            .fold(0.0, f64::max)
    }

    fn draws(contact: u64) -> Draws {
        Key { seed: 11, contact, subject: 0, decision: 1 }.draws()
    }

    const SAMPLES: u64 = 200_000;
    /// The Kolmogorov–Smirnov critical value at the 0.1% level.
    const CRITICAL: f64 = 1.95 / 447.213_595_499_958;

    #[test]
    fn normals_follow_the_normal_distribution_tails_included() {
        let samples: Vec<f64> = (0..SAMPLES).map(|contact| normal(&mut draws(contact))).collect();
        let beyond_tail = samples.iter().filter(|value| value.abs() > NORMAL.r).count();
        let gap = kolmogorov_smirnov(samples, |x| 0.5 * libm::erfc(-x / std::f64::consts::SQRT_2));
        assert!(gap < CRITICAL, "KS distance {gap}");
        // P(|X| > R) = 2.58e-4: about 52 of 200,000.
        assert!((25..=85).contains(&beyond_tail), "{beyond_tail} beyond the tail start");
    }

    #[test]
    fn exponentials_follow_the_exponential_distribution_tails_included() {
        let samples: Vec<f64> = (0..SAMPLES).map(|contact| exponential(&mut draws(contact))).collect();
        assert!(samples.iter().all(|&value| value > 0.0));
        // P(X > 5) = 6.7e-3: about 1,348 of 200,000.
        let beyond_five = samples.iter().filter(|&&value| value > 5.0).count();
        assert!((1_200..=1_500).contains(&beyond_five), "{beyond_five} beyond 5");
        let gap = kolmogorov_smirnov(samples, |x| 1.0 - libm::exp(-x));
        assert!(gap < CRITICAL, "KS distance {gap}");
    }

    #[test]
    fn known_values_pin_the_samplers_across_platforms() {
        // Printed natively; the golden simulation checks the same draws in
        // WebAssembly. If these change, every golden result changes too.
        let normals: Vec<f64> = (0..3).map(|contact| normal(&mut draws(contact))).collect();
        let exponentials: Vec<f64> = (0..3).map(|contact| exponential(&mut draws(contact))).collect();
        assert_eq!(normals, [-0.31678561785997483, -1.314426463829618, 0.3225152673148028]);
        assert_eq!(exponentials, [0.41875870028477014, 0.36657718760259256, 0.41407049836554]);
    }
}
