//! `quic`: IETF QUIC (RFC 9000) over UDP, as TShark 4.0 shows it without TLS secrets: every
//! packet of a datagram (coalesced packets each get a `QUIC IETF` item), long headers with
//! version and connection IDs, short headers named by the connection ID the connection set up.
//! Initial packets are protected with keys anyone can derive from the client's first
//! Destination Connection ID (RFC 9001 section 5.2), so, like TShark, Reef removes that
//! protection (`quic_initial.rs`) and shows the packet number and frames, and the TLS
//! ClientHello/ServerHello in CRYPTO frames. Handshake, 0-RTT and 1-RTT packets need the TLS
//! secrets, which a capture does not hold.
//!
//! TShark registers no UDP port for QUIC: a heuristic recognises long headers of known versions
//! and then claims the whole UDP conversation, so short headers that follow are QUIC too.

use crate::analysis::quic::{Cid, QuicConn};
use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::quic_initial;
use crate::tree::Value;
use std::fmt::Write;

const LONG_HEADER: u8 = 0x80;
const MAX_CID_LEN: usize = 20;
pub const TYPE_INITIAL: u8 = 0;
pub const TYPE_0RTT: u8 = 1;
pub const TYPE_HANDSHAKE: u8 = 2;
pub const TYPE_RETRY: u8 = 3;

static HEADER_FORMS: &[(u64, &str)] = &[(0, "Short Header"), (1, "Long Header")];
static PACKET_TYPES: &[(u64, &str)] = &[(0, "Initial"), (1, "0-RTT"), (2, "Handshake"), (3, "Retry")];
static PN_LENGTHS: &[(u64, &str)] = &[(0, "1 bytes"), (1, "2 bytes"), (2, "3 bytes"), (3, "4 bytes")];
static VERSIONS: &[(u64, &str)] = &[
    (0x0000_0000, "Negotiation"),
    (0x0000_0001, "1"),
    (0x6b33_43cf, "2"),
    (0x709a_50c4, "2 (draft-00)"),
    (0xff00_001d, "draft-29"),
    (0xff00_001e, "draft-30"),
    (0xff00_001f, "draft-31"),
    (0xff00_0020, "draft-32"),
    (0xff00_0021, "draft-33"),
    (0xff00_0022, "draft-34"),
];

pub static QUIC: FieldDef = FieldDef::protocol("QUIC IETF", "quic");
pub static CONNECTION_NUMBER: FieldDef = FieldDef::new("Connection Number", "quic.connection.number", FieldType::Uint32);
pub static PACKET_LENGTH: FieldDef = FieldDef::new("Packet Length", "quic.packet_length", FieldType::Uint32);
pub static HEADER_FORM: FieldDef =
    FieldDef::new("Header Form", "quic.header_form", FieldType::Uint8).strings(HEADER_FORMS).bits(8, 0x80);
pub static FIXED_BIT: FieldDef = FieldDef::new("Fixed Bit", "quic.fixed_bit", FieldType::Bool).bits(8, 0x40);
pub static SPIN_BIT: FieldDef = FieldDef::new("Spin Bit", "quic.spin_bit", FieldType::Bool).bits(8, 0x20);
pub static LONG_PACKET_TYPE: FieldDef =
    FieldDef::new("Packet Type", "quic.long.packet_type", FieldType::Uint8).strings(PACKET_TYPES).bits(8, 0x30);
pub static LONG_RESERVED: FieldDef = FieldDef::new("Reserved", "quic.long.reserved", FieldType::Uint8).bits(8, 0x0c);
pub static PN_LENGTH: FieldDef =
    FieldDef::new("Packet Number Length", "quic.packet_number_length", FieldType::Uint8).strings(PN_LENGTHS).bits(8, 0x03);
