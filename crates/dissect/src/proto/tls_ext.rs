//! TLS hello extensions (part of the `tls` protocol): server_name, ALPN, supported_versions,
//! key_share, supported_groups, signature_algorithms and the rest `tshark -V` details, GREASE
//! values named as Wireshark names them, and the JA3/JA3S fingerprints of the hellos.

use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, Layer};
use crate::proto::frame::TEXT;
use crate::proto::tls::Session;
use crate::proto::tls_handshake::{CLIENT_HELLO, HELLO_RETRY_REQUEST, SERVER_HELLO};
use crate::proto::tls_vals;
use crate::tree::Value;

pub const SERVER_NAME: u16 = 0;
pub const STATUS_REQUEST: u16 = 5;
pub const SUPPORTED_GROUPS: u16 = 10;
pub const EC_POINT_FORMATS: u16 = 11;
pub const SIGNATURE_ALGORITHMS: u16 = 13;
pub const ALPN: u16 = 16;
pub const PADDING: u16 = 21;
pub const COMPRESS_CERTIFICATE: u16 = 27;
pub const RECORD_SIZE_LIMIT: u16 = 28;
pub const SESSION_TICKET: u16 = 35;
pub const SUPPORTED_VERSIONS: u16 = 43;
pub const PSK_KEY_EXCHANGE_MODES: u16 = 45;
pub const SIGNATURE_ALGORITHMS_CERT: u16 = 50;
pub const KEY_SHARE: u16 = 51;
pub const RENEGOTIATION_INFO: u16 = 0xff01;

static SERVER_NAME_TYPES: &[(u64, &str)] = &[(0, "host_name")];
static EC_POINT_FORMAT_NAMES: &[(u64, &str)] =
    &[(0, "uncompressed"), (1, "ansiX962_compressed_prime"), (2, "ansiX962_compressed_char2")];
static STATUS_TYPES: &[(u64, &str)] = &[(1, "OCSP"), (2, "OCSP Multi")];
static PSK_KE_MODES: &[(u64, &str)] =
    &[(0, "PSK-only key establishment (psk_ke)"), (1, "PSK with (EC)DHE key establishment (psk_dhe_ke)")];
static HASH_ALGORITHMS: &[(u64, &str)] =
    &[(0, "None"), (1, "MD5"), (2, "SHA1"), (3, "SHA224"), (4, "SHA256"), (5, "SHA384"), (6, "SHA512"), (7, "SM3")];
static SIGNATURE_KINDS: &[(u64, &str)] = &[(0, "Anonymous"), (1, "RSA"), (2, "DSA"), (3, "ECDSA"), (4, "SM2")];
static CERT_COMPRESSION: &[(u64, &str)] = &[(1, "zlib"), (2, "brotli"), (3, "zstd")];

pub static EXTENSIONS_LENGTH: FieldDef = FieldDef::new("Extensions Length", "tls.handshake.extensions_length", FieldType::Uint16);
pub static EXT_TYPE: FieldDef =
    FieldDef::new("Type", "tls.handshake.extension.type", FieldType::Uint16).strings(tls_vals::EXTENSION_TYPES);
pub static EXT_LEN: FieldDef = FieldDef::new("Length", "tls.handshake.extension.len", FieldType::Uint16);
pub static EXT_DATA: FieldDef = FieldDef::new("Data", "tls.handshake.extension.data", FieldType::Bytes);
pub static SNI_LIST_LEN: FieldDef =
    FieldDef::new("Server Name list length", "tls.handshake.extensions_server_name_list_len", FieldType::Uint16);
pub static SNI_TYPE: FieldDef =
    FieldDef::new("Server Name Type", "tls.handshake.extensions_server_name_type", FieldType::Uint8).strings(SERVER_NAME_TYPES);
