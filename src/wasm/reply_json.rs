//! Answers written as compact JSON for the JavaScript glue: byte for byte what
//! `serde_json::to_writer` writes, appended straight to one buffer.
//!
//! Why not serde_json itself here: the module is built for size (`opt-level = "z"`),
//! and there serde_json's writer is called through its generic `io::Write` and
//! `Formatter` layers for every quote, colon and comma, and scans strings a byte at
//! a time. Writing the 1.5 KB answer of a query took about 45 % of
//! `workspace.query(flow)` in Node (`--cpu-prof`). This writer appends to a
//! `Vec<u8>` and scans strings eight bytes at a time; floating-point numbers, which
//! answers seldom hold, are still written by serde_json. The tests compare the two
//! writers on every kind of value.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::{self, Display};

use serde::ser::{self, Serialize};

/// Writes `value` as compact JSON at the end of `out`.
pub fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), Error> {
    value.serialize(&mut Writer { out })
}

/// Why a value could not be written: a map key that is not a string or a number,
/// or the value's own error.
#[derive(Debug)]
pub struct Error(String);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl core::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(message: T) -> Error {
        Error(message.to_string())
    }
}

/// The buffer being written.
struct Writer<'o> {
    out: &'o mut Vec<u8>,
}

impl<'o> Writer<'o> {
    /// `text` as a JSON string, escaped as serde_json escapes.
    fn string(&mut self, text: &str) {
        self.out.push(b'"');
        self.contents(text);
        self.out.push(b'"');
    }

    /// `text` escaped, without its quotes.
    fn contents(&mut self, text: &str) {
        let mut rest = text.as_bytes();
        loop {
            let (plain, after) = rest
                .split_at_checked(plain_prefix(rest))
                .unwrap_or((rest, &[]));
            self.out.extend_from_slice(plain);
            let Some((&byte, after)) = after.split_first() else {
                break;
            };
            self.escape(byte);
            rest = after;
        }
    }

    /// The escape of `byte`: a short one (`\n`, `\"`...) or `\u00XX`.
    fn escape(&mut self, byte: u8) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let short = match byte {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0c => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            _ => 0,
        };
        if short != 0 {
            self.out.extend_from_slice(&[b'\\', short]);
        } else {
            let digit = |nibble: u8| HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
            self.out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                digit(byte >> 4),
                digit(byte & 15),
            ]);
        }
    }

    fn integer(&mut self, value: impl itoa::Integer) {
        self.out
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    /// Numbers JSON cannot hold exactly in a plain form (floats, 128-bit
    /// integers): serde_json writes them.
    fn by_serde_json(&mut self, value: &impl Serialize) -> Result<(), Error> {
        serde_json::to_writer(&mut *self.out, value).map_err(ser::Error::custom)
    }

    fn open<'w>(&'w mut self, bracket: u8, variant: Option<&'static str>) -> Compound<'w, 'o> {
        if let Some(variant) = variant {
            self.out.push(b'{');
            self.string(variant);
            self.out.push(b':');
        }
        self.out.push(bracket);
        Compound {
            writer: self,
            first: true,
            in_variant: variant.is_some(),
        }
    }
}

/// Whether JSON escapes `byte` in a string.
fn escaped(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// How many bytes at the start of `bytes` a JSON string holds as they are: eight
/// at a time while no byte of the eight is a control character, a quote or a
/// backslash (the bit tricks find such a byte exactly), then one at a time.
fn plain_prefix(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A high bit where a byte of `word` is below `n` (n <= 0x80), and only there
    // if none is.
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS;
    let mut done = 0;
    for chunk in bytes.chunks_exact(8) {
        let Ok(eight) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(eight);
        let special = below(word, 0x20)
            | below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1);
        if special != 0 {
            break;
        }
        done += 8;
    }
    let rest = bytes.get(done..).unwrap_or_default();
    done + rest.iter().position(|&b| escaped(b)).unwrap_or(rest.len())
}

/// An array or object being written.
struct Compound<'w, 'o> {
    writer: &'w mut Writer<'o>,
    first: bool,
    /// Inside `{"variant": ...}`: one more brace to close.
    in_variant: bool,
}

impl Compound<'_, '_> {
    fn comma(&mut self) {
        if !self.first {
            self.writer.out.push(b',');
        }
        self.first = false;
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        value.serialize(&mut *self.writer)
    }

    /// `"key":value`, after a comma unless first: the punctuation in two pieces
    /// rather than four (every field pays it).
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        let open: &[u8] = if self.first { b"\"" } else { b",\"" };
        self.first = false;
        self.writer.out.extend_from_slice(open);
        self.writer.contents(key);
        self.writer.out.extend_from_slice(b"\":");
        value.serialize(&mut *self.writer)
    }

    fn close(self, bracket: u8) -> Result<(), Error> {
        self.writer.out.push(bracket);
        if self.in_variant {
            self.writer.out.push(b'}');
        }
        Ok(())
    }
}

/// Serializer methods writing integers of up to 64 bits.
macro_rules! integers {
    ($($method:ident: $type:ty),*) => {$(
        fn $method(self, v: $type) -> Result<(), Error> {
            self.integer(v);
            Ok(())
        }
    )*};
}

/// Serializer methods leaving a number to serde_json (floats, 128-bit integers).
macro_rules! by_serde_json {
    ($($method:ident: $type:ty),*) => {$(
        fn $method(self, v: $type) -> Result<(), Error> {
            self.by_serde_json(&v)
        }
    )*};
}