pub static VERSION: FieldDef = FieldDef::new("Version", "quic.version", FieldType::Uint32).base(Base::Hex).strings(VERSIONS);
pub static DCIL: FieldDef = FieldDef::new("Destination Connection ID Length", "quic.dcil", FieldType::Uint8);
pub static DCID: FieldDef = FieldDef::new("Destination Connection ID", "quic.dcid", FieldType::Bytes);
pub static SCIL: FieldDef = FieldDef::new("Source Connection ID Length", "quic.scil", FieldType::Uint8);
pub static SCID: FieldDef = FieldDef::new("Source Connection ID", "quic.scid", FieldType::Bytes);
pub static TOKEN_LENGTH: FieldDef = FieldDef::new("Token Length", "quic.token_length", FieldType::Uint64);
pub static TOKEN: FieldDef = FieldDef::new("Token", "quic.token", FieldType::Bytes);
pub static LENGTH: FieldDef = FieldDef::new("Length", "quic.length", FieldType::Uint64);
pub static PACKET_NUMBER: FieldDef = FieldDef::new("Packet Number", "quic.packet_number", FieldType::Uint64);
pub static PAYLOAD: FieldDef = FieldDef::new("Payload", "quic.payload", FieldType::Bytes);
pub static REMAINING_PAYLOAD: FieldDef = FieldDef::new("Remaining Payload", "quic.remaining_payload", FieldType::Bytes);
pub static SHORT: FieldDef = FieldDef::new("QUIC Short Header", "quic.short", FieldType::None);
pub static SUPPORTED_VERSION: FieldDef =
    FieldDef::new("Supported Version", "quic.supported_version", FieldType::Uint32).base(Base::Hex).strings(VERSIONS);
pub static VN_UNUSED: FieldDef = FieldDef::new("Unused", "quic.vn.unused", FieldType::Uint8).base(Base::Hex).bits(8, 0x7f);
pub static RETRY_TOKEN: FieldDef = FieldDef::new("Retry Token", "quic.retry_token", FieldType::Bytes);
pub static RETRY_TAG: FieldDef = FieldDef::new("Retry Integrity Tag", "quic.retry_integrity_tag", FieldType::Bytes);
pub static DECRYPTION_FAILED: FieldDef = FieldDef::new("Decryption failed", "quic.decryption_failed", FieldType::None);

pub static FIELDS: &[&FieldDef] = &[
    &QUIC, &CONNECTION_NUMBER, &PACKET_LENGTH, &HEADER_FORM, &FIXED_BIT, &SPIN_BIT, &LONG_PACKET_TYPE, &LONG_RESERVED,
    &PN_LENGTH, &VERSION, &DCIL, &DCID, &SCIL, &SCID, &TOKEN_LENGTH, &TOKEN, &LENGTH, &PACKET_NUMBER, &PAYLOAD,
    &REMAINING_PAYLOAD, &SHORT, &SUPPORTED_VERSION, &VN_UNUSED, &RETRY_TOKEN, &RETRY_TAG, &DECRYPTION_FAILED,
];

pub static HANDOFFS: &[Registration] = &[crate::stateful_heuristic!(Table::UdpHeuristic, "quic", claims, heuristic)];

/// Versions the heuristic accepts (Wireshark: draft 11 and later, v1, v2, mvfst drafts).
fn is_known_version(v: u32) -> bool {
    matches!(v, 0x0000_0001 | 0x6b33_43cf | 0x709a_50c4)
        || (0xff00_000b..=0xff00_00ff).contains(&v)
        || (0xface_b001..=0xface_b00f).contains(&v)
}

/// A QUIC variable-length integer at `at`: (value, its length), None past the end.
pub fn varint(l: &Layer, at: usize) -> Option<(u64, usize)> {
    if at >= l.len {
        return None;
    }
    let n = 1usize << (l.u8(at) >> 6);
    if at + n > l.len {
        return None;
    }
    let mut v = (l.u8(at) & 0x3f) as u64;
    for i in 1..n {
        v = (v << 8) | l.u8(at + i) as u64;
    }
    Some((v, n))
}

#[cfg(test)]
fn quic_initial_salt_v1() -> [u8; 20] {
    quic_initial::SALT_V1
}

fn cid_hex(b: &[u8]) -> String {
    crate::crypto::hex(b)
}

/// The UDP conversation of this payload, from the UDP analysis.
fn udp_stream(ctx: &Ctx) -> Option<u32> {
    let ordinal = ctx.udp_layers.checked_sub(1)?;
    ctx.state.udp.stored(ctx.meta.number, ordinal)
}

