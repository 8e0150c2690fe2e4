//! QUIC Initial packets (part of the `quic` protocol): removing their protection with the keys
//! RFC 9001 section 5.2 derives from the client's first Destination Connection ID, and the
//! frames inside (PADDING, PING, ACK, CRYPTO, CONNECTION_CLOSE), whose CRYPTO data is a TLS
//! handshake message shown through `tls_handshake`.

use crate::analysis::quic::QuicConn;
use crate::analysis::tls::TlsConv;
use crate::crypto;
use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, Layer};
use crate::proto::quic::varint;
use crate::proto::tls::{self, Session, TLS13};
use crate::proto::tls_handshake;
use crate::tree::Value;

pub const SALT_V1: [u8; 20] = [
    0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
];
const SALT_DRAFT29: [u8; 20] = [
    0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97, 0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99,
];
const SALT_V2: [u8; 20] = [
    0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93, 0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
];

static FRAME_TYPES: &[(u64, &str)] = &[
    (0x00, "PADDING"),
    (0x01, "PING"),
    (0x02, "ACK"),
    (0x03, "ACK"),
    (0x04, "RESET_STREAM"),
    (0x05, "STOP_SENDING"),
    (0x06, "CRYPTO"),
    (0x07, "NEW_TOKEN"),
    (0x08, "STREAM"),
    (0x10, "MAX_DATA"),
    (0x11, "MAX_STREAM_DATA"),
    (0x18, "NEW_CONNECTION_ID"),
    (0x19, "RETIRE_CONNECTION_ID"),
    (0x1a, "PATH_CHALLENGE"),
    (0x1b, "PATH_RESPONSE"),
    (0x1c, "CONNECTION_CLOSE"),
    (0x1d, "CONNECTION_CLOSE"),
    (0x1e, "HANDSHAKE_DONE"),
];

pub static FRAME: FieldDef = FieldDef::new("Frame", "quic.frame", FieldType::None);
/// Labelled in hex (`CRYPTO (0x0000000000000006)`) but printed by `-T fields` in decimal, as
/// Wireshark's range-string field does.
pub static FRAME_TYPE: FieldDef = FieldDef::new("Frame Type", "quic.frame_type", FieldType::Uint64).strings(FRAME_TYPES);
pub static PADDING_LENGTH: FieldDef = FieldDef::new("Padding Length", "quic.padding_length", FieldType::Uint32);
pub static ACK_LARGEST: FieldDef = FieldDef::new("Largest Acknowledged", "quic.ack.largest_acknowledged", FieldType::Uint64);
pub static ACK_DELAY: FieldDef = FieldDef::new("ACK Delay", "quic.ack.ack_delay", FieldType::Uint64);
pub static ACK_RANGE_COUNT: FieldDef = FieldDef::new("ACK Range Count", "quic.ack.ack_range_count", FieldType::Uint64);
pub static ACK_FIRST_RANGE: FieldDef = FieldDef::new("First ACK Range", "quic.ack.first_ack_range", FieldType::Uint64);
pub static ACK_GAP: FieldDef = FieldDef::new("Gap", "quic.ack.gap", FieldType::Uint64);
pub static ACK_RANGE: FieldDef = FieldDef::new("ACK Range", "quic.ack.ack_range", FieldType::Uint64);
pub static ACK_ECT0: FieldDef = FieldDef::new("ECT(0) Count", "quic.ack.ect0_count", FieldType::Uint64);
pub static ACK_ECT1: FieldDef = FieldDef::new("ECT(1) Count", "quic.ack.ect1_count", FieldType::Uint64);
pub static ACK_ECN_CE: FieldDef = FieldDef::new("ECN-CE Count", "quic.ack.ecn_ce_count", FieldType::Uint64);
pub static CRYPTO_OFFSET: FieldDef = FieldDef::new("Offset", "quic.crypto.offset", FieldType::Uint64);
pub static CRYPTO_LENGTH: FieldDef = FieldDef::new("Length", "quic.crypto.length", FieldType::Uint64);
pub static CRYPTO_DATA: FieldDef = FieldDef::new("Crypto Data", "quic.crypto.crypto_data", FieldType::None);
pub static CC_ERROR: FieldDef = FieldDef::new("Error code", "quic.cc.error_code", FieldType::Uint64);
pub static CC_FRAME_TYPE: FieldDef = FieldDef::new("Frame Type", "quic.cc.frame_type", FieldType::Uint64);
pub static CC_REASON_LEN: FieldDef = FieldDef::new("Reason phrase Length", "quic.cc.reason_phrase.length", FieldType::Uint64);
pub static CC_REASON: FieldDef = FieldDef::new("Reason phrase", "quic.cc.reason_phrase", FieldType::String);

