// Streaming cost benchmark. One local server sends the same chat stream of 20,000
// chunks (ASCII, CJK, emoji) in random-sized writes that split UTF-8 characters; separate child
// processes, run one at a time and interleaved, consume it with (a) raw undici bytes, (b) a minimal
// undici + line splitter + JSON.parse loop, (c) KimiClient.streamGenerate, (d) the openai package.
// Prints median CPU (user+sys) and wall time per consumer and the ratios c/b and c/d.
//   node dist/bench/stream.js [--rounds 7] [--chunks 20000] [--repeat 4]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KimiClient } from '../src/kimi';
import { seeded } from '../test/support/random';
import { arg } from './args';

type Consumer = 'a' | 'b' | 'c' | 'd';
const CONSUMERS: Consumer[] = ['a', 'b', 'c', 'd'];
const NAMES: Record<Consumer, string> = {
  a: 'raw undici bytes (floor)',
  b: 'undici + lines + JSON.parse',
  c: 'KimiClient.streamGenerate',
  d: 'openai npm package',
};

interface ChildResult {
  consumer: Consumer;
  bytes: number;
  chars: number;
  sha256: string;
  /** CPU of the whole child (startup, module loading, consuming), microseconds. */
  cpuTotalUs: number;
  /** CPU from just before loading the consumer's library to the end of the stream, microseconds. */
  cpuWorkUs: number;
  wallWorkMs: number;
  /** Median CPU of the same consumption repeated in the same process (library loaded, code warm). */
  cpuWarmUs: number;
  wallWarmMs: number;
}



const WORDS = ['the ', 'stream ', 'Kimi ', 'function ', '{ x: 1 } ', '\n', '你好', '世界', '上下文缓存', '模型', '😀', '🚀 ', '👩‍💻', 'é', 'ü ', '"quoted" ', '\\ '];

