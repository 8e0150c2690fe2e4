// Bodies for the generated HTTP traffic, made once per run from the seed: an HTML pool, a
// script/stylesheet pool and a binary pool are sliced per response (no per-response text
// generation on the hot path); JSON bodies are real JSON, since tshark parses them.

const WORDS = (
  'packet capture network analyzer stream segment window header payload latency throughput ' +
  'router switch gateway resolver address interface buffer session request response server client ' +
  'the of and to in is for on with as by at from this that be are was it an or which'
).split(' ');

/** Text of roughly `size` bytes made of lines from `line(rng)`, with the offsets where lines start. */
function textPool(rng, size, line) {
  const parts = [];
  const starts = [];
  let len = 0;
  while (len < size) {
    const l = line(rng);
    starts.push(len);
    parts.push(l);
    len += l.length;
  }
  return { buf: Buffer.from(parts.join(''), 'latin1'), starts };
}

function sentence(rng, n) {
  const w = [];
  for (let i = 0; i < n; i++) w.push(rng.pick(WORDS));
  return w.join(' ');
}

function htmlLine(rng) {
  const r = rng.float();
  if (r < 0.55) return `    <p>${sentence(rng, rng.int(6, 30))}.</p>\n`;
  if (r < 0.7) return `    <h2 id="s${rng.int(1, 999)}">${sentence(rng, rng.int(2, 6))}</h2>\n`;
  if (r < 0.85) return `    <li><a href="/articles/${rng.int(1000, 99999)}.html">${sentence(rng, rng.int(3, 9))}</a></li>\n`;
  return `    <div class="card c${rng.int(1, 40)}"><img src="/img/${rng.int(1, 5000)}.png" alt="${rng.pick(WORDS)}"></div>\n`;
}

function codeLine(rng) {
  const r = rng.float();
  const id = `${rng.pick(WORDS)}${rng.int(1, 99)}`;
  if (r < 0.4) return `  const ${id} = render(${rng.pick(WORDS)}, { width: ${rng.int(1, 1920)}, height: ${rng.int(1, 1080)} });\n`;
  if (r < 0.7) return `.${id} { margin: ${rng.int(0, 32)}px; padding: ${rng.int(0, 16)}px ${rng.int(0, 16)}px; color: #${rng.int(0, 0xffffff).toString(16).padStart(6, '0')}; }\n`;
  return `function ${id}(a, b) { return a.${rng.pick(WORDS)} + b.length * ${rng.int(2, 64)}; }\n`;
}

export class Content {
  /** @param {import('./prng.mjs').Rng} rng */
  constructor(rng) {
    this.html = textPool(rng, 320 * 1024, htmlLine);
    this.code = textPool(rng, 320 * 1024, codeLine);
    this.binary = rng.fill(Buffer.alloc(2304 * 1024));
    this.rng = rng;
  }

  /** `size` bytes of a text pool (at most the pool's size), starting at a random line. */
  text(pool, size) {
    const n = Math.min(size, pool.buf.length);
    let start = pool.starts[this.rng.int(0, pool.starts.length - 1)];
    if (start + n > pool.buf.length) start = pool.buf.length - n;
    return pool.buf.subarray(start, start + n);
  }

  /** `size` bytes of the binary pool, at a random offset. */
  bytes(size) {
    const n = Math.min(size, this.binary.length);
    const start = this.rng.int(0, this.binary.length - n);
    return this.binary.subarray(start, start + n);
  }

  /** A JSON array of records, about `size` bytes. */
  json(size) {
    const rng = this.rng;
    const items = [];
    let len = 2;
    for (let id = rng.int(1, 90000); len < size; id++) {
      const item =
        `{"id":${id},"name":"${rng.pick(WORDS)}-${rng.pick(WORDS)}","score":${(rng.float() * 100).toFixed(2)},` +
        `"active":${rng.chance(0.8)},"tags":["${rng.pick(WORDS)}","${rng.pick(WORDS)}"]}`;
      items.push(item);
      len += item.length + 1;
    }
    return Buffer.from(`[${items.join(',')}]`, 'latin1');
  }

  /** A small JSON object a client posts. */
  event(size) {
    const rng = this.rng;
    const fields = [`"type":"${rng.pick(['click', 'view', 'scroll', 'error', 'timing'])}"`, `"ts":${rng.int(1, 2 ** 31)}`];
    let len = 2 + fields[0].length + fields[1].length;
    while (len < size) {
      const f = `"${rng.pick(WORDS)}${fields.length}":"${sentence(rng, rng.int(1, 8))}"`;
      fields.push(f);
      len += f.length + 1;
    }
    return Buffer.from(`{${fields.join(',')}}`, 'latin1');
  }
}