/// Wireshark's `dissect_quic_heur`: a long header of a known version with sane connection ID
/// lengths claims the UDP conversation; later datagrams of it are QUIC whatever they look like.
fn claims(ctx: &Ctx, layer: &Layer) -> bool {
    let stream = match udp_stream(ctx) {
        Some(s) => s,
        None => return false,
    };
    if ctx.state.quic.claimed_before(stream, ctx.meta.number) {
        return true;
    }
    if layer.len < 13 || layer.u8(0) & LONG_HEADER == 0 || !is_known_version(layer.u32(1)) {
        return false;
    }
    let dcil = layer.u8(5) as usize;
    dcil <= MAX_CID_LEN && 6 + dcil < layer.len && layer.u8(6 + dcil) as usize <= MAX_CID_LEN
}

fn heuristic(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    match udp_stream(ctx) {
        Some(stream) => dissect(ctx, parent, layer, stream),
        None => Ok(0),
    }
}

/// Per-datagram working state: the connection (a local copy) and whether this is the first
/// packet of the datagram.
struct Datagram {
    conn: QuicConn,
    first: bool,
}

fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer, stream: u32) -> DResult<usize> {
    let frame = ctx.meta.number;
    let ordinal = ctx.udp_layers.saturating_sub(1);
    let revisit = ctx.revisit;
    let mut d = Datagram { conn: ctx.state.quic.begin(frame, ordinal, stream, revisit), first: true };
    if d.conn.claimed_from == 0 {
        d.conn.claimed_from = frame;
    }
    ctx.cols.set_protocol("QUIC");
    ctx.cols.info.clear();
    ctx.protocols.push(QUIC.abbrev);
    let mut at = 0;
    // Coalesced packets (RFC 9000 section 12.2): a long header's Length bounds it; a short
    // header takes the rest of the datagram. Every step moves forward.
    while at < layer.reported {
        let rest = layer.sub(at, "QUIC");
        let n = packet(ctx, parent, &rest, &mut d)?;
        if n == 0 {
            break;
        }
        at += n;
        d.first = false;
    }
    if !revisit {
        ctx.state.quic.commit(stream, d.conn);
    }
    Ok(layer.reported)
}

/// The extent of the packet at the start of `l` (its Length field for long headers).
fn packet_extent(l: &Layer) -> usize {
    if l.u8(0) & LONG_HEADER == 0 || l.u32(1) == 0 {
        return l.reported;
    }
    let ptype = (l.u8(0) >> 4) & 3;
    let mut at = 6 + l.u8(5) as usize;
    at += 1 + l.u8(at) as usize;
    if ptype == TYPE_RETRY {
        return l.reported;
    }
    if ptype == TYPE_INITIAL {
        match varint(l, at) {
            Some((t, n)) => at += n + t as usize,
            None => return l.reported,
        }
    }
    match varint(l, at) {
        Some((len, n)) => (at + n).saturating_add(len as usize).min(l.reported),
        None => l.reported,
    }
}

fn packet(ctx: &mut Ctx, parent: u32, rest: &Layer, d: &mut Datagram) -> DResult<usize> {
    let extent = packet_extent(rest).max(1);
    let l = rest.limit(extent);
    let top = ctx.tree.add(parent, &QUIC, l.start, l.len, Value::None);
    if ctx.tree.enabled() && d.first {
        let info = ctx.add(top, &crate::proto::frame::TEXT, &l, 0, 0, Value::None);
        ctx.tree.set_label(info, "QUIC Connection information".to_string());
        ctx.tree.add_generated(info, &CONNECTION_NUMBER, Value::Uint(d.conn.number as u64));
    }
    ctx.tree.add_generated(top, &PACKET_LENGTH, Value::Uint(extent as u64));
    let flags = l.u8(0);
    let end = if flags & LONG_HEADER == 0 {
        short_header(ctx, top, &l, d)
    } else if l.u32(1) == 0 {
        version_negotiation(ctx, top, &l)?
    } else {
        long_header(ctx, top, &l, d)?
    };
    if end < l.reported {
        ctx.add(top, &REMAINING_PAYLOAD, &l, end, l.len.saturating_sub(end), Value::Bytes);
    }
    Ok(extent)
}