pub static SNI_LEN: FieldDef = FieldDef::new("Server Name length", "tls.handshake.extensions_server_name_len", FieldType::Uint16);
pub static SNI: FieldDef = FieldDef::new("Server Name", "tls.handshake.extensions_server_name", FieldType::String);
pub static GROUPS_LEN: FieldDef = FieldDef::new(
    "Supported Groups List Length",
    "tls.handshake.extensions_supported_groups_length",
    FieldType::Uint16,
);
pub static GROUPS: FieldDef = FieldDef::new("Supported Groups List", "tls.handshake.extensions_supported_groups", FieldType::None);
pub static GROUP: FieldDef = FieldDef::new("Supported Group", "tls.handshake.extensions_supported_group", FieldType::Uint16)
    .base(Base::Hex)
    .strings(tls_vals::NAMED_GROUPS);
pub static ECPF_LEN: FieldDef =
    FieldDef::new("EC point formats Length", "tls.handshake.extensions_ec_point_formats_length", FieldType::Uint8);
pub static ECPFS: FieldDef = FieldDef::new("EC point formats", "tls.handshake.extensions_ec_point_formats", FieldType::None);
pub static ECPF: FieldDef =
    FieldDef::new("EC point format", "tls.handshake.extensions_ec_point_format", FieldType::Uint8).strings(EC_POINT_FORMAT_NAMES);
pub static ALPN_LEN: FieldDef = FieldDef::new("ALPN Extension Length", "tls.handshake.extensions_alpn_len", FieldType::Uint16);
pub static ALPN_LIST: FieldDef = FieldDef::new("ALPN Protocol", "tls.handshake.extensions_alpn_list", FieldType::None);
pub static ALPN_STR_LEN: FieldDef = FieldDef::new("ALPN string length", "tls.handshake.extensions_alpn_str_len", FieldType::Uint8);
pub static ALPN_STR: FieldDef = FieldDef::new("ALPN Next Protocol", "tls.handshake.extensions_alpn_str", FieldType::String);
pub static RENEG_LEN: FieldDef =
    FieldDef::new("Renegotiation info extension length", "tls.handshake.extensions_reneg_info_len", FieldType::Uint8);
pub static RENEG: FieldDef = FieldDef::new("Renegotiation info", "tls.handshake.extensions_reneg_info", FieldType::Bytes);
pub static KS_CLIENT_LEN: FieldDef =
    FieldDef::new("Client Key Share Length", "tls.handshake.extensions_key_share_client_length", FieldType::Uint16);
pub static KS_GROUP: FieldDef =
    FieldDef::new("Group", "tls.handshake.extensions_key_share_group", FieldType::Uint16).strings(tls_vals::NAMED_GROUPS);
pub static KS_KEX_LEN: FieldDef = FieldDef::new(
    "Key Exchange Length",
    "tls.handshake.extensions_key_share_key_exchange_length",
    FieldType::Uint16,
);
pub static KS_KEX: FieldDef = FieldDef::new("Key Exchange", "tls.handshake.extensions_key_share_key_exchange", FieldType::Bytes);
pub static KS_SELECTED: FieldDef = FieldDef::new("Selected Group", "tls.handshake.extensions_key_share_selected_group", FieldType::Uint16)
    .strings(tls_vals::NAMED_GROUPS);
pub static SV_LEN: FieldDef =
    FieldDef::new("Supported Versions length", "tls.handshake.extensions.supported_versions_len", FieldType::Uint8);
pub static SV: FieldDef = FieldDef::new("Supported Version", "tls.handshake.extensions.supported_version", FieldType::Uint16)
    .base(Base::Hex)
    .strings(tls_vals::VERSIONS);
pub static PADDING_DATA: FieldDef = FieldDef::new("Padding Data", "tls.handshake.extensions_padding_data", FieldType::Bytes);
pub static STATUS_TYPE: FieldDef =
    FieldDef::new("Certificate Status Type", "tls.handshake.extensions_status_request_type", FieldType::Uint8).strings(STATUS_TYPES);
pub static STATUS_LEN: FieldDef =
    FieldDef::new("Certificate Status Length", "tls.handshake.extensions_status_request_len", FieldType::Uint16);
