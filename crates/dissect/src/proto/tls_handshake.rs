//! TLS handshake messages (part of the `tls` protocol): the hellos, certificates, key exchange,
//! tickets and Finished, as `tshark -V` shows them. Hello extensions are in `tls_ext.rs`.
//! Also used for the TLS messages QUIC carries in CRYPTO frames.

use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, Layer};
use crate::proto::tls::{info_item, short_name, Session, TLS13};
use crate::proto::{tls_ext, tls_hs_frag, tls_vals, x509};
use crate::tree::Value;

pub const HELLO_REQUEST: u8 = 0;
pub const CLIENT_HELLO: u8 = 1;
pub const SERVER_HELLO: u8 = 2;
pub const NEW_SESSION_TICKET: u8 = 4;
pub const HELLO_RETRY_REQUEST: u8 = 6;
pub const ENCRYPTED_EXTENSIONS: u8 = 8;
pub const CERTIFICATE: u8 = 11;
pub const SERVER_KEY_EXCHANGE: u8 = 12;
pub const CERTIFICATE_REQUEST: u8 = 13;
pub const SERVER_HELLO_DONE: u8 = 14;
pub const CERTIFICATE_VERIFY: u8 = 15;
pub const CLIENT_KEY_EXCHANGE: u8 = 16;
pub const FINISHED: u8 = 20;
pub const KEY_UPDATE: u8 = 24;

static HANDSHAKE_TYPES: &[(u64, &str)] = &[
    (0, "Hello Request"),
    (1, "Client Hello"),
    (2, "Server Hello"),
    (3, "Hello Verify Request"),
    (4, "New Session Ticket"),
    (5, "End of Early Data"),
    (6, "Hello Retry Request"),
    (8, "Encrypted Extensions"),
    (11, "Certificate"),
    (12, "Server Key Exchange"),
    (13, "Certificate Request"),
    (14, "Server Hello Done"),
    (15, "Certificate Verify"),
    (16, "Client Key Exchange"),
    (20, "Finished"),
    (21, "Client Certificate URL"),
    (22, "Certificate Status"),
    (23, "Supplemental Data"),
    (24, "Key Update"),
    (25, "Compressed Certificate"),
    (67, "Encrypted Extensions"),
];
static COMPRESSION_METHODS: &[(u64, &str)] = &[(0, "null"), (1, "DEFLATE"), (64, "LZS")];
static CURVE_TYPES: &[(u64, &str)] = &[(1, "explicit_prime"), (2, "explicit_char2"), (3, "named_curve")];
static KEY_UPDATE_REQUESTS: &[(u64, &str)] = &[(0, "update_not_requested"), (1, "update_requested")];

/// The random of a HelloRetryRequest (RFC 8446 section 4.1.3): SHA-256 of "HelloRetryRequest".
const HRR_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16,
    0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

pub static HANDSHAKE: FieldDef = FieldDef::new("Handshake Protocol", "tls.handshake", FieldType::None);
pub static TYPE: FieldDef = FieldDef::new("Handshake Type", "tls.handshake.type", FieldType::Uint8).strings(HANDSHAKE_TYPES);
pub static LENGTH: FieldDef = FieldDef::new("Length", "tls.handshake.length", FieldType::Uint24);
pub static VERSION: FieldDef =
    FieldDef::new("Version", "tls.handshake.version", FieldType::Uint16).base(Base::Hex).strings(tls_vals::VERSIONS);
pub static RANDOM: FieldDef = FieldDef::new("Random", "tls.handshake.random", FieldType::Bytes);
pub static RANDOM_TIME: FieldDef = FieldDef::new("GMT Unix Time", "tls.handshake.random_time", FieldType::AbsTime);
pub static RANDOM_BYTES: FieldDef = FieldDef::new("Random Bytes", "tls.handshake.random_bytes", FieldType::Bytes);
pub static SESSION_ID_LENGTH: FieldDef = FieldDef::new("Session ID Length", "tls.handshake.session_id_length", FieldType::Uint8);
pub static SESSION_ID: FieldDef = FieldDef::new("Session ID", "tls.handshake.session_id", FieldType::Bytes);
pub static CIPHER_SUITES_LENGTH: FieldDef =
    FieldDef::new("Cipher Suites Length", "tls.handshake.cipher_suites_length", FieldType::Uint16);