/// Connection IDs of a long header at 5..: (offset after them, DCID, SCID).
fn read_cids(l: &Layer) -> DResult<(usize, Cid, Cid)> {
    let dcil = l.u8(5) as usize;
    l.need(6 + dcil + 1)?;
    let scil = l.u8(6 + dcil) as usize;
    l.need(7 + dcil + scil)?;
    Ok((7 + dcil + scil, Cid::new(l.slice(6, dcil)), Cid::new(l.slice(7 + dcil, scil))))
}

/// Version and connection IDs (`dissect_quic_long_header_common`), with their Info items.
fn add_cids(ctx: &mut Ctx, top: u32, l: &Layer, dcid: &Cid, scid: &Cid) {
    let (dcil, scil) = (dcid.len as usize, scid.len as usize);
    ctx.add_uint(top, &VERSION, l, 1, 4, l.u32(1) as u64);
    ctx.add_uint(top, &DCIL, l, 5, 1, dcil as u64);
    if dcil > 0 {
        ctx.add(top, &DCID, l, 6, dcil, Value::Bytes);
        let _ = write!(ctx.cols.info, ", DCID={}", cid_hex(dcid.as_slice()));
    }
    ctx.add_uint(top, &SCIL, l, 6 + dcil, 1, scil as u64);
    if scil > 0 {
        ctx.add(top, &SCID, l, 7 + dcil, scil, Value::Bytes);
        let _ = write!(ctx.cols.info, ", SCID={}", cid_hex(scid.as_slice()));
    }
}

fn version_negotiation(ctx: &mut Ctx, top: u32, l: &Layer) -> DResult<usize> {
    ctx.cols.set_info("Version Negotiation");
    ctx.add_uint(top, &VN_UNUSED, l, 0, 1, (l.u8(0) & 0x7f) as u64);
    let (mut at, dcid, scid) = read_cids(l)?;
    add_cids(ctx, top, l, &dcid, &scid);
    while at + 4 <= l.len {
        let n = ctx.add_uint(top, &SUPPORTED_VERSION, l, at, 4, l.u32(at) as u64);
        if l.u32(at) & 0x0f0f_0f0f == 0x0a0a_0a0a {
            ctx.tree.append_text(n, " (GREASE)");
        }
        at += 4;
    }
    Ok(at)
}

/// Which side sent a long-header packet, learning the connection's IDs on the way.
fn learn_long(conn: &mut QuicConn, ptype: u8, dcid: &Cid, scid: &Cid) -> bool {
    if !conn.has_client && ptype == TYPE_INITIAL {
        conn.has_client = true;
        conn.client_cid = *scid;
        conn.original_dcid = *dcid;
        return false;
    }
    let from_server = conn.has_client && dcid == &conn.client_cid;
    if from_server && !conn.has_server_cid && ptype != TYPE_RETRY {
        conn.has_server_cid = true;
        conn.server_cid = *scid;
    }
    from_server
}

/// Wireshark's `ei_quic_decryption_failed` (Warning, group Decryption), written out as the
/// expert item `tshark -V` prints, since the tree's expert groups have no Decryption yet.
fn decryption_failed(ctx: &mut Ctx, top: u32, l: &Layer, message: &str) {
    if !ctx.tree.enabled() {
        return;
    }
    let e = ctx.add(top, &DECRYPTION_FAILED, l, 0, 0, Value::None);
    ctx.tree.set_label(e, format!("[Expert Info (Warning/Decryption): {}]", message));
    for line in [message.to_string(), "Severity level: Warning".to_string(), "Group: Decryption".to_string()] {
        let n = ctx.add(e, &crate::proto::frame::TEXT, l, 0, 0, Value::None);
        ctx.tree.set_label(n, format!("[{}]", line));
    }
}

/// A one-bit boolean as Wireshark labels plain FT_BOOLEAN bits: `.1.. .... = Fixed Bit: True`.
fn bool_label(ctx: &mut Ctx, n: u32, pattern: &str, name: &str, set: bool) {
    if ctx.tree.enabled() {
        let bits = pattern.replace('x', if set { "1" } else { "0" });
        ctx.tree.set_label(n, format!("{}{}: {}", bits, name, if set { "True" } else { "False" }));
    }
}