impl<'w, 'o> ser::Serializer for &'w mut Writer<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'w, 'o>;
    type SerializeTuple = Compound<'w, 'o>;
    type SerializeTupleStruct = Compound<'w, 'o>;
    type SerializeTupleVariant = Compound<'w, 'o>;
    type SerializeMap = Compound<'w, 'o>;
    type SerializeStruct = Compound<'w, 'o>;
    type SerializeStructVariant = Compound<'w, 'o>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    integers!(
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64
    );

    by_serde_json!(
        serialize_i128: i128,
        serialize_u128: u128,
        serialize_f32: f32,
        serialize_f64: f64
    );

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut array = self.open(b'[', None);
        for byte in v {
            array.element(byte)?;
        }
        array.close(b']')
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut object = self.open(b'{', None);
        object.field(variant, value)?;
        object.close(b'}')
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'w, 'o>, Error> {
        Ok(self.open(b'[', None))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Compound<'w, 'o>, Error> {
        Ok(self.open(b'[', None))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'o>, Error> {
        Ok(self.open(b'[', None))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'o>, Error> {
        Ok(self.open(b'[', Some(variant)))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'w, 'o>, Error> {
        Ok(self.open(b'{', None))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'w, 'o>, Error> {
        Ok(self.open(b'{', None))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'o>, Error> {
        Ok(self.open(b'{', Some(variant)))
    }
}

/// The kinds of array serde tells apart, all written alike.
macro_rules! arrays {
    ($($kind:ident :: $add:ident),*) => {$(
        impl ser::$kind for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;

            fn $add<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }

            fn end(self) -> Result<(), Error> {
                self.close(b']')
            }
        }
    )*};
}

arrays!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    /// A key as serde_json writes it: a string as it is, a number or a boolean in
    /// quotes; anything else is an error.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        let start = self.writer.out.len();
        key.serialize(&mut *self.writer)?;
        match self.writer.out.get(start) {
            Some(b'"') => Ok(()),
            Some(b'-' | b'0'..=b'9' | b't' | b'f') => {
                self.writer.out.insert(start, b'"');
                self.writer.out.push(b'"');
                Ok(())
            }
            _ => Err(Error(String::from("key must be a string"))),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.writer.out.push(b':');
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        self.close(b'}')
    }
}

/// The kinds of object with named fields serde tells apart, written alike.
macro_rules! structs {
    ($($kind:ident),*) => {$(
        impl ser::$kind for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(key, value)
            }

            fn end(self) -> Result<(), Error> {
                self.close(b'}')
            }
        }
    )*};
}

structs!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeMap;
    use alloc::vec;
    use serde::Serialize;
    use serde_json::json;

    fn ours<T: Serialize + ?Sized>(value: &T) -> String {
        let mut out = Vec::new();
        write(&mut out, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn same_as_serde_json<T: Serialize + ?Sized>(value: &T) {
        assert_eq!(ours(value), serde_json::to_string(value).unwrap());
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut every_byte = String::new();
        for byte in 0u8..0x80 {
            every_byte.push(char::from(byte));
        }
        same_as_serde_json(&every_byte);
        same_as_serde_json("naïve — ünïcödé ✓ 𝄞 \u{7f}");
        // A special byte at every offset of an eight-byte word, and none.
        for special in ['"', '\\', '\n', '\u{1}', '\u{1f}'] {
            for at in 0..20 {
                let mut text: String = "abcdefghijklmnopqrst".into();
                text.insert(at, special);
                same_as_serde_json(&text);
            }
        }
        same_as_serde_json("0123456789abcdef0123456789abcdef");
        same_as_serde_json("");
    }

    #[test]
    fn every_kind_of_value_is_written_as_serde_json_writes_it() {
        same_as_serde_json(&json!({
            "null": null, "true": true, "false": false,
            "numbers": [0, -1, 1, i64::MIN, u64::MAX, 1.5, -0.0, 1e300, 0.1],
            "nested": {"empty": {}, "list": [], "deep": [[{"a": [1, {"b": "c"}]}]]},
            "text": "line\nbreak \"quoted\" back\\slash",
        }));
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Record {
            unit: (),
            some: Option<u8>,
            none: Option<u8>,
            #[serde(skip_serializing_if = "Option::is_none")]
            skipped: Option<u8>,
            tuple: (u16, char, f32),
            bytes: Vec<u8>,
            variants: Vec<Variant>,
            numeric_keys: BTreeMap<i32, bool>,
            bool_keys: BTreeMap<bool, &'static str>,
            big: (i128, u128),
        }
        #[derive(Serialize)]
        enum Variant {
            Unit,
            Newtype(u32),
            Tuple(u8, u8),
            Struct { a: u8, b: &'static str },
        }
        same_as_serde_json(&Record {
            unit: (),
            some: Some(7),
            none: None,
            skipped: None,
            tuple: (65535, '"', f32::NAN),
            bytes: vec![0, 255],
            variants: vec![
                Variant::Unit,
                Variant::Newtype(3),
                Variant::Tuple(1, 2),
                Variant::Struct { a: 1, b: "x" },
            ],
            numeric_keys: BTreeMap::from([(-3, true), (12, false)]),
            bool_keys: BTreeMap::from([(false, "no"), (true, "yes")]),
            big: (i128::MIN, u128::MAX),
        });
    }

    #[test]
    fn a_key_that_is_not_a_string_or_a_number_is_an_error() {
        let map = BTreeMap::from([(vec![1], 2)]);
        let mut out = Vec::new();
        assert!(write(&mut out, &map).is_err());
        assert!(serde_json::to_string(&map).is_err());
    }
}
