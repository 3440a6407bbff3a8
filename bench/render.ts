// Render benchmark: a 20,000-token answer (prose, lists, tables, ~30 code blocks) streamed
// into the chat's renderer in headless Chromium, beside a naive renderer that re-renders the whole
// answer (same marked + highlight.js + DOMPurify pipeline) on every delta. Deltas are the host's
// batches (about `--batch` tokens each, as DeltaBatcher sends them every 24 ms) and arrive one per
// animation frame: a pace at which the stream renderer renders on every delta too, so the gain
// measured here comes from not re-rendering finished blocks, not from skipping deltas.
// Prints, per renderer, the main thread's total task time and longest task (from a Chromium trace,
// cross-checked with CDP Performance.getMetrics TaskDuration), and the ratio.
// A third run streams a thinking model's answer: `--reasoning-tokens` of reasoning into the panel's
// Thinking section (webview/thinking.ts: the same renderer), then the same answer beside it.
//   node dist/bench/render.js [--tokens 20000] [--batch 6] [--code-blocks 30] [--reasoning-tokens 10000] [--naive 1]
import type { CDPSession, Page } from 'playwright-core';
import { estimateTextTokens, splitDeltas } from '../test/server/answers';
import { bundle, launchChromium, openWebviewPage } from '../test/e2e/webview-page';
import { seeded } from '../test/support/random';
import { numberArg as arg } from './args';



const WORDS = ('the renderer streams answer token block cache context model request function value result ' +
  'error stream editor selection markdown code list table paragraph highlight sanitize frame delta user ' +
  'conversation kimi moonshot latency buffer parser lexer inline heading update insert replace copy').split(' ');

const CODE: Record<string, (n: number) => string> = {
  ts: (n) => `export function step${n}(input: number[]): number {\n  let total = 0;\n  for (const value of input) {\n    if (value > ${n}) total += value * 2; // weigh the large ones\n    else total -= value;\n  }\n  return total;\n}\n\nconst cache = new Map<string, number>();\ncache.set("k${n}", step${n}([1, 2, 3]));`,
  python: (n) => `def step_${n}(items: list[int]) -> int:\n    """Sum with a twist."""\n    total = 0\n    for value in items:\n        if value > ${n}:\n            total += value * 2\n        else:\n            total -= value\n    return total\n\nprint(step_${n}([1, 2, 3]))`,
  go: (n) => `func Step${n}(input []int) int {\n\ttotal := 0\n\tfor _, v := range input {\n\t\tif v > ${n} {\n\t\t\ttotal += v * 2\n\t\t} else {\n\t\t\ttotal -= v\n\t\t}\n\t}\n\treturn total\n}`,
  json: (n) => `{\n  "name": "step-${n}",\n  "enabled": true,\n  "limits": { "tokens": ${n * 100}, "ttl": 3600 },\n  "tags": ["a", "b", "c"]\n}`,
  bash: (n) => `#!/usr/bin/env bash\nset -euo pipefail\nfor i in $(seq 1 ${n}); do\n  echo "step $i" | tee -a log.txt\ndone\ngrep -c step log.txt`,
};

/** A deterministic long answer of about `tokens` tokens with `codeBlocks` fenced blocks. */
function makeAnswer(tokens: number, codeBlocks: number): string {
  const random = seeded(20_000);
  const sentence = () => {
    const n = 8 + Math.floor(random() * 14);
    const words = Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]);
    if (random() < 0.3) words[2] = `**${words[2]}**`;
    if (random() < 0.3) words[5] = `\`${words[5]}()\``;
    if (random() < 0.15) words[7] = `[${words[7]}](https://example.com/${words[7]})`;
    return words.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.';
  };
  const paragraph = () => Array.from({ length: 3 + Math.floor(random() * 4) }, sentence).join(' ');
  const languages = Object.keys(CODE);
  const parts: string[] = [];
  const perSection = tokens / codeBlocks;
  for (let s = 0; s < codeBlocks; s++) {
    const section: string[] = [`## Section ${s + 1}: ${sentence().slice(0, 40)}`, paragraph()];
    if (s % 2 === 0) section.push(Array.from({ length: 4 }, () => `- ${sentence()}`).join('\n'));
    else section.push(Array.from({ length: 4 }, (_, i) => `${i + 1}. ${sentence()}`).join('\n'));
    const lang = languages[s % languages.length];
    section.push('```' + lang + '\n' + CODE[lang](s) + '\n```');
    if (s % 5 === 4) section.push('| name | tokens | note |\n| --- | ---: | --- |\n' + Array.from({ length: 5 }, (_, i) => `| row ${i} | ${i * 37} | ${WORDS[i]} |`).join('\n'));
    // Prose up to this section's share of the tokens.
    while (estimateTextTokens(section.join('\n\n')) < perSection - 60) section.push(paragraph());
    parts.push(...section);
  }
  const text = parts.join('\n\n');
  return text + '\n';
}