fn malformed(l: &Layer, at: usize, reason: &'static str) -> crate::packet::DissectError {
    crate::packet::DissectError::Malformed { layer: "QUIC", offset: l.abs(at), reason }
}

fn long_header(ctx: &mut Ctx, top: u32, l: &Layer, d: &mut Datagram) -> DResult<usize> {
    let flags = l.u8(0);
    let ptype = (flags >> 4) & 3;
    let (cids_end, dcid, scid) = read_cids(l)?;
    let from_server = learn_long(&mut d.conn, ptype, &dcid, &scid);
    // Header fields first (the packet number's position), then protection, then the tree in
    // Wireshark's order: the unprotected low bits of the first byte come right after its type.
    let mut at = cids_end;
    let mut token = (0u64, 0usize, at);
    if ptype == TYPE_INITIAL {
        let (t, n) = varint(l, at).ok_or_else(|| malformed(l, at, "bad token length"))?;
        token = (t, n, at);
        at += n + t as usize;
        l.need(at)?;
    }
    let length_at = at;
    let (length, length_len) = if ptype == TYPE_RETRY { (0, 0) } else { varint(l, at).ok_or_else(|| malformed(l, at, "bad length"))? };
    at += length_len;
    let opened = if ptype == TYPE_INITIAL && d.conn.has_client {
        quic_initial::open(l, at, length as usize, &d.conn, from_server)
    } else {
        None
    };
    ctx.cols.set_info(PACKET_TYPES[ptype as usize].1);
    ctx.add_uint(top, &HEADER_FORM, l, 0, 1, 1);
    let fixed = ctx.add(top, &FIXED_BIT, l, 0, 1, Value::Bool(flags & 0x40 != 0));
    bool_label(ctx, fixed, ".x.. .... = ", "Fixed Bit", flags & 0x40 != 0);
    ctx.add_uint(top, &LONG_PACKET_TYPE, l, 0, 1, ptype as u64);
    if let Some(p) = &opened {
        ctx.add_uint(top, &LONG_RESERVED, l, 0, 1, ((p.first_byte >> 2) & 3) as u64);
        ctx.add_uint(top, &PN_LENGTH, l, 0, 1, (p.first_byte & 3) as u64);
    }
    add_cids(ctx, top, l, &dcid, &scid);
    if ptype == TYPE_RETRY {
        ctx.cols.set_info("Retry");
        if dcid.len > 0 {
            let _ = write!(ctx.cols.info, ", DCID={}", cid_hex(dcid.as_slice()));
        }
        if scid.len > 0 {
            let _ = write!(ctx.cols.info, ", SCID={}", cid_hex(scid.as_slice()));
        }
        let token_len = l.reported.saturating_sub(cids_end + 16);
        ctx.add(top, &RETRY_TOKEN, l, cids_end, token_len, Value::Bytes);
        ctx.add(top, &RETRY_TAG, l, cids_end + token_len, l.reported - cids_end - token_len, Value::Bytes);
        return Ok(l.reported);
    }
    if ptype == TYPE_INITIAL {
        ctx.add_uint(top, &TOKEN_LENGTH, l, token.2, token.1, token.0);
        if token.0 > 0 {
            ctx.add(top, &TOKEN, l, token.2 + token.1, token.0 as usize, Value::Bytes);
        }
    }
    ctx.add_uint(top, &LENGTH, l, length_at, length_len, length);
    let p = match opened {
        Some(p) => p,
        None => {
            let why = match ptype {
                TYPE_INITIAL if d.conn.has_client => "Header deprotection failed",
                TYPE_INITIAL => "Missing the client's first Initial",
                _ => "Secrets are not available",
            };
            decryption_failed(ctx, top, l, &format!("Failed to create decryption context: {}", why));
            return Ok(at);
        }
    };
    let side = from_server as usize;
    let pn = quic_initial::full_packet_number(d.conn.largest_pn[side][0], p.truncated_pn, p.pn_len);
    d.conn.largest_pn[side][0] = Some(d.conn.largest_pn[side][0].map_or(pn, |m| m.max(pn)));
    ctx.add_uint(top, &PACKET_NUMBER, l, at, p.pn_len, pn);
    let _ = write!(ctx.cols.info, ", PKN: {}", pn);
    let payload_start = at + p.pn_len;
    let payload_end = (at + length as usize).min(l.len);
    ctx.add(top, &PAYLOAD, l, payload_start, payload_end.saturating_sub(payload_start), Value::Bytes);
    quic_initial::frames(ctx, top, &p);
    Ok(l.reported)
}