pub static FIELDS: &[&FieldDef] = &[
    &FRAME, &FRAME_TYPE, &PADDING_LENGTH, &ACK_LARGEST, &ACK_DELAY, &ACK_RANGE_COUNT, &ACK_FIRST_RANGE, &ACK_GAP, &ACK_RANGE,
    &ACK_ECT0, &ACK_ECT1, &ACK_ECN_CE, &CRYPTO_OFFSET, &CRYPTO_LENGTH, &CRYPTO_DATA, &CC_ERROR, &CC_FRAME_TYPE, &CC_REASON_LEN,
    &CC_REASON,
];

/// An Initial packet with its protection removed.
pub struct Opened {
    pub first_byte: u8,
    pub pn_len: usize,
    pub truncated_pn: u64,
    pub plaintext: Vec<u8>,
}

/// Expands a truncated packet number (RFC 9000 appendix A.3).
pub fn full_packet_number(largest: Option<u64>, truncated: u64, pn_len: usize) -> u64 {
    let expected = largest.map_or(0, |l| l + 1);
    let win = 1u64 << (pn_len * 8);
    let (hwin, mask) = (win / 2, win - 1);
    let candidate = (expected & !mask) | truncated;
    if candidate + hwin <= expected && candidate < (1u64 << 62) - win {
        candidate + win
    } else if candidate > expected + hwin && candidate >= win {
        candidate - win
    } else {
        candidate
    }
}

/// Removes header and payload protection from the Initial packet in `l` whose packet number
/// starts at `pn_at` and whose Length field says `length`. None if the tag does not verify.
pub fn open(l: &Layer, pn_at: usize, length: usize, conn: &QuicConn, from_server: bool) -> Option<Opened> {
    let (salt, prefix): (&[u8], &str) = match l.u32(1) {
        0x0000_0001 => (&SALT_V1, "quic"),
        0x6b33_43cf | 0x709a_50c4 => (&SALT_V2, "quicv2"),
        0xff00_001d..=0xff00_0022 => (&SALT_DRAFT29, "quic"),
        _ => return None,
    };
    if pn_at + 20 > l.len || length < 20 || pn_at + length > l.len {
        return None;
    }
    let initial = crypto::hkdf_extract(salt, conn.original_dcid.as_slice());
    let secret = crypto::hkdf_expand_label(&initial, if from_server { "server in" } else { "client in" }, 32);
    let key: [u8; 16] = crypto::hkdf_expand_label(&secret, &format!("{} key", prefix), 16).try_into().ok()?;
    let iv = crypto::hkdf_expand_label(&secret, &format!("{} iv", prefix), 12);
    let hp: [u8; 16] = crypto::hkdf_expand_label(&secret, &format!("{} hp", prefix), 16).try_into().ok()?;
    let sample: [u8; 16] = l.array(pn_at + 4);
    let mask = crypto::Aes128::new(&hp).encrypt_block(&sample);
    let first_byte = l.u8(0) ^ (mask[0] & 0x0f);
    let pn_len = (first_byte & 3) as usize + 1;
    let mut header = l.slice(0, pn_at + pn_len).to_vec();
    header[0] = first_byte;
    let mut truncated_pn = 0u64;
    for i in 0..pn_len {
        header[pn_at + i] ^= mask[1 + i];
        truncated_pn = (truncated_pn << 8) | header[pn_at + i] as u64;
    }
    let side = from_server as usize;
    let pn = full_packet_number(conn.largest_pn[side][0], truncated_pn, pn_len);
    let mut nonce: [u8; 12] = iv.try_into().ok()?;
    for (i, b) in pn.to_be_bytes().iter().enumerate() {
        nonce[4 + i] ^= b;
    }
    let sealed = l.slice(pn_at + pn_len, length - pn_len);
    let plaintext = crypto::aes128_gcm_open(&key, &nonce, &header, sealed)?;
    Some(Opened { first_byte, pn_len, truncated_pn, plaintext })
}

/// The frames of a decrypted Initial, shown from the decrypted copy (a data source of its own,
/// Wireshark's "Decrypted QUIC" bytes tab).
pub fn frames(ctx: &mut Ctx, top: u32, p: &Opened) {
    let prev_source = ctx.tree.enter_source("Decrypted QUIC", &p.plaintext);
    let l = Layer::new(&p.plaintext, 0, p.plaintext.len(), "QUIC");
    let mut at = 0;
    while at < l.len {
        let (ftype, n) = match varint(&l, at) {
            Some(v) => v,
            None => break,
        };
        let name = match FRAME_TYPE.value_name(if (0x08..=0x0f).contains(&ftype) { 0x08 } else { ftype }) {
            Some(n) => n,
            None => break,
        };
        tls::info_item_raw(ctx, name);
        let node = ctx.add(top, &FRAME, &l, at, 0, Value::None);
        let start = at;
        if ftype == 0 {
            let run = l.bytes()[at..].iter().take_while(|&&b| b == 0).count();
            if ctx.tree.enabled() {
                crate::set_label!(ctx.tree, node, "PADDING Length: {}", run);
            }
            frame_type(ctx, node, &l, at, 1, 0);
            ctx.tree.add_generated(node, &PADDING_LENGTH, Value::Uint(run as u64));
            at += run;
        } else {
            if ctx.tree.enabled() {
                ctx.tree.set_label(node, name.to_string());
            }
            frame_type(ctx, node, &l, at, n, ftype);
            at += n;
            at = match frame_body(ctx, node, &l, at, ftype) {
                Some(end) => end,
                None => break,
            };
        }
        ctx.tree.set_len(node, at - start);
    }
    ctx.tree.leave_source(prev_source);
}

