//! Just enough DER to name a certificate the way Wireshark labels it in a TLS Certificate
//! message: its subject, `id-at-commonName=...,id-at-organizationName=...` (RDNs in reverse
//! order). The full X.509 tree (`x509af`/`x509sat`/`x509ce`) is not decoded.

/// One DER element at `at`: (tag, content start, content end). Bounded by `b`.
fn element(b: &[u8], at: usize) -> Option<(u8, usize, usize)> {
    let tag = *b.get(at)?;
    let first = *b.get(at + 1)? as usize;
    let (len, start) = if first < 0x80 {
        (first, at + 2)
    } else {
        let n = first & 0x7f;
        if n == 0 || n > 3 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *b.get(at + 2 + i)? as usize;
        }
        (len, at + 2 + n)
    };
    let end = start.checked_add(len)?;
    (end <= b.len()).then(|| (tag, start, end))
}

/// Wireshark's names for the attribute types of a distinguished name.
fn attribute_name(oid: &[u8]) -> Option<&'static str> {
    Some(match oid {
        [0x55, 0x04, 3] => "id-at-commonName",
        [0x55, 0x04, 4] => "id-at-surname",
        [0x55, 0x04, 5] => "id-at-serialNumber",
        [0x55, 0x04, 6] => "id-at-countryName",
        [0x55, 0x04, 7] => "id-at-localityName",
        [0x55, 0x04, 8] => "id-at-stateOrProvinceName",
        [0x55, 0x04, 9] => "id-at-streetAddress",
        [0x55, 0x04, 10] => "id-at-organizationName",
        [0x55, 0x04, 11] => "id-at-organizationalUnitName",
        [0x55, 0x04, 12] => "id-at-title",
        [0x55, 0x04, 17] => "id-at-postalCode",
        [0x55, 0x04, 42] => "id-at-givenName",
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "pkcs-9-at-emailAddress",
        _ => return None,
    })
}

/// Dotted form of an OID's content bytes.
fn dotted(oid: &[u8]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut v: u64 = 0;
    for (i, &byte) in oid.iter().enumerate() {
        v = (v << 7) | (byte & 0x7f) as u64;
        if byte & 0x80 == 0 {
            if parts.is_empty() && i < oid.len() {
                let first = (v / 40).min(2);
                parts.push(first.to_string());
                parts.push((v - first * 40).to_string());
            } else {
                parts.push(v.to_string());
            }
            v = 0;
        }
    }
    parts.join(".")
}

/// The subject of a DER certificate as Wireshark summarises it, or None if it does not parse.
pub fn subject_summary(cert: &[u8]) -> Option<String> {
    let (_, c, _) = element(cert, 0)?; // Certificate
    let (_, tbs, tbs_end) = element(cert, c)?; // TBSCertificate
    let b = &cert[..tbs_end];
    let mut at = tbs;
    let mut skip = |tag_wanted: Option<u8>| -> Option<(u8, usize, usize)> {
        let e = element(b, at)?;
        if let Some(t) = tag_wanted {
            if e.0 != t {
                return Some((0, at, at));
            }
        }
        at = e.2;
        Some(e)
    };
    skip(Some(0xa0))?; // [0] version, optional
    skip(None)?; // serialNumber
    skip(None)?; // signature
    skip(None)?; // issuer
    skip(None)?; // validity
    let (tag, start, end) = skip(None)?; // subject
    if tag != 0x30 {
        return None;
    }
    let mut rdns = Vec::new();
    let mut p = start;
    while p < end {
        let (_, set_start, set_end) = element(b, p)?;
        let mut q = set_start;
        while q < set_end {
            let (_, atv, atv_end) = element(b, q)?;
            let (_, oid_start, oid_end) = element(b, atv)?;
            let (_, v_start, v_end) = element(b, oid_end)?;
            let oid = &b[oid_start..oid_end];
            let name = attribute_name(oid).map(str::to_string).unwrap_or_else(|| dotted(oid));
            rdns.push(format!("{}={}", name, crate::text::escaped(&b[v_start..v_end])));
            q = atv_end;
        }
        p = set_end;
    }
    rdns.reverse();
    Some(rdns.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_of_a_self_signed_certificate() {
        // openssl req -x509 -subj /CN=reef.test (P-256), first 0x97 bytes are enough to reach it.
        let der = [
            0x30, 0x82, 0x01, 0x7c, 0x30, 0x82, 0x01, 0x23, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x14, 0x35, 0xea, 0x9e, 0x74,
            0x3e, 0xc0, 0x2f, 0x5b, 0x3b, 0x05, 0x51, 0xc4, 0x51, 0x93, 0x40, 0x8f, 0xc8, 0xe7, 0xb2, 0x44, 0x30, 0x0a, 0x06,
            0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x30, 0x14, 0x31, 0x12, 0x30, 0x10, 0x06, 0x03, 0x55, 0x04,
            0x03, 0x0c, 0x09, 0x72, 0x65, 0x65, 0x66, 0x2e, 0x74, 0x65, 0x73, 0x74, 0x30, 0x1e, 0x17, 0x0d, 0x32, 0x36, 0x31,
            0x31, 0x32, 0x35, 0x30, 0x30, 0x31, 0x38, 0x31, 0x30, 0x5a, 0x17, 0x0d, 0x32, 0x36, 0x31, 0x31, 0x32, 0x37, 0x30,
            0x30, 0x31, 0x38, 0x31, 0x30, 0x5a, 0x30, 0x14, 0x31, 0x12, 0x30, 0x10, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x09,
            0x72, 0x65, 0x65, 0x66, 0x2e, 0x74, 0x65, 0x73, 0x74,
        ];
        // The outer lengths claim more than the slice: nothing parses past the end.
        assert_eq!(subject_summary(&der), None);
        let mut whole = der.to_vec();
        whole.resize(0x180, 0);
        assert_eq!(subject_summary(&whole).as_deref(), Some("id-at-commonName=reef.test"));
        assert_eq!(dotted(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]), "1.2.840.10045.4.3.2");
    }
}