fn short_header(ctx: &mut Ctx, top: u32, l: &Layer, d: &mut Datagram) -> usize {
    let flags = l.u8(0);
    // The destination's ID decides the direction: the server's ID is addressed by the client.
    let rest = l.slice(1, MAX_CID_LEN);
    let dcid_len = if d.conn.has_server_cid && rest.starts_with(d.conn.server_cid.as_slice()) {
        d.conn.server_cid.len as usize
    } else if d.conn.has_client && rest.starts_with(d.conn.client_cid.as_slice()) {
        d.conn.client_cid.len as usize
    } else {
        0
    };
    ctx.cols.set_info("Protected Payload (KP0)");
    let hdr = ctx.add(top, &SHORT, l, 0, l.len, Value::None);
    ctx.add_uint(hdr, &HEADER_FORM, l, 0, 1, 0);
    let fixed = ctx.add(hdr, &FIXED_BIT, l, 0, 1, Value::Bool(flags & 0x40 != 0));
    bool_label(ctx, fixed, ".x.. .... = ", "Fixed Bit", flags & 0x40 != 0);
    let spin = ctx.add(hdr, &SPIN_BIT, l, 0, 1, Value::Bool(flags & 0x20 != 0));
    bool_label(ctx, spin, "..x. .... = ", "Spin Bit", flags & 0x20 != 0);
    let mut label = "QUIC Short Header".to_string();
    if dcid_len > 0 {
        let hex = cid_hex(l.slice(1, dcid_len));
        ctx.add(hdr, &DCID, l, 1, dcid_len, Value::Bytes);
        let _ = write!(ctx.cols.info, ", DCID={}", hex);
        let _ = write!(label, " DCID={}", hex);
    }
    ctx.tree.set_label(hdr, label);
    if !d.conn.one_rtt_tried {
        d.conn.one_rtt_tried = true;
        decryption_failed(ctx, top, l, "Failed to create decryption context: Secrets are not available");
    }
    1 + dcid_len
}

#[cfg(test)]
mod tests {
    use crate::crypto;
    use crate::packet::FrameMeta;
    use crate::session::Session;
    use crate::tree::Value;