pub static STATUS_RESPONDERS_LEN: FieldDef = FieldDef::new(
    "Responder ID list Length",
    "tls.handshake.extensions_status_request_responder_ids_len",
    FieldType::Uint16,
);
pub static STATUS_EXTS_LEN: FieldDef =
    FieldDef::new("Request Extensions Length", "tls.handshake.extensions_status_request_exts_len", FieldType::Uint16);
pub static STATUS_LIST_LEN: FieldDef =
    FieldDef::new("Certificate Status List Length", "tls.handshake.extensions_status_request_list_len", FieldType::Uint16);
pub static SIG_ALGS_LEN: FieldDef = FieldDef::new("Signature Hash Algorithms Length", "tls.handshake.sig_hash_alg_len", FieldType::Uint16);
pub static SIG_ALGS: FieldDef = FieldDef::new("Signature Algorithms", "tls.handshake.sig_hash_algs", FieldType::None);
pub static SIG_ALG: FieldDef = FieldDef::new("Signature Algorithm", "tls.handshake.sig_hash_alg", FieldType::Uint16)
    .base(Base::Hex)
    .strings(tls_vals::SIGNATURE_SCHEMES);
pub static SIG_HASH: FieldDef =
    FieldDef::new("Signature Hash Algorithm Hash", "tls.handshake.sig_hash_hash", FieldType::Uint8).strings(HASH_ALGORITHMS);
pub static SIG_SIG: FieldDef =
    FieldDef::new("Signature Hash Algorithm Signature", "tls.handshake.sig_hash_sig", FieldType::Uint8).strings(SIGNATURE_KINDS);
pub static PSK_MODES_LEN: FieldDef =
    FieldDef::new("PSK Key Exchange Modes Length", "tls.extension.psk_ke_modes_length", FieldType::Uint8);
pub static PSK_MODE: FieldDef = FieldDef::new("PSK Key Exchange Mode", "tls.extension.psk_ke_mode", FieldType::Uint8).strings(PSK_KE_MODES);
pub static CC_ALGS_LEN: FieldDef =
    FieldDef::new("Algorithms Length", "tls.compress_certificate.algorithms_length", FieldType::Uint8);
pub static CC_ALG: FieldDef =
    FieldDef::new("Algorithm", "tls.compress_certificate.algorithm", FieldType::Uint16).strings(CERT_COMPRESSION);
pub static RECORD_SIZE: FieldDef = FieldDef::new("Record Size Limit", "tls.record_size_limit", FieldType::Uint16);
pub static ALPS_LEN: FieldDef = FieldDef::new("ALPS Extension Length", "tls.handshake.extensions_alps_len", FieldType::Uint16);
pub static ALPS_LIST: FieldDef = FieldDef::new("Supported ALPN List", "tls.handshake.extensions_alps_alpn_list", FieldType::None);
pub static ALPS_STR_LEN: FieldDef =
    FieldDef::new("Supported ALPN Length", "tls.handshake.extensions_alps_alpn_str_len", FieldType::Uint8);
pub static ALPS_STR: FieldDef = FieldDef::new("Supported ALPN", "tls.handshake.extensions_alps_alpn_str", FieldType::String);
pub static JA3_FULL: FieldDef = FieldDef::new("JA3 Fullstring", "tls.handshake.ja3_full", FieldType::String);
pub static JA3: FieldDef = FieldDef::new("JA3", "tls.handshake.ja3", FieldType::String);
pub static JA3S_FULL: FieldDef = FieldDef::new("JA3S Fullstring", "tls.handshake.ja3s_full", FieldType::String);
pub static JA3S: FieldDef = FieldDef::new("JA3S", "tls.handshake.ja3s", FieldType::String);

