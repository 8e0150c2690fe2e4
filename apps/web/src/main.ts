/**
 * Reef in the browser: the capture is read, dissected and shown entirely in this page (the
 * dissection runs in a worker, worker.ts; nothing is uploaded).
 */
import { nodeBytes } from '@reef/dissect';
import { DissectClient, WorkerError } from './client.js';
import { DetailsTree } from './details.js';
import { HexPane } from './hex-pane.js';
import { PacketList } from './packet-list.js';
import type { Details } from './protocol.js';
import './style.css';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const fileInput = $<HTMLInputElement>('file');
const filterInput = $<HTMLInputElement>('filter');
const applyButton = $<HTMLButtonElement>('apply');
const status = $('status');
const filterError = $('filter-error');

const client = new DissectClient();
let open: { name: string; frameCount: number } | undefined;
let shown: number[] = [];
let current: Details | undefined;
/** The latest filter check and packet selection: older answers are dropped. */
let checkSeq = 0;
let selectSeq = 0;

const hex = new HexPane($('hex'), (source, offset) => details.selectByte(source, offset));
const details = new DetailsTree($('details'), (node) => {
  hex.highlight(node && current ? nodeBytes(node, current.dissection, current.bytes) : undefined);
});
const list = new PacketList($('list'), $('rows'), (index) => {
  const seq = ++selectSeq;
  void client.call('details', { index }).then((d) => {
    if (seq !== selectSeq) return;
    current = d;
    hex.show([{ name: 'Frame', bytes: d.bytes }, ...d.dissection.sources]);
    details.show(d.dissection);
  });
});

function setStatus(text: string, error = false): void {
  status.textContent = text;
  status.style.color = error ? '#b00020' : '';
}

function counts(): string {
  if (!open) return '';
  return shown.length === open.frameCount ? `${open.name}: ${open.frameCount} packets` : `${open.name}: ${open.frameCount} packets, ${shown.length} displayed`;
}

/** Opens a capture file (pcap, pcapng, or either gzipped). */
async function openFile(file: File): Promise<void> {
  setStatus(`Reading ${file.name}…`);
  const bytes = await file.arrayBuffer();
  current = undefined;
  details.show(undefined);
  hex.show([]);
  try {
    const opened = await client.call('open', { bytes, name: file.name }, [bytes]);
    open = { name: file.name, frameCount: opened.frameCount };
    list.open((start, count) => client.call('rows', { start, count }), opened.rules);
    $('drop-hint').hidden = true;
    filterInput.disabled = false;
    applyButton.disabled = false;
    await applyFilter();
    if (opened.truncation) setStatus(`${counts()} (${opened.truncation})`, true);
  } catch (e) {
    open = undefined;
    list.open(() => Promise.resolve({ rows: [], colors: [] }), []);
    list.show([]);
    setStatus(e instanceof WorkerError && e.name === 'CaptureFormatError' ? e.message : `Cannot open ${file.name}: ${String(e)}`, true);
  }
}

/** Validates a filter: green, or red with tshark's message and a caret line under its span. */
async function validate(): Promise<boolean> {
  const text = filterInput.value;
  const seq = ++checkSeq;
  const check = open && text.trim() !== '' ? await client.call('check', { filter: text }) : undefined;
  if (seq !== checkSeq) return false;
  filterInput.classList.remove('valid', 'invalid');
  filterError.hidden = true;
  if (!check) return true;
  filterInput.classList.add(check.ok ? 'valid' : 'invalid');
  if (!check.ok) {
    filterError.textContent = check.span ? `${check.message}\n${text}\n${' '.repeat(check.span.start)}^${'~'.repeat(Math.max(0, check.span.length - 1))}` : check.message;
    filterError.hidden = false;
  }
  return check.ok;
}

async function applyFilter(): Promise<void> {
  if (!open || !(await validate())) return;
  shown = await client.call('matches', { filter: filterInput.value });
  list.show(shown);
  setStatus(counts());
}

filterInput.addEventListener('input', () => void validate());
filterInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') void applyFilter();
});
applyButton.addEventListener('click', () => void applyFilter());
fileInput.addEventListener('change', () => {
  const f = fileInput.files?.[0];
  if (f) void openFile(f);
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
  if (f) void openFile(f);
});

setStatus('Ready: open a capture');
document.body.dataset.ready = '1';
