//! Decimal numbers as people type them (`14`, `2.5`, `-0.75`, `1e3`),
//! read to the nearest `f64`, ties to even, as the standard library reads
//! them.
//!
//! Why not `str::parse::<f64>`: its general algorithm carries a 10 KB table
//! of powers of five and the code around it, which would be a noticeable
//! part of the page's first download (it reads numbers in rules and in
//! number fields, nothing else). Almost every number a person types has at
//! most 15 significant digits and a small exponent, and is read exactly by
//! one division or multiplication of two exact `f64`s (Clinger's fast
//! path). Anything longer starts from an estimate a few units in the last
//! place away and settles it by comparing the typed value with the halfway
//! points between neighbouring `f64`s in exact integer arithmetic,
//! rounding ties to even: slow, but only for numbers nobody types by hand.
//!
//! A property test checks every result against `str::parse::<f64>`. The
//! two differ only where a number's exponent is beyond 65,536 and its
//! digits bring it back into range (`0.` and two million zeros, `1e2000100`),
//! which `str::parse` reads as 0 and this reads right.

use std::cmp::Ordering;

/// `10^k` for every `k` whose power of ten an `f64` holds exactly.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// More significant digits than any halfway point between two `f64`s has
/// (767): digits beyond these only say "a little more", which one nonzero
/// digit in their place says as well.
const KEPT_DIGITS: usize = 780;

/// The nearest `f64` to `text`, which is an optional sign, digits with an
/// optional decimal point (at least one digit) and an optional exponent
/// (`e` or `E`, an optional sign, digits). Too large a number reads as an
/// infinity and too small a one as zero, as `str::parse::<f64>` does; any
/// other text (spaces, `inf`, `NaN`, `0x10`) is `None`.
pub fn read(text: &str) -> Option<f64> {
    let (negative, text) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    let exponent = match exponent {
        None => 0,
        Some(exponent) => read_exponent(exponent)?,
    };
    let magnitude = nearest(whole, fraction, exponent);
    Some(if negative { -magnitude } else { magnitude })
}

/// An exponent's value, held within a range far beyond both any `f64` and
/// any text's length (which the exponent may have to make up for, as in
/// `0.000…1e400`), so that an absurdly long one still reads (as an
/// infinity or zero).
fn read_exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let value = digits.bytes().fold(0i64, |value, digit| (value * 10 + i64::from(digit - b'0')).min(1 << 50));
    Some(if negative { -value } else { value })
}

/// The nearest `f64` to `whole.fraction × 10^exponent`, both parts digits only.
fn nearest(whole: &str, fraction: &str, exponent: i64) -> f64 {
    // The significant digits, without leading or trailing zeros, and the
    // power of ten that scales them: value = digits × 10^scale.
    let mut digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).map(|digit| digit - b'0').collect();
    let mut scale = exponent - fraction.len() as i64;
    let leading = digits.iter().take_while(|&&digit| digit == 0).count();
    digits.drain(..leading);
    while digits.last() == Some(&0) {
        digits.pop();
        scale += 1;
    }
    if digits.is_empty() {
        return 0.0;
    }
    if digits.len() > KEPT_DIGITS {
        scale += (digits.len() - KEPT_DIGITS - 1) as i64;
        digits.truncate(KEPT_DIGITS);
        digits.push(1);
    }
    // value lies in [10^(size - 1), 10^size).
    let size = digits.len() as i64 + scale;
    if size > 310 {
        return f64::INFINITY;
    }
    if size < -330 {
        return 0.0;
    }
    let leading_value = |count: usize| digits[..count].iter().fold(0u64, |value, &digit| value * 10 + u64::from(digit));
    if digits.len() <= 15 && scale.unsigned_abs() <= 22 {
        let (value, power) = (leading_value(digits.len()) as f64, EXACT_POWERS_OF_TEN[scale.unsigned_abs() as usize]);
        return if scale < 0 { value / power } else { value * power };
    }
    let kept = digits.len().min(19);
    let estimate = scaled(leading_value(kept) as f64, scale + (digits.len() - kept) as i64);
    settle(estimate, &Exact::of(&digits, scale))
}

/// `value × 10^power` in floating point, a few units in the last place
/// from the exact product.
fn scaled(mut value: f64, mut power: i64) -> f64 {
    while power > 22 {
        value *= 1e22;
        power -= 22;
    }
    while power < -22 {
        value /= 1e22;
        power += 22;
    }
    let exact = EXACT_POWERS_OF_TEN[power.unsigned_abs() as usize];
    if power < 0 { value / exact } else { value * exact }
}

