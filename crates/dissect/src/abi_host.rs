//! The host's side of the ABI: the wasm module's one import, through which a host that keeps
//! every frame (the TUI reads them back from the capture file) hands frames back to the core.
//! wasm only: a native embedder passes its own `FrameSource` to `Session::set_frame_source`.

use crate::abi::ERR_NULL;
use crate::session::Session;

/// The host keeps every frame and hands any back through its `reef.reef_host_frame` import
/// (the TUI reads them from the capture file): reassembled TCP PDUs then keep where their bytes
/// are instead of the bytes. Call before the first frame is ingested.
///
/// # Safety
/// `s` must be a live session.
#[no_mangle]
pub unsafe extern "C" fn reef_host_keeps_frames(s: *mut Session) -> i32 {
    match s.as_mut() {
        Some(session) => {
            session.set_frame_source(Some(Box::new(HostFrames(s as usize as u32))));
            0
        }
        None => ERR_NULL,
    }
}

#[link(wasm_import_module = "reef")]
extern "C" {
    /// Copies frame `number` of `session` to `dst` if it fits in `cap` bytes; returns the
    /// frame's length, or -1 if the host cannot hand it back.
    fn reef_host_frame(session: u32, number: u32, dst: *mut u8, cap: u32) -> i32;
}

/// The host's frames, asked for through the import by the session's handle.
struct HostFrames(u32);

impl crate::analysis::FrameSource for HostFrames {
    fn frame(&mut self, number: u32, out: &mut Vec<u8>) -> bool {
        out.clear();
        loop {
            let cap = out.capacity();
            // SAFETY: the host writes at most `cap` bytes to the Vec's spare capacity.
            let len = unsafe { reef_host_frame(self.0, number, out.as_mut_ptr(), cap as u32) };
            if len < 0 {
                return false;
            }
            if len as usize <= cap {
                unsafe { out.set_len(len as usize) };
                return true;
            }
            out.reserve(len as usize);
        }
    }
}
