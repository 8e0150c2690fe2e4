//! The few primitives the dissectors need to show what Wireshark shows: MD5 for the TLS
//! JA3/JA3S fingerprints; SHA-256, HKDF and AES-128-GCM to remove QUIC Initial packet
//! protection (RFC 9001 section 5, keys derived from public values). Plain, dependency-free
//! implementations of the published algorithms, checked against their standard test vectors.

/// MD5 (RFC 1321) of `data`.
pub fn md5(data: &[u8]) -> [u8; 16] {
    const S: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4,
        11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    // floor(|sin(i + 1)| * 2^32), RFC 1321's table, written out: computing it would pull the
    // floating-point sine (~7 KB of wasm) into the module.
    const K: [u32; 64] = [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af,
        0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
        0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
        0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97,
        0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
        0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    ];
    let mut state = [0x67452301u32, 0xefcdab89, 0x98badcfe, 0x10325476];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_le_bytes());
    for chunk in msg.chunks(64) {
        let w: Vec<u32> = chunk.chunks(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
        let [mut a, mut b, mut c, mut d] = state;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(K[i]).wrapping_add(w[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(S[i]));
        }
        state[0] = state[0].wrapping_add(a);
        state[1] = state[1].wrapping_add(b);
        state[2] = state[2].wrapping_add(c);
        state[3] = state[3].wrapping_add(d);
    }
    let mut out = [0u8; 16];
    for (i, s) in state.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&s.to_le_bytes());
    }
    out
}

/// SHA-256 (FIPS 180-4) of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
        0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
        0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
        0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
        0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
        0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];
    let mut h: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([chunk[4 * i], chunk[4 * i + 1], chunk[4 * i + 2], chunk[4 * i + 3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7].wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), v[0], v[1], v[2], v[3].wrapping_add(t1), v[4], v[5], v[6]];
        }
        for i in 0..8 {
            h[i] = h[i].wrapping_add(v[i]);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// HMAC-SHA-256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&sha256(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    inner.extend_from_slice(data);
    let mut outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    outer.extend_from_slice(&sha256(&inner));
    sha256(&outer)
}

/// HKDF-Extract with SHA-256 (RFC 5869).
pub fn hkdf_extract(salt: &[u8], ikm: &[u8]) -> [u8; 32] {
    hmac_sha256(salt, ikm)
}

/// TLS 1.3's HKDF-Expand-Label with an empty context (RFC 8446 section 7.1), SHA-256.
pub fn hkdf_expand_label(secret: &[u8], label: &str, len: usize) -> Vec<u8> {
    let full = format!("tls13 {}", label);
    let mut info = (len as u16).to_be_bytes().to_vec();
    info.push(full.len() as u8);
    info.extend_from_slice(full.as_bytes());
    info.push(0);
    let mut out = Vec::with_capacity(len);
    let mut prev: Vec<u8> = Vec::new();
    let mut counter = 1u8;
    while out.len() < len {
        let mut block = prev.clone();
        block.extend_from_slice(&info);
        block.push(counter);
        prev = hmac_sha256(secret, &block).to_vec();
        out.extend_from_slice(&prev);
        counter = counter.wrapping_add(1);
    }
    out.truncate(len);
    out
}

/// AES-128 with an expanded key (FIPS 197), encryption only: what CTR, GCM and QUIC header
/// protection need.
pub struct Aes128 {
    round_keys: [[u8; 16]; 11],
    sbox: [u8; 256],
}

fn gf_mul(mut a: u8, mut b: u8) -> u8 {
    let mut p = 0u8;
    while b != 0 {
        if b & 1 != 0 {
            p ^= a;
        }
        let hi = a & 0x80;
        a <<= 1;
        if hi != 0 {
            a ^= 0x1b;
        }
        b >>= 1;
    }
    p
}