/// The typed value as an exact fraction: `numerator / 10^denominator_power`.
struct Exact {
    numerator: Big,
    denominator_power: u32,
}

impl Exact {
    fn of(digits: &[u8], scale: i64) -> Exact {
        let mut numerator = Big::from(0);
        for &digit in digits {
            numerator.multiply_add(10, u32::from(digit));
        }
        let mut denominator_power = 0;
        if scale >= 0 {
            numerator.multiply_by_power_of_ten(scale as u32);
        } else {
            denominator_power = scale.unsigned_abs() as u32;
        }
        Exact { numerator, denominator_power }
    }

    /// How the value compares with `odd × 2^power`.
    fn compare(&self, odd: u64, power: i64) -> Ordering {
        let mut left = self.numerator.clone();
        let mut right = Big::from(odd);
        right.multiply_by_power_of_ten(self.denominator_power);
        if power >= 0 {
            right.shift_left(power as u32);
        } else {
            left.shift_left(power.unsigned_abs() as u32);
        }
        left.cmp(&right)
    }
}

/// The nearest `f64` to `exact`, starting from an estimate close to it:
/// steps to a neighbour while the value is past the halfway point towards
/// it (at the halfway point itself, towards the even significand).
fn settle(estimate: f64, exact: &Exact) -> f64 {
    let mut guess = if estimate.is_infinite() { f64::MAX } else { estimate };
    loop {
        let (significand, power) = parts(guess);
        let odd = significand & 1 == 1;
        // Between `guess` and the next `f64` up: (2s + 1) × 2^(p - 1).
        let above = exact.compare(2 * significand + 1, power - 1);
        if above == Ordering::Greater || (above == Ordering::Equal && odd) {
            guess = guess.next_up();
            if guess.is_infinite() {
                return guess;
            }
            continue;
        }
        if guess == 0.0 {
            return guess;
        }
        // Between the next `f64` down and `guess`; a power of two has its
        // lower neighbour at half the spacing.
        let below = if significand == 1 << 52 && power > -1074 {
            exact.compare(4 * significand - 1, power - 2)
        } else {
            exact.compare(2 * significand - 1, power - 1)
        };
        if below == Ordering::Less || (below == Ordering::Equal && odd) {
            guess = guess.next_down();
            continue;
        }
        return guess;
    }
}

/// `value` as `significand × 2^power`, for a finite, non-negative `value`.
fn parts(value: f64) -> (u64, i64) {
    let bits = value.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    if biased == 0 { (fraction, -1074) } else { (fraction | 1 << 52, biased - 1075) }
}