    /// Ethernet + IPv4 + UDP 50000 -> 443 around `payload`.
    fn udp_frame(payload: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00]);
        let total = 28 + payload.len();
        f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        let ulen = 8 + payload.len();
        f.extend_from_slice(&[0xc3, 0x50, 0x01, 0xbb, (ulen >> 8) as u8, ulen as u8, 0, 0]);
        f.extend_from_slice(payload);
        f
    }

    /// A ClientHello handshake message (no record header) naming `sni`.
    fn client_hello(sni: &[u8]) -> Vec<u8> {
        let mut ext = vec![0, 0, 0, (sni.len() + 5) as u8, 0, (sni.len() + 3) as u8, 0, 0, sni.len() as u8];
        ext.extend_from_slice(sni);
        let mut body = vec![0x03, 0x03];
        body.extend_from_slice(&[9u8; 32]);
        body.extend_from_slice(&[0, 0, 2, 0x13, 0x01, 1, 0, 0, ext.len() as u8]);
        body.extend_from_slice(&ext);
        let mut hs = vec![1, 0, 0, body.len() as u8];
        hs.extend_from_slice(&body);
        hs
    }

    /// The client Initial of RFC 9001 appendix A.2 (DCID 8394c8f03e515708, packet number 2,
    /// Length 1182), protected with the appendix's keys, carrying our own ClientHello.
    fn rfc9001_client_initial(sni: &[u8]) -> Vec<u8> {
        let dcid = [0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08];
        let mut header = vec![0xc3, 0, 0, 0, 1, 8];
        header.extend_from_slice(&dcid);
        header.extend_from_slice(&[0, 0, 0x44, 0x9e, 0, 0, 0, 2]);
        let hello = client_hello(sni);
        let mut plain = vec![0x06, 0x00, 0x40 | (hello.len() >> 8) as u8, hello.len() as u8];
        plain.extend_from_slice(&hello);
        plain.resize(1182 - 4 - 16, 0);
        let initial = crypto::hkdf_extract(&super::quic_initial_salt_v1(), &dcid);
        let secret = crypto::hkdf_expand_label(&initial, "client in", 32);
        let key: [u8; 16] = crypto::hkdf_expand_label(&secret, "quic key", 16).try_into().unwrap();
        let mut nonce: [u8; 12] = crypto::hkdf_expand_label(&secret, "quic iv", 12).try_into().unwrap();
        let hp: [u8; 16] = crypto::hkdf_expand_label(&secret, "quic hp", 16).try_into().unwrap();
        nonce[11] ^= 2;
        let sealed = crypto::aes128_gcm_seal(&key, &nonce, &header, &plain);
        let mask = crypto::Aes128::new(&hp).encrypt_block(&sealed[..16].try_into().unwrap());
        header[0] ^= mask[0] & 0x0f;
        for i in 0..4 {
            header[18 + i] ^= mask[1 + i];
        }
        header.extend_from_slice(&sealed);
        header
    }

    fn ingest(s: &mut Session, f: &[u8]) -> (String, String) {
        let meta = FrameMeta { linktype: 1, caplen: f.len() as u32, origlen: f.len() as u32, ts_digits: 6, ..Default::default() };
        s.ingest(meta, f, true);
        (s.columns().protocol.clone(), s.columns().info.clone())
    }

    #[test]
    fn rfc9001_initial_is_opened_and_named_like_tshark() {
        let packet = rfc9001_client_initial(b"example.com");
        assert_eq!(packet.len(), 1200);
        let mut s = Session::new();
        let (proto, info) = ingest(&mut s, &udp_frame(&packet));
        assert_eq!(proto, "QUIC");
        assert_eq!(info, "Initial, DCID=8394c8f03e515708, PKN: 2, CRYPTO, PADDING");
        assert_eq!(s.protocols(), "eth:ethertype:ip:udp:quic:tls");
        let sni = s.tree().nodes.iter().find(|n| n.field.abbrev == "tls.handshake.extensions_server_name").map(|n| n.value.clone());
        assert_eq!(sni, Some(Value::Str("example.com".into())));
        // One flipped ciphertext bit: the tag fails and the packet stays protected.
        let mut bad = packet.clone();
        bad[100] ^= 1;
        let (_, info) = ingest(&mut Session::new(), &udp_frame(&bad));
        assert_eq!(info, "Initial, DCID=8394c8f03e515708");
    }

    #[test]
    fn heuristic_and_short_headers() {
        let mut s = Session::new();
        // Not a known version: left to `data`.
        let (proto, _) = ingest(&mut s, &udp_frame(&[0xc0, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        assert_eq!(proto, "UDP");
        let mut s = Session::new();
        ingest(&mut s, &udp_frame(&rfc9001_client_initial(b"a.test")));
        // Claimed conversation: a short header follows; its DCID matches no known ID.
        let (proto, info) = ingest(&mut s, &udp_frame(&[0x40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]));
        assert_eq!((proto.as_str(), info.as_str()), ("QUIC", "Protected Payload (KP0)"));
    }

    #[test]
    fn hostile_lengths_stay_bounded() {
        let packet = rfc9001_client_initial(b"x");
        for cut in [7, 16, 20, 22, 40, 600] {
            ingest(&mut Session::new(), &udp_frame(&packet[..cut]));
        }
        let mut huge = packet.clone();
        huge[5] = 0xff; // DCID length beyond 20
        ingest(&mut Session::new(), &udp_frame(&huge));
    }
}