/** The stream's bytes and the text its deltas spell. */
function buildStream(chunks: number): { body: Buffer; text: string } {
  const random = seeded(42);
  const parts: string[] = [];
  const deltas: string[] = [];
  const head = { id: 'cmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'moonshot-v1-8k' };
  parts.push(`data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`);
  for (let i = 0; i < chunks; i++) {
    let delta = '';
    const n = 1 + Math.floor(random() * 4);
    for (let k = 0; k < n; k++) delta += WORDS[Math.floor(random() * WORDS.length)];
    deltas.push(delta);
    parts.push(`data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: { content: delta }, finish_reason: null }] })}\n\n`);
  }
  const usage = { prompt_tokens: 12, completion_tokens: chunks, total_tokens: chunks + 12 };
  parts.push(`data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: {}, finish_reason: 'stop', usage }] })}\n\n`);
  parts.push('data: [DONE]\n\n');
  return { body: Buffer.from(parts.join(''), 'utf8'), text: deltas.join('') };
}

/** Cut points between 1 and 4096 bytes apart, fixed for every consumer. */
function pieceEnds(length: number): number[] {
  const random = seeded(7);
  const ends: number[] = [];
  for (let at = 0; at < length; ) {
    at = Math.min(length, at + 1 + Math.floor(random() * 4096));
    ends.push(at);
  }
  return ends;
}

async function serve(body: Buffer, ends: number[]): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      let start = 0;
      for (const end of ends) {
        if (!res.write(body.subarray(start, end))) await new Promise((r) => res.once('drain', r));
        start = end;
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

// ---- consumers (run in the child) ----

async function consumeRawUndici(url: string): Promise<{ bytes: number; text: string }> {
  const { request } = await import('undici');
  const res = await request(`${url}/chat/completions`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  let bytes = 0;
  for await (const part of res.body as AsyncIterable<Buffer>) bytes += part.length;
  return { bytes, text: '' };
}

async function consumeMinimal(url: string): Promise<{ bytes: number; text: string }> {
  const { request } = await import('undici');
  const res = await request(`${url}/chat/completions`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  const decoder = new TextDecoder();
  const out: string[] = [];
  let bytes = 0;
  let rest = '';
  let done = false;
  for await (const part of res.body as AsyncIterable<Buffer>) {
    bytes += part.length;
    if (done) continue;
    const text = rest + decoder.decode(part, { stream: true });
    let pos = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', pos)) {
      if (text.startsWith('data: ', pos)) {
        const data = text.slice(pos + 6, nl);
        if (data === '[DONE]') {
          done = true;
          break;
        }
        const chunk = JSON.parse(data) as { choices: Array<{ delta: { content?: string } }> };
        const content = chunk.choices[0]?.delta.content;
        if (content) out.push(content);
      }
      pos = nl + 1;
    }
    rest = text.slice(pos);
  }
  return { bytes, text: out.join('') };
}

// Clients are kept across the repeated (warm) runs in one child, as an editor keeps its client.
let kimiClient: KimiClient | undefined;
let openaiClient: import('openai').default | undefined;

async function consumeKimi(url: string): Promise<{ bytes: number; text: string }> {
  const client = (kimiClient ??= new KimiClient({ apiKey: 'sk-bench-not-a-key', baseUrl: url, maxRetries: 0 }));
  const out: string[] = [];
  for await (const chunk of client.streamGenerate('moonshot-v1-8k', [{ role: 'user', content: 'bench' }])) {
    const content = chunk.choices[0]?.delta.content;
    if (content) out.push(content);
  }
  return { bytes: 0, text: out.join('') };
}

async function consumeOpenAI(url: string): Promise<{ bytes: number; text: string }> {
  const { default: OpenAI } = await import('openai');
  const client = (openaiClient ??= new OpenAI({ apiKey: 'sk-bench-not-a-key', baseURL: url, maxRetries: 0 }));
  const stream = await client.chat.completions.create({ model: 'moonshot-v1-8k', messages: [{ role: 'user', content: 'bench' }], stream: true });
  const out: string[] = [];
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta.content;
    if (content) out.push(content);
  }
  return { bytes: 0, text: out.join('') };
}

async function child(consumer: Consumer, url: string, repeat: number): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const run = { a: consumeRawUndici, b: consumeMinimal, c: consumeKimi, d: consumeOpenAI }[consumer];
  const { bytes, text } = await run(url);
  const wallWorkMs = performance.now() - t0;
  const cpuWork = process.cpuUsage(cpu0);
  const cpuTotal = process.cpuUsage();
  const warmCpu: number[] = [];
  const warmWall: number[] = [];
  for (let i = 1; i < repeat; i++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const again = await run(url);
    warmWall.push(performance.now() - w0);
    const c = process.cpuUsage(c0);
    warmCpu.push(c.user + c.system);
    if (again.text !== text || again.bytes !== bytes) throw new Error(`consumer ${consumer}: a repeated run read something else`);
  }
  const result: ChildResult = {
    consumer,
    bytes,
    chars: text.length,
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    cpuTotalUs: cpuTotal.user + cpuTotal.system,
    cpuWorkUs: cpuWork.user + cpuWork.system,
    wallWorkMs,
    cpuWarmUs: warmCpu.length ? median(warmCpu) : NaN,
    wallWarmMs: warmWall.length ? median(warmWall) : NaN,
  };
  // Exit explicitly: kept-alive client connections must not hold the process open.
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

// ---- parent ----

function runChild(consumer: Consumer, url: string, repeat: number): Promise<ChildResult & { wallTotalMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const args = [__filename, '--child', consumer, '--url', url, '--repeat', String(repeat)];
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => {
      const wallTotalMs = performance.now() - t0;
      if (code !== 0) return reject(new Error(`consumer ${consumer} exited with ${code}`));
      resolve({ ...(JSON.parse(out.trim()) as ChildResult), wallTotalMs });
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function parent(): Promise<void> {
  const rounds = Number(arg('rounds', '7'));
  const chunks = Number(arg('chunks', '20000'));
  const repeat = Number(arg('repeat', '4'));
  const { body, text } = buildStream(chunks);
  const ends = pieceEnds(body.length);
  const expected = createHash('sha256').update(text, 'utf8').digest('hex');
  const server = await serve(body, ends);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  console.log(`stream: ${chunks} chunks, ${body.length} bytes in ${ends.length} writes, ${text.length} UTF-16 units of text; ${rounds} rounds, node ${process.version}`);

  const results: Record<Consumer, Array<ChildResult & { wallTotalMs: number }>> = { a: [], b: [], c: [], d: [] };
  let ok = true;
  for (let r = 0; r < rounds; r++) {
    // Rotate the order each round so no consumer always runs first (or after the same neighbour).
    const order = CONSUMERS.map((_, i) => CONSUMERS[(i + r) % CONSUMERS.length]!);
    for (const c of order) {
      const res = await runChild(c, url, repeat);
      results[c].push(res);
      const good = c === 'a' ? res.bytes === body.length : res.sha256 === expected;
      if (!good) {
        ok = false;
        console.error(`MISMATCH: consumer ${c} (${NAMES[c]}) round ${r + 1}: ${c === 'a' ? `${res.bytes} bytes` : `${res.chars} chars, sha256 ${res.sha256}`}`);
      }
    }
  }
  server.close();

  const rows = CONSUMERS.map((c) => ({
    c,
    cpuWork: median(results[c].map((x) => x.cpuWorkUs)) / 1000,
    cpuTotal: median(results[c].map((x) => x.cpuTotalUs)) / 1000,
    wallWork: median(results[c].map((x) => x.wallWorkMs)),
    wallTotal: median(results[c].map((x) => x.wallTotalMs)),
    cpuWarm: median(results[c].map((x) => x.cpuWarmUs)) / 1000,
    wallWarm: median(results[c].map((x) => x.wallWarmMs)),
  }));
  const pad = (s: string, n: number): string => s.padEnd(n);
  const num = (x: number): string => x.toFixed(1).padStart(9);
  console.log(`${pad('consumer', 34)}${'cpu ms'.padStart(9)}${'cpu+boot'.padStart(9)}${'warm cpu'.padStart(9)}${'wall ms'.padStart(9)}${'wall+boot'.padStart(10)}${'warm wall'.padStart(10)}`);
  for (const row of rows) {
    console.log(`${pad(`(${row.c}) ${NAMES[row.c]}`, 34)}${num(row.cpuWork)}${num(row.cpuTotal)}${num(row.cpuWarm)}${num(row.wallWork)} ${num(row.wallTotal)} ${num(row.wallWarm)}`);
  }
  const get = (c: Consumer): (typeof rows)[number] => rows.find((x) => x.c === c)!;
  const ratio = (x: number, y: number): string => (x / y).toFixed(2);
  const [b, c, d] = [get('b'), get('c'), get('d')];
  console.log('medians; "cpu ms"/"wall ms" = loading the library + consuming the stream once in a fresh process,');
  console.log(`"+boot" = the whole child process, "warm" = the same stream again in the same process (${repeat - 1} repeats)`);
  console.log(`CPU  c/b = ${ratio(c.cpuWork, b.cpuWork)} (target <= 1.2; whole process ${ratio(c.cpuTotal, b.cpuTotal)}, warm ${ratio(c.cpuWarm, b.cpuWarm)})`);
  console.log(`CPU  c/d = ${ratio(c.cpuWork, d.cpuWork)} (target <= 0.5; whole process ${ratio(c.cpuTotal, d.cpuTotal)}, warm ${ratio(c.cpuWarm, d.cpuWarm)})`);
  console.log(`wall c/b = ${ratio(c.wallWork, b.wallWork)}, c/d = ${ratio(c.wallWork, d.wallWork)}`);
  console.log(ok ? 'text: all consumers reconstructed byte-identical text (a: identical byte count)' : 'text: MISMATCH (see above)');
  if (!ok) process.exitCode = 1;
}

/** `--serve`: only serve the stream and print its URL, to profile one consumer by hand with
 *  `node --cpu-prof dist/bench/stream.js --child c --url <url>`. */
async function serveOnly(): Promise<void> {
  const { body } = buildStream(Number(arg('chunks', '20000')));
  const server = await serve(body, pieceEnds(body.length));
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
}

const childAt = process.argv.indexOf('--child');
if (process.argv.includes('--serve')) {
  void serveOnly();
} else if (childAt > 0) {
  child(process.argv[childAt + 1] as Consumer, arg('url', ''), Number(arg('repeat', '1'))).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  parent().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