/// A non-negative integer of any size, in 32-bit limbs, least significant
/// first, with no high zero limbs: just what [`Exact`] needs.
#[derive(Clone, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from(value: u64) -> Big {
        let mut big = Big(vec![value as u32, (value >> 32) as u32]);
        big.trim();
        big
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn multiply_add(&mut self, factor: u32, addend: u32) {
        let mut carry = u64::from(addend);
        for limb in &mut self.0 {
            let product = u64::from(*limb) * u64::from(factor) + carry;
            *limb = product as u32;
            carry = product >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn multiply_by_power_of_ten(&mut self, mut power: u32) {
        while power > 0 {
            let step = power.min(9);
            self.multiply_add(10u32.pow(step), 0);
            power -= step;
        }
    }

    fn shift_left(&mut self, bits: u32) {
        if self.0.is_empty() {
            return;
        }
        let (limbs, bits) = ((bits / 32) as usize, bits % 32);
        if bits > 0 {
            let mut carry = 0;
            for limb in &mut self.0 {
                let shifted = (u64::from(*limb) << bits) | carry;
                *limb = shifted as u32;
                carry = shifted >> 32;
            }
            if carry > 0 {
                self.0.push(carry as u32);
            }
        }
        self.0.splice(..0, std::iter::repeat_n(0, limbs));
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, other: &Big) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Big {
    fn cmp(&self, other: &Big) -> Ordering {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn same(text: &str) {
        let expected = text.parse::<f64>().ok();
        let read = read(text);
        assert_eq!(
            read.map(f64::to_bits),
            expected.map(f64::to_bits),
            "{text:?}: read {read:?}, expected {expected:?}"
        );
    }

    #[test]
    fn numbers_people_type_read_as_the_standard_library_reads_them() {
        for text in [
            "0",
            "007",
            "14",
            "2.5",
            "-0.75",
            "+3",
            ".5",
            "5.",
            "0.1",
            "0.2",
            "1e3",
            "1E-3",
            "2.5e+2",
            "-0",
            "-0.0",
            "100000000000000000000000",
            "123456789012345678",
            "0.000001",
            "99.99",
            "1e22",
            "1e23",
            "123e-22",
        ] {
            same(text);
        }
    }

    #[test]
    fn hard_cases_round_to_the_nearest_and_ties_to_even() {
        for text in [
            "0.30000000000000004",
            "9007199254740993",
            "9007199254740995",
            "9007199254740993.0000000000000000000000001",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "4.9e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e400",
            "1e-400",
            "1e999999999999999999999",
            "1e-999999999999999999999",
            "0.1000000000000000055511151231257827021181583404541015625",
            "0.1000000000000000055511151231257827021181583404541015624",
            "0.1000000000000000055511151231257827021181583404541015626",
            "8.98846567431158e307",
            "4503599627370496.5",
            "4503599627370497.5",
        ] {
            same(text);
        }
        let long = format!("0.{}1", "0".repeat(900));
        same(&long);
        // Here the standard library stops counting the exponent at 65,536 and reads 0.
        let made_up_by_its_exponent = format!("0.{}1e2000100", "0".repeat(2_000_000));
        assert_eq!(read(&made_up_by_its_exponent), Some(1e99));
        let halfway_and_more = format!("9007199254740993{}1", "0".repeat(1000));
        same(&halfway_and_more);
    }

    #[test]
    fn anything_else_is_not_a_number() {
        for text in [
            "", ".", "-", "+", "e5", "1e", "1e+", "--1", "1.2.3", "inf", "-inf", "NaN", " 1", "1 ", "0x10", "1_000",
            "1,5", "٣",
        ] {
            assert_eq!(read(text), None, "{text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn every_typed_number_reads_as_the_standard_library_reads_it(
            negative in any::<bool>(),
            whole in "[0-9]{0,25}",
            fraction in proptest::option::of("[0-9]{0,25}"),
            exponent in proptest::option::of(-360i32..360),
        ) {
            let mut text = String::from(if negative { "-" } else { "" });
            text.push_str(&whole);
            if let Some(fraction) = &fraction {
                text.push('.');
                text.push_str(fraction);
            }
            if let Some(exponent) = exponent {
                text.push_str(&format!("e{exponent}"));
            }
            same(&text);
        }

        /// The exact halfway point between two neighbouring `f64`s, and the
        /// numbers just either side of it, in decimal.
        #[test]
        fn halfway_points_round_to_even(bits in 0u64..0x7fef_ffff_ffff_ffff, nudge in 0usize..3) {
            let (significand, power) = parts(f64::from_bits(bits));
            // (2s + 1) × 2^(p - 1) = numerator / 10^digits_after_point, exactly.
            let mut numerator = Big::from(2 * significand + 1);
            let mut after_point = 0;
            if power > 0 {
                numerator.shift_left((power - 1) as u32);
            } else {
                after_point = (1 - power) as u32;
                for _ in 0..after_point {
                    numerator.multiply_add(5, 0);
                }
            }
            let digits = decimal_digits(numerator.clone());
            // One more digit after the point: a little above, or a little below.
            let (digits, after_point) = match nudge {
                0 => (digits, after_point),
                1 => (format!("{digits}1"), after_point + 1),
                _ => (format!("{}9", decimal_digits(minus_one(numerator))), after_point + 1),
            };
            let text = format!("{digits}e-{after_point}");
            same(&text);
        }
    }

    fn decimal_digits(mut big: Big) -> String {
        let mut digits = Vec::new();
        while !big.0.is_empty() {
            let mut remainder = 0u64;
            for limb in big.0.iter_mut().rev() {
                let value = (remainder << 32) | u64::from(*limb);
                *limb = (value / 10) as u32;
                remainder = value % 10;
            }
            big.trim();
            digits.push(b'0' + remainder as u8);
        }
        if digits.is_empty() {
            digits.push(b'0');
        }
        digits.reverse();
        String::from_utf8(digits).expect("digits")
    }

    fn minus_one(mut big: Big) -> Big {
        for limb in &mut big.0 {
            let (value, borrowed) = limb.overflowing_sub(1);
            *limb = value;
            if !borrowed {
                break;
            }
        }
        big.trim();
        big
    }
}