/** Reasoning as thinking models write it: prose paragraphs, a few lists, inline code, no fences. */
function makeReasoning(tokens: number): string {
  const random = seeded(10_000);
  const sentence = () => {
    const words = Array.from({ length: 8 + Math.floor(random() * 14) }, () => WORDS[Math.floor(random() * WORDS.length)]);
    if (random() < 0.2) words[3] = `\`${words[3]}\``;
    return words.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.';
  };
  const parts: string[] = [];
  let text = '';
  while (estimateTextTokens(text) < tokens) {
    parts.push(random() < 0.15 ? Array.from({ length: 3 }, () => `- ${sentence()}`).join('\n') : Array.from({ length: 3 + Math.floor(random() * 4) }, sentence).join(' '));
    if (parts.length % 20 === 0) text = parts.join('\n\n');
  }
  return parts.join('\n\n') + '\n';
}

/** Word-ish deltas grouped into host batches of about `batchTokens` tokens. */
function batches(text: string, batchTokens: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const piece of splitDeltas(text)) {
    current += piece;
    if (estimateTextTokens(current) >= batchTokens) {
      out.push(current);
      current = '';
    }
  }
  if (current) out.push(current);
  return out;
}

const DRIVER = `
import { createStreamRenderer } from './webview/stream-renderer';
import { renderMarkdown } from './webview/markdown';
import { ThinkingSection } from './webview/thinking';
function run(kind: 'stream' | 'naive' | 'thinking', deltas: string[], reasoning: string[]): Promise<{ wallMs: number; html: string }> {
  return new Promise((resolve) => {
    const app = document.getElementById('app')!;
    const root = document.createElement('div');
    let text = '';
    let thinking: ThinkingSection | undefined;
    if (kind === 'thinking') {
      thinking = ThinkingSection.live(() => undefined);
      app.append(thinking.el);
    }
    app.append(root);
    const renderer = kind === 'naive'
      ? { push(d: string) { text += d; root.replaceChildren(renderMarkdown(text)); }, finish() {} }
      : createStreamRenderer(root);
    let r = 0;
    let i = 0;
    const t0 = performance.now();
    const step = () => {
      if (thinking && r < reasoning.length) {
        thinking.push(reasoning[r++]);
        requestAnimationFrame(step);
        return;
      }
      if (i < deltas.length) {
        thinking?.answerStarted();
        renderer.push(deltas[i++]);
        requestAnimationFrame(step);
        return;
      }
      renderer.finish();
      thinking?.done(performance.now() - t0);
      requestAnimationFrame(() => requestAnimationFrame(() => {
        const wallMs = performance.now() - t0;
        // Compare content, not the stream renderer's .md-chunk containers.
        const copy = root.cloneNode(true) as HTMLElement;
        for (const chunk of copy.querySelectorAll(':scope > .md-chunk')) chunk.replaceWith(...chunk.childNodes);
        resolve({ wallMs, html: copy.innerHTML });
      }));
    };
    requestAnimationFrame(step);
  });
}
(window as unknown as { bench: unknown }).bench = { run };
`;

interface TraceEvent { name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } }

interface Figures { kind: string; totalMs: number; longestMs: number; tasksOver50: number; wallTotalMs: number; wallLongestMs: number; metricsMs: number; scriptMs: number; layoutMs: number; styleMs: number; wallMs: number; html: string }

async function measure(page: Page, cdp: CDPSession, kind: 'stream' | 'naive' | 'thinking', deltas: string[], reasoning: string[]): Promise<Figures> {
  const events: TraceEvent[] = [];
  const onData = (e: { value: object[] }) => {
    events.push(...(e.value as TraceEvent[]));
  };
  cdp.on('Tracing.dataCollected', onData);
  const metric = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const ms = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    return { task: ms('TaskDuration'), script: ms('ScriptDuration'), layout: ms('LayoutDuration'), style: ms('RecalcStyleDuration') };
  };
  await cdp.send('Performance.enable');
  const before = await metric();
  await cdp.send('Tracing.start', { categories: 'toplevel', transferMode: 'ReportEvents' });
  const result = await page.evaluate(
    ([k, d, r]) => (window as unknown as { bench: { run(k: string, d: string[], r: string[]): Promise<{ wallMs: number; html: string }> } }).bench.run(k, d, r),
    [kind, deltas, reasoning] as [string, string[], string[]],
  );
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await complete;
  const after = await metric();
  cdp.off('Tracing.dataCollected', onData);

  // The page's main thread: the CrRendererMain thread with the most task time.
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.name !== 'ThreadControllerImpl::RunTask' || e.ph !== 'X' || !mains.has(key)) continue;
    byThread.set(key, [...(byThread.get(key) ?? []), e]);
  }
  const sum = (list: TraceEvent[], f: (e: TraceEvent) => number) => list.reduce((a, e) => a + f(e), 0);
  const wall = (e: TraceEvent) => (e.dur ?? 0) / 1000;
  // Thread (CPU) time: unlike wall time it does not grow when other processes take the CPU away.
  const cpu = (e: TraceEvent) => (e.tdur ?? e.dur ?? 0) / 1000;
  const tasks = [...byThread.values()].sort((a, b) => sum(b, cpu) - sum(a, cpu))[0] ?? [];
  return {
    kind,
    totalMs: sum(tasks, cpu),
    longestMs: tasks.reduce((a, e) => Math.max(a, cpu(e)), 0),
    tasksOver50: tasks.filter((e) => cpu(e) > 50).length,
    wallTotalMs: sum(tasks, wall),
    wallLongestMs: tasks.reduce((a, e) => Math.max(a, wall(e)), 0),
    metricsMs: after.task - before.task,
    scriptMs: after.script - before.script,
    layoutMs: after.layout - before.layout,
    styleMs: after.style - before.style,
    wallMs: result.wallMs,
    html: result.html,
  };
}

