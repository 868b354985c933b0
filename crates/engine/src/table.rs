//! Reading the embedded CSV tables while the engine compiles, so that a
//! malformed row stops the build instead of reaching a user, and the
//! tables cost nothing at run time. Everything here is a `const fn` over the
//! bytes of an `include_str!`; a problem is a compile-time panic naming it.
//!
//! The format is deliberately small: lines starting with `#` are comments,
//! the first other line is the header, every following non-blank line is a
//! row of comma-separated fields without quoting.

/// Where one field of a row sits in its table's text.
#[derive(Clone, Copy)]
pub(crate) struct Field {
    start: usize,
    end: usize,
}

/// The data rows of one table, read in order.
pub(crate) struct Rows {
    text: &'static [u8],
    at: usize,
}

impl Rows {
    /// The rows of `text`, after its comments and header.
    pub(crate) const fn of(text: &'static str) -> Rows {
        let mut rows = Rows { text: text.as_bytes(), at: 0 };
        if rows.next_line().is_none() {
            panic!("an embedded table has no header row");
        }
        rows
    }

    /// The fields of the next row, or `None` after the last one.
    pub(crate) const fn next<const FIELDS: usize>(&mut self) -> Option<[Field; FIELDS]> {
        let Some((start, end)) = self.next_line() else {
            return None;
        };
        let mut fields = [Field { start, end }; FIELDS];
        let mut index = 0;
        let mut field_start = start;
        let mut at = start;
        while at <= end {
            if at == end || self.text[at] == b',' {
                if index == FIELDS {
                    panic!("a row of an embedded table has more fields than its header");
                }
                fields[index] = Field { start: field_start, end: at };
                index += 1;
                field_start = at + 1;
            }
            at += 1;
        }
        if index != FIELDS {
            panic!("a row of an embedded table has fewer fields than its header");
        }
        Some(fields)
    }

    /// How many rows follow.
    pub(crate) const fn count(text: &'static str) -> usize {
        let mut rows = Rows::of(text);
        let mut count = 0;
        while rows.next_line().is_some() {
            count += 1;
        }
        count
    }

    /// The next non-blank, non-comment line, without its line ending.
    const fn next_line(&mut self) -> Option<(usize, usize)> {
        while self.at < self.text.len() {
            let start = self.at;
            let mut end = start;
            while end < self.text.len() && self.text[end] != b'\n' {
                end += 1;
            }
            self.at = end + 1;
            if end > start && self.text[end - 1] == b'\r' {
                end -= 1;
            }
            let comment = end > start && self.text[start] == b'#';
            if end > start && !comment {
                return Some((start, end));
            }
        }
        None
    }

    /// A field holding a whole number in decimal digits.
    pub(crate) const fn number(&self, field: Field) -> u32 {
        if field.start == field.end {
            panic!("a number field of an embedded table is empty");
        }
        let mut value: u32 = 0;
        let mut at = field.start;
        while at < field.end {
            let digit = self.text[at];
            if !digit.is_ascii_digit() {
                panic!("a number field of an embedded table holds something other than digits");
            }
            value = match value.checked_mul(10) {
                Some(tens) => match tens.checked_add((digit - b'0') as u32) {
                    Some(sum) => sum,
                    None => panic!("a number in an embedded table is too large"),
                },
                None => panic!("a number in an embedded table is too large"),
            };
            at += 1;
        }
        value
    }

    /// A field listing items separated by `;`, each ending with a whole
    /// number (`Leon 292198; Gadsden 43826`): the sum of those numbers.
    pub(crate) const fn sum_of_items(&self, field: Field) -> u32 {
        let mut sum: u32 = 0;
        let mut item: u32 = 0;
        let mut ends_with_number = false;
        let mut at = field.start;
        while at <= field.end {
            let byte = if at == field.end { b';' } else { self.text[at] };
            if byte.is_ascii_digit() {
                item = match item.checked_mul(10) {
                    Some(tens) => match tens.checked_add((byte - b'0') as u32) {
                        Some(item) => item,
                        None => panic!("a number in an embedded table is too large"),
                    },
                    None => panic!("a number in an embedded table is too large"),
                };
                ends_with_number = true;
            } else if byte == b';' {
                if !ends_with_number {
                    panic!("an item of a list in an embedded table does not end with a number");
                }
                sum = match sum.checked_add(item) {
                    Some(sum) => sum,
                    None => panic!("a list in an embedded table adds up to too large a number"),
                };
                item = 0;
                ends_with_number = false;
            } else {
                item = 0;
                ends_with_number = false;
            }
            at += 1;
        }
        sum
    }

    /// Whether the field is empty (an optional value left out).
    pub(crate) const fn is_empty(&self, field: Field) -> bool {
        field.start == field.end
    }

    /// The field's text.
    pub(crate) const fn text(&self, field: Field) -> &'static str {
        let (_, rest) = self.text.split_at(field.start);
        let (text, _) = rest.split_at(field.end - field.start);
        match core::str::from_utf8(text) {
            Ok(text) => text,
            Err(_) => panic!("an embedded table is not UTF-8"),
        }
    }

    /// The position of the field's text in `names`, if it is there.
    pub(crate) const fn position(&self, field: Field, names: &[&str]) -> Option<usize> {
        let mut index = 0;
        while index < names.len() {
            if self.equals(field, names[index]) {
                return Some(index);
            }
            index += 1;
        }
        None
    }

    const fn equals(&self, field: Field, name: &str) -> bool {
        let name = name.as_bytes();
        if name.len() != field.end - field.start {
            return false;
        }
        let mut index = 0;
        while index < name.len() {
            if self.text[field.start + index] != name[index] {
                return false;
            }
            index += 1;
        }
        true
    }
}

/// The position of `name` in `names`, for building tables from names at compile time.
pub(crate) const fn position_of(name: &str, names: &[&str]) -> Option<usize> {
    let mut index = 0;
    while index < names.len() {
        if same_text(names[index], name) {
            return Some(index);
        }
        index += 1;
    }
    None
}

/// String equality at compile time.
pub(crate) const fn same_text(left: &str, right: &str) -> bool {
    let (left, right) = (left.as_bytes(), right.as_bytes());
    if left.len() != right.len() {
        return false;
    }
    let mut index = 0;
    while index < left.len() {
        if left[index] != right[index] {
            return false;
        }
        index += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "# a comment\r\n\nname,count\r\n# another\nAK,12\n\nCA,7\n";

    #[test]
    fn comments_blank_lines_and_the_header_are_skipped() {
        assert_eq!(Rows::count(TABLE), 2);
        let mut rows = Rows::of(TABLE);
        let mut read = Vec::new();
        while let Some([name, count]) = rows.next::<2>() {
            read.push((rows.position(name, &["CA", "AK"]), rows.number(count)));
        }
        assert_eq!(read, vec![(Some(1), 12), (Some(0), 7)]);
        assert_eq!(position_of("AK", &["CA", "AK"]), Some(1));
        assert_eq!(position_of("TX", &["CA", "AK"]), None);
    }

    #[test]
    fn a_list_adds_up_the_number_ending_each_item() {
        const LIST: &str = "state,places\nFL,Leon 292198; Gulf (half of 14192) 7096; Liberty 7974\n";
        let mut rows = Rows::of(LIST);
        let Some([_, people]) = rows.next::<2>() else { panic!("one row") };
        assert_eq!(rows.sum_of_items(people), 292_198 + 7_096 + 7_974);
    }
}