pub static CIPHER_SUITES: FieldDef = FieldDef::new("Cipher Suites", "tls.handshake.ciphersuites", FieldType::None);
pub static CIPHER_SUITE: FieldDef =
    FieldDef::new("Cipher Suite", "tls.handshake.ciphersuite", FieldType::Uint16).base(Base::Hex).strings(tls_vals::CIPHER_SUITES);
pub static COMP_METHODS_LENGTH: FieldDef =
    FieldDef::new("Compression Methods Length", "tls.handshake.comp_methods_length", FieldType::Uint8);
pub static COMP_METHODS: FieldDef = FieldDef::new("Compression Methods", "tls.handshake.comp_methods", FieldType::None);
pub static COMP_METHOD: FieldDef =
    FieldDef::new("Compression Method", "tls.handshake.comp_method", FieldType::Uint8).strings(COMPRESSION_METHODS);
pub static CERTIFICATES_LENGTH: FieldDef =
    FieldDef::new("Certificates Length", "tls.handshake.certificates_length", FieldType::Uint24);
pub static CERTIFICATES: FieldDef = FieldDef::new("Certificates", "tls.handshake.certificates", FieldType::None);
pub static CERTIFICATE_LENGTH: FieldDef =
    FieldDef::new("Certificate Length", "tls.handshake.certificate_length", FieldType::Uint24);
pub static CERTIFICATE_BYTES: FieldDef = FieldDef::new("Certificate", "tls.handshake.certificate", FieldType::Bytes);
pub static CERT_REQUEST_CONTEXT_LENGTH: FieldDef = FieldDef::new(
    "Certificate Request Context Length",
    "tls.handshake.certificate_request_context_length",
    FieldType::Uint8,
);
pub static CURVE_TYPE: FieldDef =
    FieldDef::new("Curve Type", "tls.handshake.server_curve_type", FieldType::Uint8).base(Base::Hex).strings(CURVE_TYPES);
pub static NAMED_CURVE: FieldDef = FieldDef::new("Named Curve", "tls.handshake.server_named_curve", FieldType::Uint16)
    .base(Base::Hex)
    .strings(tls_vals::NAMED_GROUPS);
pub static SERVER_POINT_LEN: FieldDef = FieldDef::new("Pubkey Length", "tls.handshake.server_point_len", FieldType::Uint8);
pub static SERVER_POINT: FieldDef = FieldDef::new("Pubkey", "tls.handshake.server_point", FieldType::Bytes);
pub static CLIENT_POINT_LEN: FieldDef = FieldDef::new("Pubkey Length", "tls.handshake.client_point_len", FieldType::Uint8);
pub static CLIENT_POINT: FieldDef = FieldDef::new("Pubkey", "tls.handshake.client_point", FieldType::Bytes);
pub static P_LEN: FieldDef = FieldDef::new("p Length", "tls.handshake.p_len", FieldType::Uint16);
pub static P: FieldDef = FieldDef::new("p", "tls.handshake.p", FieldType::Bytes);
pub static G_LEN: FieldDef = FieldDef::new("g Length", "tls.handshake.g_len", FieldType::Uint16);
pub static G: FieldDef = FieldDef::new("g", "tls.handshake.g", FieldType::Bytes);
pub static YS_LEN: FieldDef = FieldDef::new("Pubkey Length", "tls.handshake.ys_len", FieldType::Uint16);
pub static YS: FieldDef = FieldDef::new("Pubkey", "tls.handshake.ys", FieldType::Bytes);
pub static YC_LEN: FieldDef = FieldDef::new("Pubkey Length", "tls.handshake.yc_len", FieldType::Uint16);
pub static YC: FieldDef = FieldDef::new("Pubkey", "tls.handshake.yc", FieldType::Bytes);
pub static EPMS_LEN: FieldDef = FieldDef::new("Encrypted PreMaster length", "tls.handshake.epms_len", FieldType::Uint16);
pub static EPMS: FieldDef = FieldDef::new("Encrypted PreMaster", "tls.handshake.epms", FieldType::Bytes);
pub static SIG_LEN: FieldDef = FieldDef::new("Signature Length", "tls.handshake.sig_len", FieldType::Uint16);
pub static SIG: FieldDef = FieldDef::new("Signature", "tls.handshake.sig", FieldType::Bytes);
pub static TICKET_LIFETIME: FieldDef =
    FieldDef::new("Session Ticket Lifetime Hint", "tls.handshake.session_ticket_lifetime_hint", FieldType::Uint32);