/// The AES S-box, computed: the multiplicative inverse in GF(2^8) (through exp/log tables of
/// the generator 3), then the affine map.
fn aes_sbox() -> [u8; 256] {
    let (mut exp, mut log) = ([0u8; 256], [0u8; 256]);
    let mut x = 1u8;
    for i in 0..255 {
        exp[i] = x;
        log[x as usize] = i as u8;
        x = gf_mul(x, 3);
    }
    let mut sbox = [0u8; 256];
    for (v, s) in sbox.iter_mut().enumerate() {
        let inv = if v == 0 { 0 } else { exp[(255 - log[v] as usize) % 255] };
        let mut b = inv;
        for r in 1..5 {
            b ^= inv.rotate_left(r);
        }
        *s = b ^ 0x63;
    }
    sbox
}

impl Aes128 {
    pub fn new(key: &[u8; 16]) -> Aes128 {
        let sbox = aes_sbox();
        let mut rk = [[0u8; 16]; 11];
        rk[0] = *key;
        let mut rcon = 1u8;
        for r in 1..11 {
            let prev = rk[r - 1];
            let mut t = [sbox[prev[13] as usize], sbox[prev[14] as usize], sbox[prev[15] as usize], sbox[prev[12] as usize]];
            t[0] ^= rcon;
            rcon = gf_mul(rcon, 2);
            for i in 0..16 {
                let v = if i < 4 { t[i] } else { rk[r][i - 4] };
                rk[r][i] = prev[i] ^ v;
            }
        }
        Aes128 { round_keys: rk, sbox }
    }

    pub fn encrypt_block(&self, block: &[u8; 16]) -> [u8; 16] {
        let mut s = *block;
        let add = |s: &mut [u8; 16], k: &[u8; 16]| s.iter_mut().zip(k.iter()).for_each(|(a, b)| *a ^= b);
        add(&mut s, &self.round_keys[0]);
        for round in 1..11 {
            for b in s.iter_mut() {
                *b = self.sbox[*b as usize];
            }
            let t = s;
            for c in 0..4 {
                for r in 0..4 {
                    s[4 * c + r] = t[4 * ((c + r) % 4) + r];
                }
            }
            if round != 10 {
                for c in 0..4 {
                    let col = [s[4 * c], s[4 * c + 1], s[4 * c + 2], s[4 * c + 3]];
                    for r in 0..4 {
                        s[4 * c + r] = gf_mul(col[r], 2) ^ gf_mul(col[(r + 1) % 4], 3) ^ col[(r + 2) % 4] ^ col[(r + 3) % 4];
                    }
                }
            }
            add(&mut s, &self.round_keys[round]);
        }
        s
    }
}

/// Multiplication in GCM's GF(2^128) (NIST SP 800-38D, algorithm 1).
fn gf128_mul(x: u128, y: u128) -> u128 {
    let mut z = 0u128;
    let mut v = y;
    for i in 0..128 {
        if x & (1u128 << (127 - i)) != 0 {
            z ^= v;
        }
        v = if v & 1 != 0 { (v >> 1) ^ (0xe1u128 << 120) } else { v >> 1 };
    }
    z
}

/// GHASH over `aad` and `ct` with their lengths, XORed with E(K, J0): the GCM tag.
fn gcm_tag(aes: &Aes128, nonce: &[u8; 12], aad: &[u8], ct: &[u8]) -> [u8; 16] {
    let h = u128::from_be_bytes(aes.encrypt_block(&[0u8; 16]));
    let mut ghash = 0u128;
    for data in [aad, ct] {
        for chunk in data.chunks(16) {
            let mut b = [0u8; 16];
            b[..chunk.len()].copy_from_slice(chunk);
            ghash = gf128_mul(ghash ^ u128::from_be_bytes(b), h);
        }
    }
    let lens = ((aad.len() as u128 * 8) << 64) | (ct.len() as u128 * 8);
    ghash = gf128_mul(ghash ^ lens, h);
    let mut j0 = [0u8; 16];
    j0[..12].copy_from_slice(nonce);
    j0[15] = 1;
    (ghash ^ u128::from_be_bytes(aes.encrypt_block(&j0))).to_be_bytes()
}

