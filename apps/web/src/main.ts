/**
 * Reef in the browser: the capture is read, dissected and shown entirely in this page, by
 * @reef/dissect's wasm core (nothing is uploaded).
 */
import { CaptureFormatError, FilterSyntaxError, loadDissector, nodeBytes, openCapture, type Capture, type Dissection, type Dissector } from '@reef/dissect';
import wasmUrl from '@reef/dissect/reef_dissect.wasm?url';
import { DetailsTree } from './details.js';
import { HexPane } from './hex-pane.js';
import { PacketList } from './packet-list.js';
import './style.css';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const fileInput = $<HTMLInputElement>('file');
const filterInput = $<HTMLInputElement>('filter');
const applyButton = $<HTMLButtonElement>('apply');
const status = $('status');
const filterError = $('filter-error');

let dissector: Dissector | undefined;
let capture: Capture | undefined;
let fileName = '';
let shown: number[] = [];
let current: { dissection: Dissection; bytes: Uint8Array } | undefined;

const hex = new HexPane($('hex'), (source, offset) => details.selectByte(source, offset));
const details = new DetailsTree($('details'), (node) => {
  hex.highlight(node && current ? nodeBytes(node, current.dissection, current.bytes) : undefined);
});
const list = new PacketList($('list'), $('rows'), (index) => {
  if (!capture) return;
  current = capture.details(index);
  hex.show([{ name: 'Frame', bytes: current.bytes }, ...current.dissection.sources]);
  details.show(current.dissection);
});

function setStatus(text: string, error = false): void {
  status.textContent = text;
  status.style.color = error ? '#b00020' : '';
}

function counts(): string {
  if (!capture) return '';
  const total = capture.frameCount;
  return shown.length === total ? `${fileName}: ${total} packets` : `${fileName}: ${total} packets, ${shown.length} displayed`;
}

/** Opens a capture file (pcap, pcapng, or either gzipped). */
async function open(file: File): Promise<void> {
  if (!dissector) return;
  setStatus(`Reading ${file.name}…`);
  let bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    bytes = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  }
  capture?.dispose();
  capture = undefined;
  current = undefined;
  details.show(undefined);
  hex.show([]);
  try {
    capture = openCapture(dissector, bytes, { name: file.name });
  } catch (e) {
    setStatus(e instanceof CaptureFormatError ? e.message : `Cannot open ${file.name}: ${String(e)}`, true);
    return;
  }
  fileName = file.name;
  $('drop-hint').hidden = true;
  filterInput.disabled = false;
  applyButton.disabled = false;
  applyFilter();
  if (capture.truncation) setStatus(`${counts()} (${capture.truncation.message})`, true);
}

/** Validates on every keystroke: green, red with tshark's message and a caret under the span. */
function validate(): boolean {
  const text = filterInput.value;
  filterInput.classList.remove('valid', 'invalid');
  filterError.hidden = true;
  if (!capture || text.trim() === '') return true;
  const check = capture.checkFilter(text);
  filterInput.classList.add(check.ok ? 'valid' : 'invalid');
  if (!check.ok) {
    filterError.textContent = check.span ? `${check.message}\n${text}\n${' '.repeat(check.span.start)}^${'~'.repeat(Math.max(0, check.span.length - 1))}` : check.message;
    filterError.hidden = false;
  }
  return check.ok;
}

function applyFilter(): void {
  if (!capture || !validate()) return;
  try {
    shown = capture.matches(filterInput.value);
  } catch (e) {
    if (e instanceof FilterSyntaxError) return void validate();
    throw e;
  }
  list.show(capture, shown);
  setStatus(counts());
}

filterInput.addEventListener('input', () => validate());
filterInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') applyFilter();
});
applyButton.addEventListener('click', () => applyFilter());
fileInput.addEventListener('change', () => {
  const f = fileInput.files?.[0];
  if (f) void open(f);
});
// Drop anywhere on the page.
document.addEventListener('dragover', (e) => {
  e.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  const f = e.dataTransfer?.files[0];
  if (f) void open(f);
});

loadDissector(wasmUrl).then(
  (d) => {
    dissector = d;
    setStatus('Ready: open a capture');
    document.body.dataset.ready = '1';
  },
  (e) => setStatus(`Cannot load the dissector: ${String(e)}`, true),
);