pub static FIELDS: &[&FieldDef] = &[
    &EXTENSIONS_LENGTH, &EXT_TYPE, &EXT_LEN, &EXT_DATA, &SNI_LIST_LEN, &SNI_TYPE, &SNI_LEN, &SNI, &GROUPS_LEN, &GROUPS, &GROUP,
    &ECPF_LEN, &ECPFS, &ECPF, &ALPN_LEN, &ALPN_LIST, &ALPN_STR_LEN, &ALPN_STR, &RENEG_LEN, &RENEG, &KS_CLIENT_LEN, &KS_GROUP,
    &KS_KEX_LEN, &KS_KEX, &KS_SELECTED, &SV_LEN, &SV, &PADDING_DATA, &STATUS_TYPE, &STATUS_LEN, &STATUS_RESPONDERS_LEN,
    &STATUS_EXTS_LEN, &STATUS_LIST_LEN, &SIG_ALGS_LEN, &SIG_ALGS, &SIG_ALG, &SIG_HASH, &SIG_SIG, &PSK_MODES_LEN, &PSK_MODE,
    &CC_ALGS_LEN, &CC_ALG, &RECORD_SIZE, &ALPS_LEN, &ALPS_LIST, &ALPS_STR_LEN, &ALPS_STR, &JA3_FULL, &JA3, &JA3S_FULL, &JA3S,
];

/// The protocol an ALPN identifier selects (Wireshark's `ssl_alpn_protocols`, prefix entries
/// marked), by its long name.
fn alpn_protocol(id: &[u8]) -> Option<&'static str> {
    const TABLE: &[(&[u8], bool, &str)] = &[
        (b"http/1.1", false, "Hypertext Transfer Protocol"),
        (b"spdy/", true, "SPDY"),
        (b"h2-", true, "HyperText Transfer Protocol 2"),
        (b"h2", false, "HyperText Transfer Protocol 2"),
        (b"mqtt", false, "MQ Telemetry Transport Protocol"),
        (b"sip/2", false, "Session Initiation Protocol"),
        (b"coap", false, "Constrained Application Protocol"),
        (b"h3-", true, "Hypertext Transfer Protocol Version 3"),
        (b"h3", false, "Hypertext Transfer Protocol Version 3"),
        (b"dot", false, "Domain Name System"),
    ];
    TABLE.iter().find(|(p, prefix, _)| if *prefix { id.starts_with(p) } else { id == *p }).map(|t| t.2)
}

/// GREASE values (RFC 8701): 0x?a?a with equal bytes. JA3 leaves them out.
pub fn is_grease(v: u16) -> bool {
    v & 0x0f0f == 0x0a0a && v >> 8 == v & 0xff
}

/// Adds an integer field whose label names the value, `Unknown (v)` when it has no name
/// (Wireshark's rendering of value strings).
pub fn add_named(ctx: &mut Ctx, parent: u32, f: &'static FieldDef, l: &Layer, at: usize, len: usize, v: u64) -> u32 {
    let n = ctx.add_uint(parent, f, l, at, len, v);
    if ctx.tree.enabled() && f.value_name(v).is_none() {
        let mut num = String::new();
        crate::tree::write_uint(&mut num, f, v);
        crate::set_label!(ctx.tree, n, "{}: Unknown ({})", f.name, num);
    }
    n
}

/// A signature scheme, with its hash and signature halves as sub-items.
pub fn signature_algorithm(ctx: &mut Ctx, parent: u32, l: &Layer, at: usize) {
    let v = l.u16(at);
    let n = ctx.add_uint(parent, &SIG_ALG, l, at, 2, v as u64);
    if ctx.tree.enabled() && SIG_ALG.value_name(v as u64).is_none() {
        // Pre-TLS 1.3 pairs have no scheme name: Wireshark writes "<hash> <signature>".
        let hash = SIG_HASH.value_name((v >> 8) as u64).unwrap_or("Unknown");
        let sig = SIG_SIG.value_name((v & 0xff) as u64).unwrap_or("Unknown");
        crate::set_label!(ctx.tree, n, "Signature Algorithm: {} {} (0x{:04x})", hash, sig, v);
    }
    add_named(ctx, n, &SIG_HASH, l, at, 1, l.u8(at) as u64);
    add_named(ctx, n, &SIG_SIG, l, at + 1, 1, l.u8(at + 1) as u64);
}