pub static TICKET_AGE_ADD: FieldDef =
    FieldDef::new("Session Ticket Age Add", "tls.handshake.session_ticket_age_add", FieldType::Uint32);
pub static TICKET_NONCE_LEN: FieldDef =
    FieldDef::new("Session Ticket Nonce Length", "tls.handshake.session_ticket_nonce_length", FieldType::Uint8);
pub static TICKET_NONCE: FieldDef = FieldDef::new("Session Ticket Nonce", "tls.handshake.session_ticket_nonce", FieldType::Bytes);
pub static TICKET_LEN: FieldDef = FieldDef::new("Session Ticket Length", "tls.handshake.session_ticket_length", FieldType::Uint16);
pub static TICKET: FieldDef = FieldDef::new("Session Ticket", "tls.handshake.session_ticket", FieldType::Bytes);
pub static VERIFY_DATA: FieldDef = FieldDef::new("Verify Data", "tls.handshake.verify_data", FieldType::None);
pub static KEY_UPDATE_REQUEST: FieldDef =
    FieldDef::new("Key Update Request", "tls.handshake.key_update.request_update", FieldType::Uint8).strings(KEY_UPDATE_REQUESTS);

pub static FIELDS: &[&FieldDef] = &[
    &HANDSHAKE, &TYPE, &LENGTH, &VERSION, &RANDOM, &RANDOM_TIME, &RANDOM_BYTES, &SESSION_ID_LENGTH, &SESSION_ID,
    &CIPHER_SUITES_LENGTH, &CIPHER_SUITES, &CIPHER_SUITE, &COMP_METHODS_LENGTH, &COMP_METHODS, &COMP_METHOD,
    &CERTIFICATES_LENGTH, &CERTIFICATES, &CERTIFICATE_LENGTH, &CERTIFICATE_BYTES, &CERT_REQUEST_CONTEXT_LENGTH, &CURVE_TYPE,
    &NAMED_CURVE, &SERVER_POINT_LEN, &SERVER_POINT, &CLIENT_POINT_LEN, &CLIENT_POINT, &P_LEN, &P, &G_LEN, &G, &YS_LEN, &YS,
    &YC_LEN, &YC, &EPMS_LEN, &EPMS, &SIG_LEN, &SIG, &TICKET_LIFETIME, &TICKET_AGE_ADD, &TICKET_NONCE_LEN, &TICKET_NONCE,
    &TICKET_LEN, &TICKET, &VERIFY_DATA, &KEY_UPDATE_REQUEST,
];

pub fn is_known_type(t: u8) -> bool {
    TYPE.value_name(t as u64).is_some()
}

fn type_name(t: u8) -> &'static str {
    TYPE.value_name(t as u64).unwrap_or("Encrypted Handshake Message")
}

