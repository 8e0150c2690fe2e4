//! Reef's dissection core: protocols, the field registry, stateful analysis and text output.
//! Pure Rust with no knowledge of JavaScript; `abi` is the only module the host talks to.

pub mod abi;
#[cfg(target_arch = "wasm32")]
pub mod abi_host;
pub mod abi_stats;
#[cfg(any(target_arch = "wasm32", test))]
mod wasm_mem;
pub mod addr;
pub mod analysis;
pub mod crypto;
pub mod dispatch;
pub mod expert;
pub mod field;
pub mod filter;
pub mod hash;
pub mod json;
pub mod packet;
pub mod print;
pub mod proto;
pub mod session;
pub mod stats;
pub mod summary;
pub mod text;
pub mod tree;

pub use packet::FrameMeta;
pub use session::Session;