/// GCM's counter mode from block 2 on (encryption and decryption are the same).
fn gcm_ctr(aes: &Aes128, nonce: &[u8; 12], data: &[u8]) -> Vec<u8> {
    let mut counter = [0u8; 16];
    counter[..12].copy_from_slice(nonce);
    let mut out = Vec::with_capacity(data.len());
    for (i, chunk) in data.chunks(16).enumerate() {
        counter[12..].copy_from_slice(&2u32.wrapping_add(i as u32).to_be_bytes());
        let ks = aes.encrypt_block(&counter);
        out.extend(chunk.iter().zip(ks.iter()).map(|(a, b)| a ^ b));
    }
    out
}

/// AES-128-GCM encryption: ciphertext followed by the 16-byte tag (tests build protected
/// packets with it).
pub fn aes128_gcm_seal(key: &[u8; 16], nonce: &[u8; 12], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let aes = Aes128::new(key);
    let mut out = gcm_ctr(&aes, nonce, plaintext);
    let tag = gcm_tag(&aes, nonce, aad, &out);
    out.extend_from_slice(&tag);
    out
}

/// AES-128-GCM decryption with a 12-byte nonce and a 16-byte tag at the end of `sealed`;
/// None when the tag does not verify.
pub fn aes128_gcm_open(key: &[u8; 16], nonce: &[u8; 12], aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
    if sealed.len() < 16 {
        return None;
    }
    let (ct, tag) = sealed.split_at(sealed.len() - 16);
    let aes = Aes128::new(key);
    if gcm_tag(&aes, nonce, aad, ct) != tag {
        return None;
    }
    Some(gcm_ctr(&aes, nonce, ct))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{:02x}", b);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_matches_rfc1321_vectors() {
        assert_eq!(hex(&md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(&md5(b"abc")), "900150983cd24fb0d6963f7d28e17f72");
        let long = b"12345678901234567890123456789012345678901234567890123456789012345678901234567890";
        assert_eq!(hex(&md5(long)), "57edf4a22be3c955ac49da2e2107b67a");
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn sha256_hmac_and_hkdf_match_published_vectors() {
        assert_eq!(hex(&sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        // RFC 4231 test case 2.
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // RFC 9001 appendix A.1: the client Initial secret and keys for DCID 8394c8f03e515708.
        let initial = hkdf_extract(&unhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"), &unhex("8394c8f03e515708"));
        let client = hkdf_expand_label(&initial, "client in", 32);
        assert_eq!(hex(&client), "c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea");
        assert_eq!(hex(&hkdf_expand_label(&client, "quic key", 16)), "1f369613dd76d5467730efcbe3b1a22d");
        assert_eq!(hex(&hkdf_expand_label(&client, "quic iv", 12)), "fa044b2f42a3fd3b46fb255c");
        assert_eq!(hex(&hkdf_expand_label(&client, "quic hp", 16)), "9f50449e04a0e810283a1e9933adedd2");
    }

    #[test]
    fn aes_and_gcm_match_published_vectors() {
        // FIPS 197 appendix C.1.
        let k: [u8; 16] = unhex("000102030405060708090a0b0c0d0e0f").try_into().unwrap();
        let p: [u8; 16] = unhex("00112233445566778899aabbccddeeff").try_into().unwrap();
        assert_eq!(hex(&Aes128::new(&k).encrypt_block(&p)), "69c4e0d86a7b0430d8cdb78070b4c55a");
        // GCM spec test case 3 (no AAD) and 4 (with AAD).
        let key: [u8; 16] = unhex("feffe9928665731c6d6a8f9467308308").try_into().unwrap();
        let iv: [u8; 12] = unhex("cafebabefacedbaddecaf888").try_into().unwrap();
        let pt = unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        let ct = unhex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091");
        let tag = unhex("5bc94fbc3221a5db94fae95ae7121a47");
        let aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        let mut sealed = ct.clone();
        sealed.extend_from_slice(&tag);
        assert_eq!(aes128_gcm_open(&key, &iv, &aad, &sealed), Some(pt.clone()));
        assert_eq!(aes128_gcm_seal(&key, &iv, &aad, &pt), sealed);
        sealed[0] ^= 1;
        assert_eq!(aes128_gcm_open(&key, &iv, &aad, &sealed), None, "a bad tag fails");
    }
}
