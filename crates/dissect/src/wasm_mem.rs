//! memcpy and memmove for wasm32. compiler_builtins' versions align the destination and then
//! shift misaligned source words together, which costs more than the copy for the short
//! strings the core moves all the time (a column, an address, a field's text). wasm loads and
//! stores need no alignment, so eight bytes at a time straight through is both simpler and
//! faster. Compiled everywhere so the tests run natively; only wasm exports the symbols.

#[inline(always)]
unsafe fn copy_forward(dst: *mut u8, src: *const u8, n: usize) {
    let mut i = 0;
    while i + 8 <= n {
        (dst.add(i) as *mut u64).write_unaligned((src.add(i) as *const u64).read_unaligned());
        i += 8;
    }
    while i < n {
        *dst.add(i) = *src.add(i);
        i += 1;
    }
}

/// # Safety
/// The C contract: `n` bytes readable at `src`, writable at `dst`, not overlapping.
#[cfg_attr(target_arch = "wasm32", no_mangle)]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    copy_forward(dst, src, n);
    dst
}

/// # Safety
/// The C contract: `n` bytes readable at `src`, writable at `dst`; they may overlap.
#[cfg_attr(target_arch = "wasm32", no_mangle)]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if (dst as usize).wrapping_sub(src as usize) >= n {
        // dst is before src, or past its end: copying forwards never reads a byte already written.
        copy_forward(dst, src, n);
    } else {
        let mut i = n;
        while i >= 8 {
            i -= 8;
            (dst.add(i) as *mut u64).write_unaligned((src.add(i) as *const u64).read_unaligned());
        }
        while i > 0 {
            i -= 1;
            *dst.add(i) = *src.add(i);
        }
    }
    dst
}

#[cfg(test)]
mod tests {
    /// Every length around the 8-byte steps, every overlap in both directions, against
    /// `copy_within` (std's memmove).
    #[test]
    fn moves_like_copy_within() {
        let init: Vec<u8> = (0..64u8).collect();
        for len in 0..40 {
            for src in 0..20 {
                for dst in 0..20 {
                    let mut want = init.clone();
                    want.copy_within(src..src + len, dst);
                    let mut got = init.clone();
                    let p = got.as_mut_ptr();
                    // SAFETY: both ranges lie inside `got`.
                    unsafe { super::memmove(p.add(dst), p.add(src), len) };
                    assert_eq!(got, want, "len {} src {} dst {}", len, src, dst);
                    if src + len <= dst || dst + len <= src {
                        let mut got = init.clone();
                        let p = got.as_mut_ptr();
                        // SAFETY: as above, and the ranges do not overlap.
                        unsafe { super::memcpy(p.add(dst), p.add(src), len) };
                        assert_eq!(got, want, "memcpy len {} src {} dst {}", len, src, dst);
                    }
                }
            }
        }
    }
}