/// The JA3 (ClientHello) or JA3S (ServerHello) fingerprint being collected.
pub struct Ja3 {
    version: u16,
    ciphers: Vec<u16>,
    extensions: Vec<u16>,
    groups: Vec<u16>,
    point_formats: Vec<u8>,
}

impl Ja3 {
    pub fn new(version: u16) -> Ja3 {
        Ja3 { version, ciphers: Vec::new(), extensions: Vec::new(), groups: Vec::new(), point_formats: Vec::new() }
    }
    pub fn cipher(&mut self, c: u16) {
        if !is_grease(c) {
            self.ciphers.push(c);
        }
    }
    fn join<T: std::fmt::Display>(v: &[T]) -> String {
        v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join("-")
    }
    pub fn add_to_tree(&self, ctx: &mut Ctx, node: u32, client: bool) {
        let (full_field, hash_field, full) = if client {
            let full = format!(
                "{},{},{},{},{}",
                self.version,
                Ja3::join(&self.ciphers),
                Ja3::join(&self.extensions),
                Ja3::join(&self.groups),
                Ja3::join(&self.point_formats)
            );
            (&JA3_FULL, &JA3, full)
        } else {
            (&JA3S_FULL, &JA3S, format!("{},{},{}", self.version, Ja3::join(&self.ciphers), Ja3::join(&self.extensions)))
        };
        let hash = crate::crypto::hex(&crate::crypto::md5(full.as_bytes()));
        ctx.tree.add_generated(node, full_field, Value::Str(full));
        ctx.tree.add_generated(node, hash_field, Value::Str(hash));
    }
}

pub fn dissect_extensions(ctx: &mut Ctx, parent: u32, l: &Layer, at: usize, s: &mut Session, msg_type: u8) {
    let mut ja3 = Ja3::new(0);
    dissect_extensions_ja3(ctx, parent, l, at, s, msg_type, &mut ja3);
}

/// The extensions block at `at` (length-prefixed), collecting JA3 inputs.
pub fn dissect_extensions_ja3(ctx: &mut Ctx, parent: u32, l: &Layer, at: usize, s: &mut Session, msg_type: u8, ja3: &mut Ja3) {
    let total = l.u16(at) as usize;
    ctx.add_uint(parent, &EXTENSIONS_LENGTH, l, at, 2, total as u64);
    let end = (at + 2 + total).min(l.reported);
    let mut p = at + 2;
    let ext_end = end;
    while p + 4 <= end {
        let (t, n) = (l.u16(p), l.u16(p + 2) as usize);
        if !is_grease(t) {
            ja3.extensions.push(t);
        }
        let ext = ctx.add(parent, &TEXT, l, p, 4 + n, Value::None);
        if ctx.tree.enabled() {
            let label = match EXT_TYPE.value_name(t as u64) {
                Some(name) => format!("Extension: {} (len={})", name, n),
                None => format!("Extension: Unknown type {} (len={})", t, n),
            };
            ctx.tree.set_label(ext, label);
        }
        add_named(ctx, ext, &EXT_TYPE, l, p, 2, t as u64);
        ctx.add_uint(ext, &EXT_LEN, l, p + 2, 2, n as u64);
        // A length beyond the extensions block is cut to it: loops below stay within the data.
        let body = l.sub(p + 4, "TLS extension").limit(n.min(ext_end - (p + 4)));
        extension(ctx, ext, &body, t, s, msg_type, ja3);
        p += 4 + n;
    }
}

fn list_node(ctx: &mut Ctx, parent: u32, f: &'static FieldDef, l: &Layer, at: usize, len: usize, label: String) -> u32 {
    let n = ctx.add(parent, f, l, at, len, Value::None);
    if ctx.tree.enabled() {
        ctx.tree.set_label(n, label);
    }
    n
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", n, if n == 1 { one } else { many })
}