/// The handshake messages of one record (or one QUIC CRYPTO frame's data, `in_record` false),
/// as Wireshark's `dissect_tls_handshake` without reassembly across records.
pub fn dissect(ctx: &mut Ctx, record: u32, l: &Layer, s: &mut Session, version: u16, in_record: bool) {
    let end = l.reported;
    let mut at = 0;
    let mut first = true;
    match if in_record { tls_hs_frag::continuation(ctx, l, s) } else { None } {
        Some(frag) if frag.is_last => {
            let name = type_name(frag.msg_type);
            let n = ctx.add(record, &HANDSHAKE, l, 0, frag.len, Value::None);
            crate::set_label!(ctx.tree, n, "Handshake Protocol: {} (last fragment)", name);
            if let Some((message, parts)) = &frag.message {
                // The whole message, from its own data source as Wireshark's extra bytes tab.
                let prev = ctx.tree.enter_source("Reassembled TLS Handshake", message);
                let m = Layer::new(message, 0, message.len(), "TLS handshake");
                tls_hs_frag::show_fragments(ctx, record, &m, parts);
                dissect_message(ctx, record, &m, 0, s, version, true);
                ctx.tree.leave_source(prev);
            }
            at = frag.len;
            first = false;
        }
        Some(frag) => {
            show_details(ctx, record, l, 0, end, version, type_name(frag.msg_type), false, false, false);
            return;
        }
        None if in_record && looks_encrypted(l, s) => {
            show_details(ctx, record, l, 0, end, version, "Encrypted Handshake Message", true, true, true);
            return;
        }
        None => {}
    }
    while at < end {
        let remaining = end - at;
        let msg_len = if remaining >= 4 { 4 + read_u24(l, at + 1) } else { 0 };
        if msg_len == 0 || remaining < msg_len {
            // The message continues in a later record; TShark names the fragment.
            if in_record {
                tls_hs_frag::start(ctx, l, at, s);
            }
            show_details(ctx, record, l, at, remaining, version, type_name(l.u8(at)), false, first, false);
            break;
        }
        dissect_message(ctx, record, l, at, s, version, first);
        at += msg_len;
        first = false;
    }
}

pub fn read_u24(l: &Layer, at: usize) -> usize {
    ((l.u8(at) as usize) << 16) | ((l.u8(at + 1) as usize) << 8) | l.u8(at + 2) as usize
}

/// Wireshark's `is_encrypted_handshake_message`: after the sender's ChangeCipherSpec (in an
/// earlier frame), behind a zero explicit nonce, or when the type or length make no sense.
fn looks_encrypted(l: &Layer, s: &Session) -> bool {
    if l.reported < 16 {
        return false;
    }
    let ccs = s.conv.ccs_frame[s.from_server() as usize];
    if l.slice(0, 5) == [0, 0, 0, 0, 0] || (ccs != 0 && s.frame > ccs) {
        return true;
    }
    !is_known_type(l.u8(0)) || read_u24(l, 1) >= 0x10000
}

/// Info item, record label and the `Handshake Protocol` node (`tls_show_handshake_details`).
#[allow(clippy::too_many_arguments)]
fn show_details(
    ctx: &mut Ctx,
    record: u32,
    l: &Layer,
    at: usize,
    len: usize,
    version: u16,
    name: &str,
    encrypted: bool,
    first: bool,
    complete: bool,
) -> u32 {
    if complete {
        info_item(ctx, name);
    } else if first {
        info_item(ctx, &format!("[{} Fragment]", name));
    }
    let fragment = if !complete && !encrypted { " (fragment)" } else { "" };
    if ctx.tree.enabled() && record != crate::tree::NO_NODE {
        let vname = short_name(version).unwrap_or("TLS");
        let label = if first {
            format!("{} Record Layer: Handshake Protocol: {}{}", vname, name, fragment)
        } else {
            format!("{} Record Layer: Handshake Protocol: Multiple Handshake Messages", vname)
        };
        ctx.tree.set_label(record, label);
    }
    let n = ctx.add(record, &HANDSHAKE, l, at, len, Value::None);
    if ctx.tree.enabled() {
        crate::set_label!(ctx.tree, n, "Handshake Protocol: {}{}", name, fragment);
    }
    n
}

