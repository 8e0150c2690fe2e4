//! The field registry: every field Reef knows is declared once, as data, in its protocol's
//! file. Tree labels, display filters, `-T fields -e`, columns and completion all read it.
//!
//! A field is identified by the address of its `static FieldDef`, so a tree node carries a
//! `&'static FieldDef` and needs no lookup table on the hot path.

/// The type of a field's value, as Wireshark's ftypes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FieldType {
    /// A protocol (existence only; its bytes are the layer).
    Protocol,
    /// No value; presence is the information (e.g. `tcp.analysis.flags`).
    None,
    Uint8,
    Uint16,
    Uint24,
    Uint32,
    Uint64,
    Int32,
    Bool,
    Ipv4,
    Ipv6,
    Ether,
    Bytes,
    String,
    Double,
    /// Absolute time, nanoseconds since the epoch.
    AbsTime,
    /// Relative time, nanoseconds.
    RelTime,
    /// A frame number (other frames this one refers to).
    FrameNum,
}

impl FieldType {
    /// Wireshark's name for the type, as `tshark -G fields` prints it.
    pub fn ws_name(self) -> &'static str {
        match self {
            FieldType::Protocol => "FT_PROTOCOL",
            FieldType::None => "FT_NONE",
            FieldType::Uint8 => "FT_UINT8",
            FieldType::Uint16 => "FT_UINT16",
            FieldType::Uint24 => "FT_UINT24",
            FieldType::Uint32 => "FT_UINT32",
            FieldType::Uint64 => "FT_UINT64",
            FieldType::Int32 => "FT_INT32",
            FieldType::Bool => "FT_BOOLEAN",
            FieldType::Ipv4 => "FT_IPv4",
            FieldType::Ipv6 => "FT_IPv6",
            FieldType::Ether => "FT_ETHER",
            FieldType::Bytes => "FT_BYTES",
            FieldType::String => "FT_STRING",
            FieldType::Double => "FT_DOUBLE",
            FieldType::AbsTime => "FT_ABSOLUTE_TIME",
            FieldType::RelTime => "FT_RELATIVE_TIME",
            FieldType::FrameNum => "FT_FRAMENUM",
        }
    }

    pub fn is_unsigned(self) -> bool {
        matches!(
            self,
            FieldType::Uint8 | FieldType::Uint16 | FieldType::Uint24 | FieldType::Uint32 | FieldType::Uint64 | FieldType::FrameNum
        )
    }
}

/// How an integer is displayed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Base {
    None,
    Dec,
    Hex,
    DecHex,
    HexDec,
    /// Absolute times: local (Wireshark's default), UTC, or seconds since the epoch.
    TimeLocal,
    TimeUtc,
    TimeUnix,
}

impl Base {
    pub fn ws_name(self) -> &'static str {
        match self {
            Base::None => "BASE_NONE",
            Base::Dec => "BASE_DEC",
            Base::Hex => "BASE_HEX",
            Base::DecHex => "BASE_DEC_HEX",
            Base::HexDec => "BASE_HEX_DEC",
            Base::TimeLocal => "ABSOLUTE_TIME_LOCAL",
            Base::TimeUtc => "ABSOLUTE_TIME_UTC",
            Base::TimeUnix => "ABSOLUTE_TIME_UNIX",
        }
    }
}

/// A value-string table: names for integer values.
pub type ValueStrings = &'static [(u64, &'static str)];

/// One field, declared once.
#[derive(Debug)]
pub struct FieldDef {
    /// Display name ("Source Port").
    pub name: &'static str,
    /// Filter name ("tcp.srcport").
    pub abbrev: &'static str,
    pub ftype: FieldType,
    pub base: Base,
    pub strings: Option<ValueStrings>,
    /// For bit fields: the mask within the containing integer (0 = whole value).
    pub bitmask: u64,
    /// Width in bits of the containing integer, for rendering `..1. ....` patterns.
    pub bitwidth: u8,
    /// The strings name special values only; others show as plain numbers, not "Unknown"
    /// (Wireshark's `BASE_SPECIAL_VALS`).
    pub special_vals: bool,
    pub blurb: &'static str,
}

impl FieldDef {
    pub const fn new(name: &'static str, abbrev: &'static str, ftype: FieldType) -> FieldDef {
        let base = match ftype {
            FieldType::Uint8 | FieldType::Uint16 | FieldType::Uint24 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Int32 => {
                Base::Dec
            }
            FieldType::AbsTime => Base::TimeLocal,
            _ => Base::None,
        };
        FieldDef { name, abbrev, ftype, base, strings: None, bitmask: 0, bitwidth: 0, special_vals: false, blurb: "" }
    }
    pub const fn protocol(name: &'static str, abbrev: &'static str) -> FieldDef {
        FieldDef::new(name, abbrev, FieldType::Protocol)
    }
    pub const fn base(mut self, base: Base) -> FieldDef {
        self.base = base;
        self
    }
    pub const fn strings(mut self, strings: ValueStrings) -> FieldDef {
        self.strings = Some(strings);
        self
    }
    /// Strings for a few special values (`BASE_SPECIAL_VALS`).
    pub const fn special_vals(mut self, strings: ValueStrings) -> FieldDef {
        self.strings = Some(strings);
        self.special_vals = true;
        self
    }
    /// A bit field of an integer `bitwidth` bits wide.
    pub const fn bits(mut self, bitwidth: u8, mask: u64) -> FieldDef {
        self.bitwidth = bitwidth;
        self.bitmask = mask;
        self
    }
    pub const fn blurb(mut self, blurb: &'static str) -> FieldDef {
        self.blurb = blurb;
        self
    }

    /// The protocol this field belongs to: the abbrev up to the first dot.
    pub fn protocol_abbrev(&self) -> &'static str {
        match self.abbrev.find('.') {
            Some(i) => &self.abbrev[..i],
            None => self.abbrev,
        }
    }

    /// The name for `value` in the field's value strings, if any.
    pub fn value_name(&self, value: u64) -> Option<&'static str> {
        self.strings.and_then(|vs| vs.iter().find(|(v, _)| *v == value).map(|(_, s)| *s))
    }
}

/// Every field of every protocol, in registration order.
pub fn all_fields() -> impl Iterator<Item = &'static FieldDef> {
    crate::proto::FIELD_TABLES.iter().flat_map(|t| t.iter().copied())
}

/// Looks a field or protocol up by its filter name.
pub fn find_field(abbrev: &str) -> Option<&'static FieldDef> {
    all_fields().find(|f| f.abbrev == abbrev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_filter_name_is_declared_once() {
        let mut seen = HashSet::new();
        for f in all_fields() {
            assert!(seen.insert(f.abbrev), "{} declared twice", f.abbrev);
        }
        assert!(find_field("tcp.srcport").is_some());
        assert!(find_field("tcp.nonexistent").is_none());
    }

    #[test]
    fn every_bitfield_fits_its_width() {
        for f in all_fields().filter(|f| f.bitmask != 0) {
            assert!(f.bitwidth > 0 && f.bitwidth <= 64, "{}", f.abbrev);
            assert!(f.bitwidth == 64 || f.bitmask >> f.bitwidth == 0, "{} mask exceeds width", f.abbrev);
        }
    }
}
