// Status-bar token counter benchmark: replays a realistic editing session — 1,000 keystrokes
// and selection changes with human gaps and pauses, undo, re-selecting text already counted — through
// the real TokenCounter and KimiClient.countTokens against the test server, on real timers.
// Prints requests made, requests per pause, requests for unchanged text, and the latency from the last
// change to the updated count.
//   node dist/bench/status.js [--events 1000] [--scale 1] [--debounce 500] [--seed 7]
// --scale shrinks every human gap and the debounce by the same factor (0.25 = four times faster).
import { KimiClient } from '../src/kimi';
import { TokenCounter, type CountResult } from '../src/status/counter';
import { startMockServer, TEST_API_KEY } from '../test/server';
import { seeded } from '../test/support/random';
import { arg } from './args';



type Step =
  | { kind: 'key'; char: string }
  | { kind: 'backspace' }
  | { kind: 'undo' }
  | { kind: 'select'; start: number; end: number }
  | { kind: 'unselect' };

interface Scheduled {
  step: Step;
  /** Wait before this step, ms (unscaled). */
  gapMs: number;
}

const SNIPPET = 'function total(items) {\n  let sum = 0;\n  for (const item of items) sum += item.price * item.count;\n  return sum;\n}\n\n// 计算总价 — totals in ¥\n';
const TYPED = 'const discount = (total, rate) => Math.round(total * (1 - rate) * 100) / 100;\nconsole.log(discount(total(cart), 0.15));\n// TODO: 处理负数 and rounding\n';

