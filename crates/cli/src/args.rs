//! Each subcommand's options, checked before anything runs: an unknown or
//! repeated option, a missing value, or a number that is not a whole
//! number, negative, zero or too large is named with what is wrong, and the
//! command exits 2 (misuse) rather than blaming an input file.

/// The arguments after a subcommand.
pub struct Args {
    pub files: Vec<String>,
    switches: Vec<&'static str>,
    values: Vec<(&'static str, String)>,
}

/// Splits `args` into the `switches` (no value), the `options` (one value
/// each) and files, refusing anything else and anything given twice.
pub fn parse(args: &[String], switches: &[&'static str], options: &[&'static str]) -> Result<Args, String> {
    let mut parsed = Args { files: Vec::new(), switches: Vec::new(), values: Vec::new() };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let known = |list: &[&'static str]| list.iter().copied().find(|name| name == arg);
        let given = parsed.switches.contains(&arg.as_str()) || parsed.values.iter().any(|(name, _)| name == arg);
        if given {
            return Err(format!("{arg} is given twice; give it once"));
        }
        if let Some(name) = known(switches) {
            parsed.switches.push(name);
        } else if let Some(name) = known(options) {
            let value = args.next().ok_or_else(|| format!("{name} needs a value"))?;
            parsed.values.push((name, value.clone()));
        } else if arg.starts_with("--") {
            return Err(format!("unknown option {arg}"));
        } else {
            parsed.files.push(arg.clone());
        }
    }
    Ok(parsed)
}

impl Args {
    pub fn switch(&self, name: &str) -> bool {
        self.switches.contains(&name)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.iter().find(|(known, _)| *known == name).map(|(_, value)| value.as_str())
    }

    /// The whole number given for `name`, from `min` to `max`.
    pub fn number(&self, name: &str, min: u64, max: u64) -> Result<Option<u64>, String> {
        let Some(text) = self.value(name) else { return Ok(None) };
        let range = format!("it takes a whole number from {min} to {max}");
        let digits = text.strip_prefix('-').unwrap_or(text);
        if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(format!("{name}: `{text}` is not a whole number; {range}"));
        }
        if text.starts_with('-') && digits.bytes().any(|byte| byte != b'0') {
            return Err(format!("{name}: {text} is negative; {range}"));
        }
        match digits.parse::<u64>() {
            Ok(number) if number < min => Err(format!("{name}: {number} is too small; {range}")),
            Ok(number) if number <= max => Ok(Some(number)),
            _ => Err(format!("{name}: {text} is too large; {range}")),
        }
    }
}