fn extension(ctx: &mut Ctx, ext: u32, b: &Layer, t: u16, s: &mut Session, msg_type: u8, ja3: &mut Ja3) {
    let n = b.reported;
    match t {
        SERVER_NAME if n > 0 => {
            let sni = list_node(ctx, ext, &TEXT, b, 0, n, "Server Name Indication extension".to_string());
            let list_len = b.u16(0) as usize;
            ctx.add_uint(sni, &SNI_LIST_LEN, b, 0, 2, list_len as u64);
            let mut p = 2;
            while p + 3 <= (2 + list_len).min(n) {
                let len = b.u16(p + 1) as usize;
                add_named(ctx, sni, &SNI_TYPE, b, p, 1, b.u8(p) as u64);
                ctx.add_uint(sni, &SNI_LEN, b, p + 1, 2, len as u64);
                let name = crate::text::lossy(b.slice(p + 3, len));
                ctx.add(sni, &SNI, b, p + 3, len, Value::Str(name));
                p += 3 + len;
            }
        }
        STATUS_REQUEST if n >= 5 => {
            add_named(ctx, ext, &STATUS_TYPE, b, 0, 1, b.u8(0) as u64);
            ctx.add_uint(ext, &STATUS_RESPONDERS_LEN, b, 1, 2, b.u16(1) as u64);
            let at = 3 + b.u16(1) as usize;
            ctx.add_uint(ext, &STATUS_EXTS_LEN, b, at, 2, b.u16(at) as u64);
        }
        17 if n >= 2 => {
            ctx.add_uint(ext, &STATUS_LIST_LEN, b, 0, 2, b.u16(0) as u64);
            let mut p = 2;
            while p + 3 <= n {
                add_named(ctx, ext, &STATUS_TYPE, b, p, 1, b.u8(p) as u64);
                let len = b.u16(p + 1) as usize;
                ctx.add_uint(ext, &STATUS_LEN, b, p + 1, 2, len as u64);
                if len >= 4 {
                    ctx.add_uint(ext, &STATUS_RESPONDERS_LEN, b, p + 3, 2, b.u16(p + 3) as u64);
                    let at = p + 5 + b.u16(p + 3) as usize;
                    ctx.add_uint(ext, &STATUS_EXTS_LEN, b, at, 2, b.u16(at) as u64);
                }
                p += 3 + len;
            }
        }
        SUPPORTED_GROUPS if n >= 2 => {
            let len = b.u16(0) as usize;
            ctx.add_uint(ext, &GROUPS_LEN, b, 0, 2, len as u64);
            let list = list_node(ctx, ext, &GROUPS, b, 2, len, format!("Supported Groups ({})", plural(len / 2, "group", "groups")));
            for i in 0..len.min(n - 2) / 2 {
                let g = b.u16(2 + 2 * i);
                add_named(ctx, list, &GROUP, b, 2 + 2 * i, 2, g as u64);
                if !is_grease(g) {
                    ja3.groups.push(g);
                }
            }
        }
        EC_POINT_FORMATS if n >= 1 => {
            let len = b.u8(0) as usize;
            ctx.add_uint(ext, &ECPF_LEN, b, 0, 1, len as u64);
            let list = list_node(ctx, ext, &ECPFS, b, 1, len, format!("Elliptic curves point formats ({})", len));
            for i in 0..len.min(n - 1) {
                add_named(ctx, list, &ECPF, b, 1 + i, 1, b.u8(1 + i) as u64);
                ja3.point_formats.push(b.u8(1 + i));
            }
        }
        SIGNATURE_ALGORITHMS | SIGNATURE_ALGORITHMS_CERT if n >= 2 => {
            let len = b.u16(0) as usize;
            ctx.add_uint(ext, &SIG_ALGS_LEN, b, 0, 2, len as u64);
            let label = format!("Signature Hash Algorithms ({})", plural(len / 2, "algorithm", "algorithms"));
            let list = list_node(ctx, ext, &SIG_ALGS, b, 2, len, label);
            for i in 0..len.min(n - 2) / 2 {
                signature_algorithm(ctx, list, b, 2 + 2 * i);
            }
        }
        ALPN if n >= 2 => {
            let len = b.u16(0) as usize;
            ctx.add_uint(ext, &ALPN_LEN, b, 0, 2, len as u64);
            let list = list_node(ctx, ext, &ALPN_LIST, b, 2, len, "ALPN Protocol".to_string());
            let mut p = 2;
            let mut first = true;
            while p < (2 + len).min(n) {
                let sl = b.u8(p) as usize;
                ctx.add_uint(list, &ALPN_STR_LEN, b, p, 1, sl as u64);
                ctx.add(list, &ALPN_STR, b, p + 1, sl, Value::Str(crate::text::lossy(b.slice(p + 1, sl))));
                // The server's choice names the protocol inside the records that follow.
                if first && msg_type == SERVER_HELLO {
                    if let Some(p) = alpn_protocol(b.slice(p + 1, sl)) {
                        s.conv.app_proto = Some(p);
                    }
                }
                first = false;
                p += 1 + sl;
            }
        }
        PADDING => {
            ctx.add(ext, &PADDING_DATA, b, 0, n, Value::Bytes);
        }
        COMPRESS_CERTIFICATE if n >= 1 => {
            let len = b.u8(0) as usize;
            ctx.add_uint(ext, &CC_ALGS_LEN, b, 0, 1, len as u64);
            for i in 0..len.min(n - 1) / 2 {
                add_named(ctx, ext, &CC_ALG, b, 1 + 2 * i, 2, b.u16(1 + 2 * i) as u64);
            }
        }
        RECORD_SIZE_LIMIT if n >= 2 => {
            ctx.add_uint(ext, &RECORD_SIZE, b, 0, 2, b.u16(0) as u64);
        }
        SESSION_TICKET => {
            let d = ctx.add(ext, &EXT_DATA, b, 0, n, Value::Bytes);
            crate::set_label!(ctx.tree, d, "Data ({})", plural(n, "byte", "bytes"));
        }
        SUPPORTED_VERSIONS if msg_type == CLIENT_HELLO && n >= 1 => {
            let len = b.u8(0) as usize;
            ctx.add_uint(ext, &SV_LEN, b, 0, 1, len as u64);
            for i in 0..len.min(n - 1) / 2 {
                add_named(ctx, ext, &SV, b, 1 + 2 * i, 2, b.u16(1 + 2 * i) as u64);
            }
        }
        SUPPORTED_VERSIONS if n >= 2 => {
            add_named(ctx, ext, &SV, b, 0, 2, b.u16(0) as u64);
        }
        PSK_KEY_EXCHANGE_MODES if n >= 1 => {
            let len = b.u8(0) as usize;
            ctx.add_uint(ext, &PSK_MODES_LEN, b, 0, 1, len as u64);
            for i in 0..len.min(n - 1) {
                add_named(ctx, ext, &PSK_MODE, b, 1 + i, 1, b.u8(1 + i) as u64);
            }
        }
        KEY_SHARE if n >= 2 => key_share(ctx, ext, b, s, msg_type),
        RENEGOTIATION_INFO if n >= 1 => {
            let r = list_node(ctx, ext, &TEXT, b, 0, n, "Renegotiation Info extension".to_string());
            let len = b.u8(0) as usize;
            ctx.add_uint(r, &RENEG_LEN, b, 0, 1, len as u64);
            if len > 0 {
                ctx.add(r, &RENEG, b, 1, len, Value::Bytes);
            }
        }
        17513 if n >= 2 => {
            let len = b.u16(0) as usize;
            ctx.add_uint(ext, &ALPS_LEN, b, 0, 2, len as u64);
            let list = list_node(ctx, ext, &ALPS_LIST, b, 2, len, "Supported ALPN List".to_string());
            let mut p = 2;
            while p < (2 + len).min(n) {
                let sl = b.u8(p) as usize;
                ctx.add_uint(list, &ALPS_STR_LEN, b, p, 1, sl as u64);
                ctx.add(list, &ALPS_STR, b, p + 1, sl, Value::Str(crate::text::lossy(b.slice(p + 1, sl))));
                p += 1 + sl;
            }
        }
        57 | 0xffa5 => crate::proto::tls_ext_quic::dissect(ctx, ext, b),
        // An extension Wireshark decodes shows nothing more when empty; others show their data.
        _ if n == 0 && decoded_by_wireshark(t) => {}
        _ => {
            let d = ctx.add(ext, &EXT_DATA, b, 0, n, Value::Bytes);
            if n == 0 {
                crate::set_label!(ctx.tree, d, "Data: <MISSING>");
            }
        }
    }
}

