/** The raw exports of reef_dissect.wasm (crates/dissect/src/abi.rs). Internal to this package. */
export interface RawExports {
  memory: WebAssembly.Memory;
  reef_alloc(len: number): number;
  reef_dealloc(ptr: number, len: number): void;
  reef_session_new(): number;
  reef_session_free(s: number): void;
  reef_frame_count(s: number): number;
  reef_configure(s: number, text: number, len: number): number;
  reef_host_keeps_frames(s: number): number;
  reef_ingest(s: number, meta: number, count: number, data: number, dataLen: number, flags: number): number;
  reef_rows(s: number, meta: number, count: number, data: number, dataLen: number): number;
  reef_dissect(s: number, meta: number, data: number, dataLen: number): number;
  reef_fields(s: number): number;
  reef_filter_check(s: number, text: number, len: number): number;
  reef_filter_set(s: number, text: number, len: number): number;
  reef_read_filter_set(s: number, text: number, len: number): number;
  reef_filter_frames(s: number, meta: number, count: number, data: number, dataLen: number): number;
  reef_prejudge_frames(s: number, meta: number, count: number): number;
  reef_color_rules(s: number): number;
  reef_color_frames(s: number, meta: number, count: number, data: number, dataLen: number): number;
  reef_complete(s: number, text: number, len: number): number;
  reef_stats_start(s: number, text: number, len: number): number;
  reef_stats_feed(s: number, meta: number, count: number, data: number, dataLen: number): number;
  reef_finish(s: number): number;
  reef_stats_text(s: number): number;
  reef_stats_text_part(s: number, budget: number): number;
  reef_stats_export(s: number): number;
  reef_stats_absorb(s: number, text: number, len: number): number;
  reef_stats_json(s: number, index: number): number;
  reef_out_ptr(s: number): number;
  reef_frame_ends_ptr(s: number): number;
  reef_out_len(s: number): number;
  reef_out_clear(s: number): void;
}

/** Error codes of abi.rs. */
export const ABI_ERRORS: Record<number, string> = {
  [-1]: 'null session',
  [-2]: 'frame was not ingested by this session',
  [-3]: 'frame data outside the batch buffer',
  [-4]: 'invalid configuration',
  [-5]: 'invalid display filter',
  [-6]: 'no such statistic was requested',
};