/// Scans a ServerHello for the version it selects and whether it is a HelloRetryRequest.
fn scan_server_hello(l: &Layer, body: usize, end: usize) -> (u16, bool) {
    let mut version = l.u16(body);
    let is_hrr = l.slice(body + 2, 32) == HRR_RANDOM;
    let mut at = body + 34;
    at += 1 + l.u8(at) as usize; // session id
    at += 3; // cipher suite, compression
    if at + 2 > end {
        return (version, is_hrr);
    }
    let ext_end = (at + 2 + l.u16(at) as usize).min(end);
    at += 2;
    while at + 4 <= ext_end {
        let (t, n) = (l.u16(at), l.u16(at + 2) as usize);
        if t == tls_ext::SUPPORTED_VERSIONS && n == 2 {
            version = l.u16(at + 4);
        }
        at += 4 + n;
    }
    (version, is_hrr)
}

fn dissect_message(ctx: &mut Ctx, record: u32, l: &Layer, at: usize, s: &mut Session, version: u16, first: bool) {
    let msg_type = l.u8(at);
    let length = read_u24(l, at + 1);
    let known = is_known_type(msg_type);
    if !known && !first {
        return;
    }
    let body = at + 4;
    let end = body + length;
    let mut name = type_name(msg_type);
    if first && msg_type == SERVER_HELLO && length > 2 {
        let (server_version, is_hrr) = scan_server_hello(l, body, end);
        s.set_version(ctx, server_version);
        if is_hrr {
            name = "Hello Retry Request";
        }
    }
    let node = show_details(ctx, record, l, at, length + 4, version, name, false, first, true);
    if !known {
        return;
    }
    ctx.add_uint(node, &TYPE, l, at, 1, msg_type as u64);
    ctx.add_uint(node, &LENGTH, l, at + 1, 3, length as u64);
    let m = l.sub(body, "TLS handshake").limit(length);
    match msg_type {
        CLIENT_HELLO => {
            s.saw_client_hello();
            hello(ctx, node, &m, s, true);
        }
        SERVER_HELLO => {
            s.saw_server_hello();
            // Resumed until a ServerHelloDone says otherwise (TLS 1.3 has neither).
            s.conv.resumed = s.conv.version != TLS13;
            hello(ctx, node, &m, s, false);
        }
        SERVER_HELLO_DONE => s.conv.resumed = false,
        CERTIFICATE => certificate(ctx, node, &m, s),
        SERVER_KEY_EXCHANGE => key_exchange(ctx, node, &m, s, true),
        CLIENT_KEY_EXCHANGE => key_exchange(ctx, node, &m, s, false),
        NEW_SESSION_TICKET => session_ticket(ctx, node, &m, s),
        ENCRYPTED_EXTENSIONS => {
            tls_ext::dissect_extensions(ctx, node, &m, 0, s, msg_type);
        }
        CERTIFICATE_VERIFY => {
            tls_ext::signature_algorithm(ctx, node, &m, 0);
            signature(ctx, node, &m, 2);
        }
        FINISHED => {
            ctx.add(node, &VERIFY_DATA, &m, 0, length, Value::None);
        }
        KEY_UPDATE => {
            ctx.add_uint(node, &KEY_UPDATE_REQUEST, &m, 0, 1, m.u8(0) as u64);
        }
        _ => {}
    }
}