async function main(): Promise<void> {
  const tokens = arg('tokens', 20_000);
  const batch = arg('batch', 6);
  const codeBlocks = arg('code-blocks', 30);
  const answer = makeAnswer(tokens, codeBlocks);
  const deltas = batches(answer, batch);
  const reasoningText = makeReasoning(arg('reasoning-tokens', 10_000));
  const reasoning = batches(reasoningText, batch);
  const kinds = arg('naive', 1) ? (['stream', 'thinking', 'naive'] as const) : (['stream', 'thinking'] as const);
  const fences = (answer.match(/^```\w+$/gm) ?? []).length;
  console.log(`answer: ${estimateTextTokens(answer).toLocaleString()} tokens (test-server estimate), ${answer.length.toLocaleString()} chars, ${fences} code blocks; ${deltas.length} deltas of ~${batch} tokens, one per animation frame`);
  console.log(`thinking run: ${estimateTextTokens(reasoningText).toLocaleString()} tokens of reasoning in ${reasoning.length} deltas into the Thinking section first, then the same answer`);

  const files = await bundle(DRIVER);
  const browser = await launchChromium();
  const figures: Figures[] = [];
  try {
    for (const kind of kinds) {
      const view = await openWebviewPage(browser, files);
      await view.page.setViewportSize({ width: 500, height: 900 });
      const cdp = await view.context.newCDPSession(view.page);
      figures.push(await measure(view.page, cdp, kind, deltas, reasoning));
      await view.close();
    }
  } finally {
    await browser.close();
  }
  const stream = figures.find((f) => f.kind === 'stream')!;
  const thinking = figures.find((f) => f.kind === 'thinking')!;
  const naive = figures.find((f) => f.kind === 'naive');
  const fmt = (n: number, w = 9) => n.toFixed(1).padStart(w);
  console.log('main thread, from a Chromium trace: CPU = thread time of its tasks; wall = their elapsed time (grows when the machine is busy)');
  console.log('renderer                          CPU ms  longest ms  tasks>50ms |   wall ms  longest ms | CDP TaskDuration ms | script/style/layout ms | stream s');
  for (const f of figures) {
    const name = f.kind === 'stream' ? 'stream renderer (webview/)' : f.kind === 'thinking' ? 'reasoning, then answer' : 'naive (re-render all per delta)';
    console.log(`${name.padEnd(32)}${fmt(f.totalMs)}  ${fmt(f.longestMs, 10)}  ${String(f.tasksOver50).padStart(10)} | ${fmt(f.wallTotalMs)}  ${fmt(f.wallLongestMs, 10)} | ${fmt(f.metricsMs, 19)} | ${`${f.scriptMs.toFixed(0)}/${f.styleMs.toFixed(0)}/${f.layoutMs.toFixed(0)}`.padStart(22)} | ${(f.wallMs / 1000).toFixed(1).padStart(8)}`);
  }
  if (naive) {
    console.log(`main-thread time, naive / stream: ${(naive.totalMs / stream.totalMs).toFixed(1)}× CPU, ${(naive.wallTotalMs / stream.wallTotalMs).toFixed(1)}× wall, ${(naive.metricsMs / stream.metricsMs).toFixed(1)}× CDP TaskDuration (target ≥ 10×)`);
    console.log(`longest main-thread task, stream renderer: ${stream.longestMs.toFixed(1)} ms CPU, ${stream.wallLongestMs.toFixed(1)} ms wall (target ≤ 50 ms); naive: ${naive.longestMs.toFixed(1)} ms CPU`);
    console.log(`same final DOM: ${stream.html === naive.html ? 'yes' : 'NO'}`);
  }
  const perDelta = (f: Figures, n: number) => f.totalMs / n;
  console.log(`reasoning then answer: ${thinking.totalMs.toFixed(0)} ms CPU for ${reasoning.length + deltas.length} deltas (${perDelta(thinking, reasoning.length + deltas.length).toFixed(2)} ms each; answer alone ${perDelta(stream, deltas.length).toFixed(2)} ms each), longest task ${thinking.longestMs.toFixed(1)} ms CPU / ${thinking.wallLongestMs.toFixed(1)} ms wall, ${thinking.tasksOver50} over 50 ms (target 0); answer DOM same as without reasoning: ${thinking.html === stream.html ? 'yes' : 'NO'}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
