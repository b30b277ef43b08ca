use super::*;

fn s(text: &str) -> Value {
    Value::String(text.into())
}

#[test]
fn plain_scalars_resolve_like_go_yaml_v2() {
    let table = [
        ("", Value::Null),
        ("~", Value::Null),
        ("null", Value::Null),
        ("Null", Value::Null),
        ("NULL", Value::Null),
        ("nULL", s("nULL")),
        ("y", Value::Bool(true)),
        ("Y", Value::Bool(true)),
        ("yes", Value::Bool(true)),
        ("Yes", Value::Bool(true)),
        ("YES", Value::Bool(true)),
        ("on", Value::Bool(true)),
        ("On", Value::Bool(true)),
        ("ON", Value::Bool(true)),
        ("true", Value::Bool(true)),
        ("True", Value::Bool(true)),
        ("TRUE", Value::Bool(true)),
        ("n", Value::Bool(false)),
        ("N", Value::Bool(false)),
        ("no", Value::Bool(false)),
        ("No", Value::Bool(false)),
        ("NO", Value::Bool(false)),
        ("off", Value::Bool(false)),
        ("Off", Value::Bool(false)),
        ("OFF", Value::Bool(false)),
        ("false", Value::Bool(false)),
        ("False", Value::Bool(false)),
        ("FALSE", Value::Bool(false)),
        ("yES", s("yES")),
        ("tRUE", s("tRUE")),
        ("oN", s("oN")),
        ("0", Value::Int(0)),
        ("-0", Value::Int(0)),
        ("12", Value::Int(12)),
        ("+12", Value::Int(12)),
        ("-12", Value::Int(-12)),
        ("1_000", Value::Int(1000)),
        ("0x1F", Value::Int(31)),
        ("0X1f", Value::Int(31)),
        ("-0x10", Value::Int(-16)),
        ("0o17", Value::Int(15)),
        ("017", Value::Int(15)),
        ("0b101", Value::Int(5)),
        ("-0b11", Value::Int(-3)),
        ("08", Value::Float(8.0)),
        ("0x", s("0x")),
        ("0xG", s("0xG")),
        ("9223372036854775807", Value::Int(i64::MAX)),
        ("-9223372036854775808", Value::Int(i64::MIN)),
        (
            "9223372036854775808",
            Value::Float(9_223_372_036_854_775_808.0),
        ),
        ("1.5", Value::Float(1.5)),
        ("-1.5", Value::Float(-1.5)),
        ("1.", Value::Float(1.0)),
        (".5", Value::Float(0.5)),
        ("+.5", Value::Float(0.5)),
        ("1e3", Value::Float(1000.0)),
        ("1.e3", Value::Float(1000.0)),
        ("6.02E+23", Value::Float(6.02e23)),
        ("1_0.5", Value::Float(10.5)),
        ("1e400", s("1e400")),
        (".inf", Value::Float(f64::INFINITY)),
        ("+.Inf", Value::Float(f64::INFINITY)),
        ("-.INF", Value::Float(f64::NEG_INFINITY)),
        (".5.", s(".5.")),
        (".", s(".")),
        ("-", s("-")),
        ("1e", s("1e")),
        ("e3", s("e3")),
        ("1:20", s("1:20")),
        ("2001-12-14", s("2001-12-14")),
        ("10.0.0.0/8", s("10.0.0.0/8")),
        ("80/TCP", s("80/TCP")),
        ("<<", s("<<")),
        ("inf", s("inf")),
        ("nan", s("nan")),
        ("app", s("app")),
        ("café", s("café")),
    ];
    for (text, want) in table {
        assert_eq!(plain(text), want, "{text:?}");
    }
    assert!(matches!(plain(".nan"), Value::Float(f) if f.is_nan()));
    assert!(matches!(plain(".NaN"), Value::Float(f) if f.is_nan()));
}

#[test]
fn quoted_scalars_are_strings() {
    for style in [
        ScalarStyle::SingleQuoted,
        ScalarStyle::DoubleQuoted,
        ScalarStyle::Literal,
        ScalarStyle::Folded,
    ] {
        assert_eq!(resolve("yes", style, None), Ok(s("yes")));
        assert_eq!(resolve("12", style, None), Ok(s("12")));
        assert_eq!(resolve("", style, None), Ok(s("")));
    }
}

#[test]
fn explicit_tags_decide() {
    let core = |suffix: &str| Tag {
        handle: "tag:yaml.org,2002:".into(),
        suffix: suffix.into(),
    };
    let plain_style = ScalarStyle::Plain;
    let quoted = ScalarStyle::DoubleQuoted;
    assert_eq!(resolve("12", plain_style, Some(&core("str"))), Ok(s("12")));
    assert_eq!(
        resolve("yes", plain_style, Some(&core("str"))),
        Ok(s("yes"))
    );
    assert_eq!(
        resolve("12", quoted, Some(&core("int"))),
        Ok(Value::Int(12))
    );
    assert_eq!(
        resolve("12", plain_style, Some(&core("float"))),
        Ok(Value::Float(12.0))
    );
    assert_eq!(
        resolve("yes", quoted, Some(&core("bool"))),
        Ok(Value::Bool(true))
    );
    assert_eq!(
        resolve("~", plain_style, Some(&core("null"))),
        Ok(Value::Null)
    );
    assert_eq!(
        resolve("abc", plain_style, Some(&core("int"))),
        Err("cannot decode !!str `abc` as a !!int".into())
    );
    assert_eq!(
        resolve("1.5", plain_style, Some(&core("int"))),
        Err("cannot decode !!float `1.5` as a !!int".into())
    );
    let local = Tag {
        handle: "!".into(),
        suffix: "foo".into(),
    };
    assert_eq!(resolve("12", plain_style, Some(&local)), Ok(s("12")));
}