/// ClientHello and ServerHello (`ssl_dissect_hnd_cli_hello` / `_srv_hello`).
fn hello(ctx: &mut Ctx, node: u32, m: &Layer, s: &mut Session, client: bool) {
    let end = m.reported;
    ctx.add_uint(node, &VERSION, m, 0, 2, m.u16(0) as u64);
    let random = ctx.add(node, &RANDOM, m, 2, 32, Value::Bytes);
    // TLS 1.3 randoms have no time in their first bytes.
    if s.conv.version != TLS13 {
        ctx.add(random, &RANDOM_TIME, m, 2, 4, Value::Time(m.u32(2) as i64 * 1_000_000_000));
        ctx.add(random, &RANDOM_BYTES, m, 6, 28, Value::Bytes);
    }
    let sid_len = m.u8(34) as usize;
    ctx.add_uint(node, &SESSION_ID_LENGTH, m, 34, 1, sid_len as u64);
    if sid_len > 0 {
        ctx.add(node, &SESSION_ID, m, 35, sid_len, Value::Bytes);
    }
    let mut at = 35 + sid_len;
    let mut ja3 = tls_ext::Ja3::new(m.u16(0));
    if client {
        let n = m.u16(at) as usize;
        ctx.add_uint(node, &CIPHER_SUITES_LENGTH, m, at, 2, n as u64);
        let list = ctx.add(node, &CIPHER_SUITES, m, at + 2, n, Value::None);
        if ctx.tree.enabled() {
            crate::set_label!(ctx.tree, list, "Cipher Suites ({} suite{})", n / 2, if n / 2 == 1 { "" } else { "s" });
        }
        for i in 0..n.min(m.len.saturating_sub(at + 2)) / 2 {
            let c = m.u16(at + 2 + 2 * i);
            tls_ext::add_named(ctx, list, &CIPHER_SUITE, m, at + 2 + 2 * i, 2, c as u64);
            ja3.cipher(c);
        }
        at += 2 + n;
        let n = m.u8(at) as usize;
        ctx.add_uint(node, &COMP_METHODS_LENGTH, m, at, 1, n as u64);
        let list = ctx.add(node, &COMP_METHODS, m, at + 1, n, Value::None);
        if ctx.tree.enabled() {
            crate::set_label!(ctx.tree, list, "Compression Methods ({} method{})", n, if n == 1 { "" } else { "s" });
        }
        for i in 0..n.min(m.len.saturating_sub(at + 1)) {
            tls_ext::add_named(ctx, list, &COMP_METHOD, m, at + 1 + i, 1, m.u8(at + 1 + i) as u64);
        }
        at += 1 + n;
    } else {
        let c = m.u16(at);
        s.conv.cipher = c;
        tls_ext::add_named(ctx, node, &CIPHER_SUITE, m, at, 2, c as u64);
        tls_ext::add_named(ctx, node, &COMP_METHOD, m, at + 2, 1, m.u8(at + 2) as u64);
        ja3.cipher(c);
        at += 3;
    }
    if at + 2 <= end {
        let msg_type = if client { CLIENT_HELLO } else { SERVER_HELLO };
        tls_ext::dissect_extensions_ja3(ctx, node, m, at, s, msg_type, &mut ja3);
    }
    if ctx.tree.enabled() {
        ja3.add_to_tree(ctx, node, client);
    }
}

/// Certificate: a list of DER certificates (TLS 1.3 adds a request context and extensions).
fn certificate(ctx: &mut Ctx, node: u32, m: &Layer, s: &Session) {
    let tls13 = s.conv.version == TLS13;
    let mut at = 0;
    if tls13 {
        let n = m.u8(0) as usize;
        ctx.add_uint(node, &CERT_REQUEST_CONTEXT_LENGTH, m, 0, 1, n as u64);
        at = 1 + n;
    }
    let total = read_u24(m, at);
    ctx.add_uint(node, &CERTIFICATES_LENGTH, m, at, 3, total as u64);
    let list = ctx.add(node, &CERTIFICATES, m, at + 3, total, Value::None);
    if ctx.tree.enabled() {
        crate::set_label!(ctx.tree, list, "Certificates ({} bytes)", total);
    }
    let end = (at + 3 + total).min(m.reported);
    at += 3;
    while at + 3 <= end {
        let n = read_u24(m, at);
        ctx.add_uint(list, &CERTIFICATE_LENGTH, m, at, 3, n as u64);
        let c = ctx.add(list, &CERTIFICATE_BYTES, m, at + 3, n.min(end - at - 3), Value::Bytes);
        if ctx.tree.enabled() {
            // Wireshark names each certificate by its subject after the (cut) bytes.
            let der = m.slice(at + 3, n);
            if let Some(subject) = x509::subject_summary(der) {
                let shown = &der[..der.len().min(36)];
                let more = if der.len() > 36 { "\u{2026}" } else { "" };
                crate::set_label!(ctx.tree, c, "Certificate: {}{} ({})", crate::crypto::hex(shown), more, subject);
            }
        }
        at += 3 + n;
        if tls13 && at + 2 <= end {
            at += 2 + m.u16(at) as usize;
        }
    }
}

