//! A journey in a link: the v1 document, deflated and written in URL-safe
//! base64, for the part of a URL after `#` (which browsers never send to a
//! server). Reading a link goes through the same import as a file, so a
//! damaged or hostile link gets the same clear problems and nothing else.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::{ImportProblem, MAX_DOCUMENT_BYTES, export, import};
use crate::model::Journey;

/// Links longer than this are refused unread (browsers cope with far more,
/// but no journey needs it).
pub const MAX_LINK_CHARS: usize = 400_000;

/// The link text for `journey`.
pub fn to_link(journey: &Journey) -> String {
    let compressed = miniz_oxide::deflate::compress_to_vec(export(journey).as_bytes(), 9);
    URL_SAFE_NO_PAD.encode(compressed)
}

fn damaged(why: &str) -> Vec<ImportProblem> {
    vec![ImportProblem {
        path: String::new(),
        message: format!("This link is damaged ({why}); ask for the link again, or for the journey file."),
        rule_span: None,
    }]
}

/// The journey in link text from [`to_link`], or every problem with it.
pub fn from_link(text: &str) -> Result<Journey, Vec<ImportProblem>> {
    if text.len() > MAX_LINK_CHARS {
        return Err(vec![ImportProblem {
            path: String::new(),
            message: format!(
                "This link holds {} characters; a Tandem journey link holds at most {MAX_LINK_CHARS}.",
                text.len()
            ),
            rule_span: None,
        }]);
    }
    let compressed = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| damaged("it is not in the link alphabet"))?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_DOCUMENT_BYTES)
        .map_err(|_| damaged("it does not unpack, or unpacks to more than 5 MB"))?;
    let document = String::from_utf8(bytes).map_err(|_| damaged("it does not unpack to text"))?;
    import(&document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    #[test]
    fn a_journey_survives_the_link_and_the_link_is_url_safe() {
        for (_, journey) in samples::all() {
            let link = to_link(&journey);
            assert!(link.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{link}");
            assert!(link.len() < export(&journey).len() / 2, "the link is compressed");
            assert_eq!(from_link(&link).unwrap(), journey);
        }
    }

    #[test]
    fn damaged_oversized_and_hostile_links_are_refused_with_a_reason() {
        let link = to_link(&samples::playbook());
        let cases = [
            ("not base64 at all!".to_owned(), "not in the link alphabet"),
            (link[..(link.len() / 2) & !3].to_owned(), "does not unpack"),
            ("x".repeat(MAX_LINK_CHARS + 1), "at most 400000"),
            // A zip bomb: 6 MB of spaces compress to a few kilobytes.
            (URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&vec![b' '; 6 << 20], 9)), "more than 5 MB"),
        ];
        for (text, reason) in cases {
            let problems = from_link(&text).unwrap_err();
            assert!(problems[0].message.contains(reason), "{reason}: {problems:?}");
        }
        // A well-formed link to a broken journey gets the import's problems.
        let mut broken = export(&samples::playbook()).replace("\"day\": 4", "\"day\": 400");
        broken = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(broken.as_bytes(), 6));
        assert_eq!(from_link(&broken).unwrap_err()[0].path, "/steps/1/day");
    }
}