/// Extension types with their own decoder in Wireshark 4.0 (`ssl_dissect_hnd_extension`).
fn decoded_by_wireshark(t: u16) -> bool {
    matches!(
        t,
        0 | 1 | 5 | 9..=24 | 27 | 28 | 34 | 35 | 41..=45 | 47..=51 | 53 | 54 | 57 | 13172 | 17513 | 65281 | 65445 | 65486
    )
}

fn key_share(ctx: &mut Ctx, ext: u32, b: &Layer, s: &mut Session, msg_type: u8) {
    let n = b.reported;
    let is_hrr = msg_type == SERVER_HELLO && n == 2 || msg_type == HELLO_RETRY_REQUEST;
    let ks = list_node(ctx, ext, &TEXT, b, 0, n, "Key Share extension".to_string());
    if is_hrr {
        add_named(ctx, ks, &KS_SELECTED, b, 0, 2, b.u16(0) as u64);
        return;
    }
    let (mut p, end) = if msg_type == CLIENT_HELLO {
        let len = b.u16(0) as usize;
        ctx.add_uint(ks, &KS_CLIENT_LEN, b, 0, 2, len as u64);
        (2, (2 + len).min(n))
    } else {
        (0, n)
    };
    while p + 4 <= end {
        let (g, len) = (b.u16(p), b.u16(p + 2) as usize);
        let group_name = KS_GROUP.value_name(g as u64).map(|s| s.to_string()).unwrap_or_else(|| format!("Unknown ({})", g));
        let entry = list_node(
            ctx,
            ks,
            &TEXT,
            b,
            p,
            4 + len,
            format!("Key Share Entry: Group: {}, Key Exchange length: {}", group_name, len),
        );
        add_named(ctx, entry, &KS_GROUP, b, p, 2, g as u64);
        ctx.add_uint(entry, &KS_KEX_LEN, b, p + 2, 2, len as u64);
        ctx.add(entry, &KS_KEX, b, p + 4, len, Value::Bytes);
        p += 4 + len;
    }
    let _ = s;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grease_values_are_recognised() {
        assert!(is_grease(0x0a0a) && is_grease(0xfafa) && is_grease(0x8a8a));
        assert!(!is_grease(0x0a1a) && !is_grease(0x1301));
        assert_eq!(CIPHER_NAME(0xeaea), Some("Reserved (GREASE)"));
    }

    #[allow(non_snake_case)]
    fn CIPHER_NAME(v: u64) -> Option<&'static str> {
        crate::proto::tls_handshake::CIPHER_SUITE.value_name(v)
    }

    #[test]
    fn alpn_names_follow_wireshark_prefixes() {
        assert_eq!(alpn_protocol(b"spdy/3.1"), Some("SPDY"));
        assert_eq!(alpn_protocol(b"h2"), Some("HyperText Transfer Protocol 2"));
        assert_eq!(alpn_protocol(b"h2c"), None);
    }
}