/// The key exchange algorithm of a cipher suite, from its IANA name.
fn key_exchange_kind(cipher: u16) -> Option<&'static str> {
    let name = CIPHER_SUITE.value_name(cipher as u64)?;
    if name.contains("_ECDHE_") || name.contains("_ECDH_") {
        Some("EC Diffie-Hellman")
    } else if name.contains("_DHE_") || name.contains("_DH_") {
        Some("Diffie-Hellman")
    } else if name.starts_with("TLS_RSA_WITH") {
        Some("RSA")
    } else {
        None
    }
}

fn key_exchange(ctx: &mut Ctx, node: u32, m: &Layer, s: &Session, server: bool) {
    let kind = match key_exchange_kind(s.conv.cipher) {
        Some(k) => k,
        None => return,
    };
    let len = m.reported;
    let text = |ctx: &mut Ctx, label: String| {
        let t = ctx.add(node, &crate::proto::frame::TEXT, m, 0, len, Value::None);
        ctx.tree.set_label(t, label);
        t
    };
    match (kind, server) {
        ("EC Diffie-Hellman", true) => {
            let t = text(ctx, "EC Diffie-Hellman Server Params".to_string());
            tls_ext::add_named(ctx, t, &CURVE_TYPE, m, 0, 1, m.u8(0) as u64);
            tls_ext::add_named(ctx, t, &NAMED_CURVE, m, 1, 2, m.u16(1) as u64);
            let n = m.u8(3) as usize;
            ctx.add_uint(t, &SERVER_POINT_LEN, m, 3, 1, n as u64);
            ctx.add(t, &SERVER_POINT, m, 4, n, Value::Bytes);
            server_signature(ctx, t, m, 4 + n, s);
        }
        ("Diffie-Hellman", true) => {
            let t = text(ctx, "Diffie-Hellman Server Params".to_string());
            let mut at = 0;
            for (lf, vf) in [(&P_LEN, &P), (&G_LEN, &G), (&YS_LEN, &YS)] {
                let n = m.u16(at) as usize;
                ctx.add_uint(t, lf, m, at, 2, n as u64);
                ctx.add(t, vf, m, at + 2, n, Value::Bytes);
                at += 2 + n;
            }
            server_signature(ctx, t, m, at, s);
        }
        ("EC Diffie-Hellman", false) => {
            let t = text(ctx, "EC Diffie-Hellman Client Params".to_string());
            let n = m.u8(0) as usize;
            ctx.add_uint(t, &CLIENT_POINT_LEN, m, 0, 1, n as u64);
            ctx.add(t, &CLIENT_POINT, m, 1, n, Value::Bytes);
        }
        ("Diffie-Hellman", false) => {
            let t = text(ctx, "Diffie-Hellman Client Params".to_string());
            let n = m.u16(0) as usize;
            ctx.add_uint(t, &YC_LEN, m, 0, 2, n as u64);
            ctx.add(t, &YC, m, 2, n, Value::Bytes);
        }
        ("RSA", false) => {
            let t = text(ctx, "RSA Encrypted PreMaster Secret".to_string());
            let n = m.u16(0) as usize;
            ctx.add_uint(t, &EPMS_LEN, m, 0, 2, n as u64);
            ctx.add(t, &EPMS, m, 2, n, Value::Bytes);
        }
        _ => {}
    }
}