fn frame_type(ctx: &mut Ctx, node: u32, l: &Layer, at: usize, len: usize, t: u64) {
    let n = ctx.add_uint(node, &FRAME_TYPE, l, at, len, t);
    if ctx.tree.enabled() {
        let name = FRAME_TYPE.value_name(if (0x08..=0x0f).contains(&t) { 0x08 } else { t }).unwrap_or("Unknown");
        crate::set_label!(ctx.tree, n, "Frame Type: {} (0x{:016x})", name, t);
    }
}

/// Reads varints into fields in order; None when the frame runs past the payload.
fn varints(ctx: &mut Ctx, node: u32, l: &Layer, mut at: usize, fields: &[&'static FieldDef]) -> Option<(usize, Vec<u64>)> {
    let mut values = Vec::with_capacity(fields.len());
    for f in fields {
        let (v, n) = varint(l, at)?;
        ctx.add_uint(node, f, l, at, n, v);
        values.push(v);
        at += n;
    }
    Some((at, values))
}

fn frame_body(ctx: &mut Ctx, node: u32, l: &Layer, at: usize, ftype: u64) -> Option<usize> {
    match ftype {
        0x01 | 0x1e => Some(at),
        0x02 | 0x03 => {
            let (mut at, v) = varints(ctx, node, l, at, &[&ACK_LARGEST, &ACK_DELAY, &ACK_RANGE_COUNT, &ACK_FIRST_RANGE])?;
            for _ in 0..v[2].min(l.len as u64) {
                at = varints(ctx, node, l, at, &[&ACK_GAP, &ACK_RANGE])?.0;
            }
            if ftype == 0x03 {
                at = varints(ctx, node, l, at, &[&ACK_ECT0, &ACK_ECT1, &ACK_ECN_CE])?.0;
            }
            Some(at)
        }
        0x06 => {
            let (at, v) = varints(ctx, node, l, at, &[&CRYPTO_OFFSET, &CRYPTO_LENGTH])?;
            let len = v[1] as usize;
            if at + len > l.len {
                return None;
            }
            ctx.add(node, &CRYPTO_DATA, l, at, len, Value::None);
            if v[0] == 0 {
                crypto_handshake(ctx, node, &l.sub(at, "TLS").limit(len));
            }
            Some(at + len)
        }
        0x1c | 0x1d => {
            static TRANSPORT: [&FieldDef; 3] = [&CC_ERROR, &CC_FRAME_TYPE, &CC_REASON_LEN];
            static APPLICATION: [&FieldDef; 2] = [&CC_ERROR, &CC_REASON_LEN];
            let fields: &[&'static FieldDef] = if ftype == 0x1c { &TRANSPORT } else { &APPLICATION };
            let (at, v) = varints(ctx, node, l, at, fields)?;
            let len = *v.last()? as usize;
            if at + len > l.len {
                return None;
            }
            ctx.add(node, &CC_REASON, l, at, len, Value::Str(crate::text::lossy(l.slice(at, len))));
            Some(at + len)
        }
        _ => None,
    }
}

/// TLS handshake messages in CRYPTO data from offset 0, as Wireshark's
/// `dissect_tls13_handshake`: a `tls` item labelled like a record, columns left to QUIC.
fn crypto_handshake(ctx: &mut Ctx, parent: u32, l: &Layer) {
    let saved = (ctx.cols.protocol.clone(), ctx.cols.info.clone());
    let top = ctx.add_protocol(parent, &tls::TLS, l);
    let conv = TlsConv { version: TLS13, ..Default::default() };
    let mut s = Session { conv, flow: None, port_proto: None, frame: ctx.meta.number, ordinal: 0, pending: None };
    tls_handshake::dissect(ctx, top, l, &mut s, TLS13, false);
    ctx.cols.protocol = saved.0;
    ctx.cols.info = saved.1;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packet_numbers_expand_as_rfc9000_a3() {
        assert_eq!(full_packet_number(Some(0xa82f30ea), 0x9b32, 2), 0xa82f9b32);
        assert_eq!(full_packet_number(None, 0, 1), 0);
        assert_eq!(full_packet_number(Some(255), 2, 1), 258);
    }
}
