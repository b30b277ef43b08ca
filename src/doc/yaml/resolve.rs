//! Scalar resolution exactly as Kubernetes' YAML decoder does it (go-yaml v2, YAML 1.1
//! rules, through sigs.k8s.io/yaml): `yes`/`on`/`y` are booleans, `~` is null,
//! `0x1F`, `0o17`, `017` and `0b11` are integers, `1_000` too, `.inf` is a float.
//! Quoted scalars are strings unless an explicit core tag says otherwise.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;

use saphyr_parser::{ScalarStyle, Tag};

use crate::doc::Value;

/// The value of a scalar written as `text` in `style` with `tag`, or the go-yaml
/// message when an explicit tag does not fit the text.
pub(super) fn resolve(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    let Some(tag) = tag else {
        return Ok(if matches!(style, ScalarStyle::Plain) {
            plain(text)
        } else {
            Value::String(String::from(text))
        });
    };
    if !tag.is_yaml_core_schema() {
        return Ok(Value::String(String::from(text)));
    }
    let wanted = tag.suffix.as_str();
    let value = match wanted {
        "null" | "bool" | "int" | "float" => plain(text),
        _ => return Ok(Value::String(String::from(text))),
    };
    match (wanted, value) {
        ("null", Value::Null) => Ok(Value::Null),
        ("bool", Value::Bool(b)) => Ok(Value::Bool(b)),
        ("int", Value::Int(i)) => Ok(Value::Int(i)),
        ("int", Value::Float(f)) if is_unsigned_int(text) => Ok(Value::Float(f)),
        ("float", Value::Float(f)) => Ok(Value::Float(f)),
        ("float", Value::Int(i)) => Ok(Value::Float(i as f64)),
        (_, found) => Err(format!(
            "cannot decode !!{} `{text}` as a !!{wanted}",
            tag_name(&found, text)
        )),
    }
}

/// The short tag go-yaml names a resolved value by.
fn tag_name(value: &Value, text: &str) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) if is_unsigned_int(text) => "int",
        Value::Float(_) => "float",
        _ => "str",
    }
}

fn is_unsigned_int(text: &str) -> bool {
    parse_uint(&text.replace('_', "")).is_some()
}

/// The value of an untagged plain scalar (go-yaml v2's `resolve` with no tag).
pub(super) fn plain(text: &str) -> Value {
    typed(text).unwrap_or_else(|| Value::String(String::from(text)))
}

/// The value of an untagged plain scalar that is not a string, or `None` for a
/// string (so callers can keep the text they own).
pub(super) fn typed(text: &str) -> Option<Value> {
    let Some(&first) = text.as_bytes().first() else {
        return Some(Value::Null);
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => named(text),
        b'.' => named(text).or_else(|| float(text)),
        b'+' | b'-' | b'0'..=b'9' => named(text).or_else(|| number(text)),
        _ => None,
    }
}

/// The words go-yaml v2 resolves by table.
fn named(text: &str) -> Option<Value> {
    Some(match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Value::Bool(false)
        }
        "~" | "null" | "Null" | "NULL" => Value::Null,
        ".nan" | ".NaN" | ".NAN" => Value::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Value::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

/// A number starting with a sign or digit: Go's `ParseInt(s, 0, 64)` after removing
/// underscores, then `ParseUint`, then the YAML float pattern.
fn number(text: &str) -> Option<Value> {
    let plain: Cow<str> = if text.contains('_') {
        Cow::Owned(text.replace('_', ""))
    } else {
        Cow::Borrowed(text)
    };
    if let Some(int) = parse_int(&plain) {
        return Some(Value::Int(int));
    }
    if let Some(uint) = parse_uint(&plain) {
        // Above i64::MAX: Kubernetes sees a uint64; the tree keeps it as a number.
        return Some(Value::Float(uint as f64));
    }
    float(&plain)
}

/// Go's `strconv.ParseInt(s, 0, 64)`: optional sign, then `0x`, `0o`, `0b` or a
/// leading `0` (octal) prefix.
fn parse_int(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    let magnitude = parse_uint(digits)?;
    if negative {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)` (no sign).
fn parse_uint(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    let (radix, digits) = match bytes {
        [b'0', prefix, _, ..] if prefix.eq_ignore_ascii_case(&b'x') => (16, text.get(2..)?),
        [b'0', prefix, _, ..] if prefix.eq_ignore_ascii_case(&b'o') => (8, text.get(2..)?),
        [b'0', prefix, _, ..] if prefix.eq_ignore_ascii_case(&b'b') => (2, text.get(2..)?),
        [b'0'] => return Some(0),
        [b'0', ..] => (8, text.get(1..)?),
        [] => return None,
        _ => (10, text),
    };
    let mut value: u64 = 0;
    for c in digits.chars() {
        let digit = c.to_digit(radix)?;
        value = value
            .checked_mul(u64::from(radix))?
            .checked_add(u64::from(digit))?;
    }
    Some(value)
}

/// go-yaml's float pattern `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`,
/// parsed; out-of-range values (Go's `ErrRange`) are not floats.
fn float(text: &str) -> Option<Value> {
    if !matches_float_pattern(text.as_bytes()) {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    value.is_finite().then_some(Value::Float(value))
}

fn matches_float_pattern(bytes: &[u8]) -> bool {
    let mut i = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits = |from: usize| {
        bytes.get(from..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        })
    };
    let integer = digits(i);
    i += integer;
    if bytes.get(i) == Some(&b'.') {
        let fraction = digits(i + 1);
        if integer == 0 && fraction == 0 {
            return false;
        }
        i += 1 + fraction;
    } else if integer == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exponent = digits(i);
        if exponent == 0 {
            return false;
        }
        i += exponent;
    }
    i == bytes.len()
}

#[cfg(test)]
mod tests;
