//! How an SMS body is billed: carriers send it in the GSM 03.38 7-bit
//! alphabet when every character is in it (160 characters in one segment,
//! 153 per segment when split), and otherwise as UCS-2 (70, or 67 per
//! segment when split; characters outside the Basic Multilingual Plane,
//! such as most emoji, take two). Characters of the GSM extension table
//! (`{ } [ ] ~ \ | ^ €` and form feed) take two 7-bit slots.

/// The GSM 03.38 basic character set.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Characters of the GSM extension table, sent as an escape and the character.
const GSM_EXTENSION: &str = "^{}\\[~]|€\u{0C}";

/// How a body is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        }
    }
}

/// What a body costs to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segments {
    pub encoding: Encoding,
    /// Units counted against the limits: 7-bit slots for GSM-7, 16-bit code units for UCS-2.
    pub units: usize,
    /// How many SMS segments the body is sent as (0 for an empty body).
    pub segments: usize,
    /// Units per segment at this length: 160/153 for GSM-7, 70/67 for UCS-2.
    pub per_segment: usize,
    /// The first character that forces UCS-2, if any.
    pub first_non_gsm: Option<char>,
}

/// The encoding and segment count of `body`.
pub fn segments(body: &str) -> Segments {
    let first_non_gsm =
        body.chars().find(|&character| !GSM_BASIC.contains(character) && !GSM_EXTENSION.contains(character));
    let (encoding, units, single, multi) = match first_non_gsm {
        None => {
            let units = body.chars().map(|character| if GSM_EXTENSION.contains(character) { 2 } else { 1 }).sum();
            (Encoding::Gsm7, units, 160, 153)
        }
        Some(_) => (Encoding::Ucs2, body.encode_utf16().count(), 70, 67),
    };
    let (segments, per_segment) = match units {
        0 => (0, single),
        units if units <= single => (1, single),
        units => (units.div_ceil(multi), multi),
    };
    Segments { encoding, units, segments, per_segment, first_non_gsm }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gsm_bodies_fit_160_in_one_segment_and_153_per_segment_after() {
        let cases = [
            ("", 0, 0, 160),
            ("Hello", 5, 1, 160),
            (&"a".repeat(160), 160, 1, 160),
            (&"a".repeat(161), 161, 2, 153),
            (&"a".repeat(306), 306, 2, 153),
            (&"a".repeat(307), 307, 3, 153),
            // Extension characters take two slots: 80 braces fill one segment.
            (&"{".repeat(80), 160, 1, 160),
            ("Price: 20€ [annual]", 22, 1, 160),
        ];
        for (body, units, count, per_segment) in cases {
            let found = segments(body);
            assert_eq!(found.encoding, Encoding::Gsm7, "{body:?}");
            assert_eq!((found.units, found.segments, found.per_segment), (units, count, per_segment), "{body:?}");
        }
    }

    #[test]
    fn any_other_character_switches_to_ucs2_at_70_and_67() {
        let cases = [
            ("ş".repeat(70), 70, 1, 70, Some('ş')),
            ("ş".repeat(71), 71, 2, 67, Some('ş')),
            ("Thanks 👍".to_owned(), 9, 1, 70, Some('👍')),
        ];
        for (body, units, count, per_segment, first) in cases {
            let found = segments(&body);
            assert_eq!(found.encoding, Encoding::Ucs2, "{body:?}");
            assert_eq!((found.units, found.segments, found.per_segment), (units, count, per_segment), "{body:?}");
            assert_eq!(found.first_non_gsm, first);
        }
        // é is in the GSM alphabet, so a French-looking body stays GSM-7.
        assert_eq!(segments("Café").encoding, Encoding::Gsm7);
    }
}