/** The session: bursts of typing (60–350 ms between keys), pauses of 0.8–3 s, selections, undo. */
function session(events: number, random: () => number): Scheduled[] {
  const out: Scheduled[] = [];
  let typed = 0;
  let burstLeft = 10 + Math.floor(random() * 30);
  while (out.length < events) {
    const r = random();
    let gapMs = 60 + random() * 120 + (random() < 0.15 ? random() * 170 : 0);
    if (burstLeft-- <= 0) {
      gapMs = 800 + random() * 2200; // a pause in typing: thinking, reading
      burstLeft = 10 + Math.floor(random() * 30);
    }
    if (r < 0.06) out.push({ step: { kind: 'backspace' }, gapMs });
    else if (r < 0.08) out.push({ step: { kind: 'undo' }, gapMs });
    else if (r < 0.13) {
      const start = Math.floor(random() * SNIPPET.length);
      out.push({ step: { kind: 'select', start, end: Math.min(SNIPPET.length, start + 5 + Math.floor(random() * 60)) }, gapMs: 300 + random() * 1200 });
    } else if (r < 0.16) out.push({ step: { kind: 'unselect' }, gapMs: 200 + random() * 800 });
    else out.push({ step: { kind: 'key', char: TYPED[typed++ % TYPED.length]! }, gapMs });
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (values: number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function main(): Promise<void> {
  const events = Number(arg('events', '1000'));
  const scale = Number(arg('scale', '1'));
  const debounceMs = Number(arg('debounce', '500')) * scale;
  const random = seeded(Number(arg('seed', '7')));
  const server = await startMockServer();
  const client = new KimiClient({ apiKey: TEST_API_KEY, baseUrl: server.url, maxRetries: 0 });
  const model = 'kimi-k2.5';

  const results: Array<CountResult & { at: number }> = [];
  /** When each count request was started (performance clock). */
  const starts: number[] = [];
  const counter = new TokenCounter(
    (text, m, signal) => {
      starts.push(performance.now());
      return client.countTokens(m, [{ role: 'user', content: text }], { signal });
    },
    (r) => results.push({ ...r, at: performance.now() }),
    { debounceMs },
  );

  // The editor model: a document, an optional selection, and an undo stack.
  let doc = SNIPPET;
  let selection: { start: number; end: number } | undefined;
  const undo: string[] = [];
  const counted = () => (selection ? doc.slice(selection.start, selection.end) : doc);
  const update = () => {
    const text = counted();
    counter.update({ length: text.length, text: () => text }, model);
  };

  const plan = session(events, random);
  /**
   * Pauses: stretches of at least the debounce in which the counted text did not change (a selection
   * that keeps the text is no change); each is the chance for one request.
   */
  const pauses: Array<{ from: number; to: number }> = [];
  const started = performance.now();
  let shownText = counted();
  let changedAt = started;
  const noteChange = (now: number) => {
    if (counted() === shownText) return;
    if (now - changedAt >= debounceMs) pauses.push({ from: changedAt, to: now });
    shownText = counted();
    changedAt = now;
  };
  update();
  for (const { step, gapMs } of plan) {
    await sleep(gapMs * scale);
    const after = performance.now();
    switch (step.kind) {
      case 'key':
        undo.push(doc);
        doc += step.char;
        selection = undefined;
        break;
      case 'backspace':
        undo.push(doc);
        doc = doc.slice(0, -1);
        selection = undefined;
        break;
      case 'undo':
        doc = undo.pop() ?? doc;
        break;
      case 'select':
        selection = { start: step.start, end: step.end };
        break;
      case 'unselect':
        selection = undefined;
        break;
    }
    noteChange(after);
    update();
  }
  await sleep(debounceMs + 500);
  pauses.push({ from: changedAt, to: performance.now() });
  const elapsedS = (performance.now() - started) / 1000;

  const estimateRequests = server.requests.filter((r) => r.path === '/v1/tokenizers/estimate-token-count');
  const seen = new Map<string, number>();
  for (const r of estimateRequests) {
    const key = JSON.stringify((r.body as { messages: unknown }).messages);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const duplicateRequests = [...seen.values()].reduce((n, c) => n + c - 1, 0);
  // Each request belongs to the pause it was started in; one started while typing would be a debounce bug.
  const perPause = pauses.map((p) => starts.filter((t) => t >= p.from && t <= p.to).length);
  const whileTyping = starts.filter((t) => !pauses.some((p) => t >= p.from && t <= p.to)).length;
  const served = results.filter((r) => r.kind === 'counted' && !r.cached).map((r) => r.latencyMs);
  const cachedHits = results.filter((r) => r.kind === 'counted' && r.cached).length;
  const keystrokes = plan.filter((p) => p.step.kind === 'key' || p.step.kind === 'backspace' || p.step.kind === 'undo').length;

  const rows: Array<[string, string]> = [
    ['events replayed', `${plan.length} (${keystrokes} keystrokes/undo, ${plan.length - keystrokes} selection changes)`],
    ['session length', `${elapsedS.toFixed(1)} s (scale ${scale}, debounce ${debounceMs.toFixed(0)} ms)`],
    ['pauses (text unchanged ≥ debounce)', String(pauses.length)],
    ['estimate requests made', `${estimateRequests.length} (counter: ${counter.stats.requests} started, ${counter.stats.aborted} aborted by newer text)`],
    ['requests per event', (estimateRequests.length / plan.length).toFixed(3)],
    ['requests per pause', `mean ${(perPause.reduce((a, b) => a + b, 0) / Math.max(1, pauses.length)).toFixed(2)}, max ${Math.max(0, ...perPause)}; started while typing: ${whileTyping}`],
    ['requests for unchanged text', `${duplicateRequests} (server-side duplicates), ${counter.stats.repeatedRequests} (counter)`],
    ['served from the content cache', `${cachedHits} updates (${counter.stats.unchanged} updates with the shown text: no work)`],
    ['latency last change → count', `median ${pct(served, 50).toFixed(0)} ms, p95 ${pct(served, 95).toFixed(0)} ms, max ${pct(served, 100).toFixed(0)} ms (n=${served.length}; cached answers: 0 ms)`],
  ];
  console.log('bench/status: status-bar token counter, realistic editing session against the test server');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(36)} ${v}`);
  const ok = Math.max(0, ...perPause) <= 1 && whileTyping === 0 && duplicateRequests === 0;
  console.log(`  target (≤ 1 request per pause, none for unchanged text): ${ok ? 'met' : 'NOT met'}`);
  counter.dispose();
  await server.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