/// The signature that ends a ServerKeyExchange (TLS 1.2 names its algorithm first).
fn server_signature(ctx: &mut Ctx, t: u32, m: &Layer, at: usize, s: &Session) {
    if at >= m.reported {
        return;
    }
    let mut at = at;
    if s.conv.version == crate::proto::tls::TLS12 {
        tls_ext::signature_algorithm(ctx, t, m, at);
        at += 2;
    }
    signature(ctx, t, m, at);
}

fn signature(ctx: &mut Ctx, node: u32, m: &Layer, at: usize) {
    let n = m.u16(at) as usize;
    ctx.add_uint(node, &SIG_LEN, m, at, 2, n as u64);
    ctx.add(node, &SIG, m, at + 2, n, Value::Bytes);
}

fn session_ticket(ctx: &mut Ctx, node: u32, m: &Layer, s: &mut Session) {
    let t = ctx.add(node, &crate::proto::frame::TEXT, m, 0, m.reported, Value::None);
    crate::set_label!(ctx.tree, t, "TLS Session Ticket");
    let lifetime = m.u32(0);
    let n = ctx.add_uint(t, &TICKET_LIFETIME, m, 0, 4, lifetime as u64);
    if ctx.tree.enabled() {
        crate::set_label!(ctx.tree, n, "Session Ticket Lifetime Hint: {} seconds ({})", lifetime, duration_text(lifetime));
    }
    let mut at = 4;
    if s.conv.version == TLS13 {
        ctx.add_uint(t, &TICKET_AGE_ADD, m, 4, 4, m.u32(4) as u64);
        let n = m.u8(8) as usize;
        ctx.add_uint(t, &TICKET_NONCE_LEN, m, 8, 1, n as u64);
        ctx.add(t, &TICKET_NONCE, m, 9, n, Value::Bytes);
        at = 9 + n;
    }
    let n = m.u16(at) as usize;
    ctx.add_uint(t, &TICKET_LEN, m, at, 2, n as u64);
    ctx.add(t, &TICKET, m, at + 2, n, Value::Bytes);
    at += 2 + n;
    if s.conv.version == TLS13 && at + 2 <= m.reported {
        tls_ext::dissect_extensions(ctx, t, m, at, s, NEW_SESSION_TICKET);
    }
}

/// Wireshark's `unsigned_time_secs_to_str`: "1 day, 4 hours", "30 seconds".
pub fn duration_text(secs: u32) -> String {
    if secs == 0 {
        return "0 seconds".to_string();
    }
    let parts = [(secs / 86400, "day"), (secs / 3600 % 24, "hour"), (secs / 60 % 60, "minute"), (secs % 60, "second")];
    let mut out = String::new();
    for (n, unit) in parts.iter().filter(|(n, _)| *n > 0) {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&format!("{} {}{}", n, unit, if *n == 1 { "" } else { "s" }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_wireshark_writes_them() {
        assert_eq!(duration_text(100800), "1 day, 4 hours");
        assert_eq!(duration_text(7200), "2 hours");
        assert_eq!(duration_text(61), "1 minute, 1 second");
    }

    #[test]
    fn server_hello_scan_finds_the_selected_version_and_hrr() {
        // version 0303, HRR random, empty session id, cipher 1301, comp 0, supported_versions 0304
        let mut b = vec![0x03, 0x03];
        b.extend_from_slice(&HRR_RANDOM);
        b.extend_from_slice(&[0, 0x13, 0x01, 0, 0, 6, 0, 43, 0, 2, 3, 4]);
        let l = Layer::new(&b, 0, b.len(), "t");
        assert_eq!(scan_server_hello(&l, 0, b.len()), (0x0304, true));
        assert_eq!(scan_server_hello(&l, 0, 10), (0x0303, true), "a cut hello keeps its own version");
    }
}
