// Chat panel benchmark (issue 10): the real panel page (webview/main.ts, bundled as for the
// extension) in headless Chromium, fed the messages the host posts. Prints how many turns the page
// re-renders on a settings change and on a rename (a MutationObserver counts turn articles added),
// and how long opening a 300-turn (≈1 MB) conversation takes until its last turn is on screen.
// The host messages per event are in ./chat-open-messages.ts (what src/chat's host sends for it).
//   node dist/bench/chat-open.js [--turns 300] [--kb 1024] [--rounds 5]
import type { CDPSession, Page } from 'playwright-core';
import type { Conversation, Turn } from '../src/chat/protocol';
import { SHIM } from '../test/e2e/panel-support';
import { bundle, launchChromium, openWebviewPage } from '../test/e2e/webview-page';
import { seeded } from '../test/support/random';
import { numberArg as arg } from './args';
import { onOpen, onRename, onSettingsChange } from './chat-open-messages';

const WORDS = 'the panel shows each turn of a long conversation with code blocks lists and prose kimi answers questions about your code cache model token'.split(' ');

/** A deterministic conversation of `turns` turns and about `kb` KB of text, answers in Markdown with code. */
export function longConversation(turns: number, kb: number): Conversation {
  const random = seeded(300);
  const perAnswer = Math.round((kb * 1024) / Math.ceil(turns / 2));
  const sentence = () => Array.from({ length: 8 + Math.floor(random() * 10) }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ') + '.';
  const answer = (n: number) => {
    const parts = [`## Step ${n}`, sentence(), '```ts\n' + `export function step${n}(a: number): number {\n  return a * ${n}; // keep it small\n}` + '\n```', `- ${sentence()}\n- ${sentence()}`];
    while (parts.join('\n\n').length < perAnswer - 80) parts.push(`${sentence()} ${sentence()} \`value${n}\` ${sentence()}`);
    return parts.join('\n\n');
  };
  const list: Turn[] = [];
  for (let i = 0; i < turns; i++) {
    list.push(i % 2 === 0
      ? { id: `t-${i}`, role: 'user', content: `Question ${i}: ${sentence()}`, createdAt: i }
      : { id: `t-${i}`, role: 'assistant', content: answer(i), createdAt: i, status: 'done', model: 'kimi-k2.6', usage: { prompt: 1000 + i, cached: 0, completion: 300 } });
  }
  return { id: 'c-long', title: 'A long conversation', createdAt: 0, updatedAt: turns, turns: list };
}

/** Installs a counter of turn articles added to the transcript (also inside added subtrees). */
async function countTurnsAdded(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __added: number };
    w.__added = 0;
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          if (!(n instanceof HTMLElement)) continue;
          if (n.matches('article.turn')) w.__added++;
          w.__added += n.querySelectorAll('article.turn').length;
        }
      }
    }).observe(document.getElementById('app')!, { childList: true, subtree: true });
  });
}

async function turnsAddedBy(page: Page, messages: unknown[]): Promise<number> {
  await page.evaluate(() => ((window as unknown as { __added: number }).__added = 0));
  for (const m of messages) await page.evaluate((msg) => window.postMessage(msg, '*'), m);
  // Let the page handle the messages and any work it schedules (idle chunks included).
  await page.waitForTimeout(1500);
  return page.evaluate(() => (window as unknown as { __added: number }).__added);
}

/** Puts the open messages into the page first, so that handing them over is not measured. */
async function stage(page: Page, messages: unknown[]): Promise<void> {
  await page.evaluate((msgs) => ((window as unknown as { __open: unknown[] }).__open = msgs), messages);
}

/** Wall ms from posting the staged messages until the last turn is in the DOM, in view, and a frame drawn. */
async function msToLastTurn(page: Page, lastId: string): Promise<number> {
  return page.evaluate((id) => new Promise<number>((resolve) => {
    const t0 = performance.now();
    for (const m of (window as unknown as { __open: unknown[] }).__open) window.postMessage(m, '*');
    const check = () => {
      const el = document.querySelector(`article[data-turn-id="${id}"]`);
      const box = el?.getBoundingClientRect();
      if (el && box && box.top < window.innerHeight && box.bottom > 0 && el.querySelector('.turn-body')?.textContent) {
        requestAnimationFrame(() => resolve(performance.now() - t0));
      } else {
        requestAnimationFrame(check);
      }
    };
    requestAnimationFrame(check);
  }), lastId);
}

interface TraceEvent { name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } }

/** Runs `body` under a Chromium trace; returns its result and the page main thread's CPU (thread) time meanwhile. */
async function mainThreadCpu<T>(cdp: CDPSession, body: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const events: TraceEvent[] = [];
  const onData = (e: { value: object[] }) => void events.push(...(e.value as TraceEvent[]));
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', { categories: 'toplevel', transferMode: 'ReportEvents' });
  const result = await body();
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', onData);
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const perThread = new Map<string, number>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.name === 'ThreadControllerImpl::RunTask' && e.ph === 'X' && mains.has(key)) perThread.set(key, (perThread.get(key) ?? 0) + (e.tdur ?? e.dur ?? 0) / 1000);
  }
  return { result, cpuMs: Math.max(0, ...perThread.values()) };
}

async function main(): Promise<void> {
  const turns = arg('turns', 300);
  const conversation = longConversation(turns, arg('kb', 1024));
  const bytes = Buffer.byteLength(JSON.stringify(conversation));
  const lastId = conversation.turns.at(-1)!.id;
  console.log(`conversation: ${turns} turns, ${(bytes / 1024).toFixed(0)} KB as JSON`);
  const files = await bundle("import './webview/main';");
  const browser = await launchChromium();
  const times: number[] = [];
  const cpu: number[] = [];
  const warmTimes: number[] = [];
  const warmCpu: number[] = [];
  const other = { ...longConversation(2, 4), id: 'c-other', title: 'Another' };
  let settings = 0;
  let rename = 0;
  try {
    for (let round = 0; round < arg('rounds', 5); round++) {
      const view = await openWebviewPage(browser, files, { prelude: SHIM });
      await view.page.setViewportSize({ width: 500, height: 900 });
      await view.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
      const cdp = await view.context.newCDPSession(view.page);
      // Cold: the panel's first conversation since it loaded. Warm: switching back to it later.
      await stage(view.page, onOpen(conversation));
      const cold = await mainThreadCpu(cdp, () => msToLastTurn(view.page, lastId));
      await stage(view.page, onOpen(other));
      await msToLastTurn(view.page, other.turns.at(-1)!.id);
      await stage(view.page, onOpen(conversation));
      const warm = await mainThreadCpu(cdp, () => msToLastTurn(view.page, lastId));
      for (const [list, figure] of [[times, cold.result], [cpu, cold.cpuMs], [warmTimes, warm.result], [warmCpu, warm.cpuMs]] as const) list.push(figure);
      console.log(`  round ${round + 1}: cold ${cold.result.toFixed(0)} ms wall, ${cold.cpuMs.toFixed(0)} ms CPU; warm ${warm.result.toFixed(0)} ms wall, ${warm.cpuMs.toFixed(0)} ms CPU`);
      if (round === 0) {
        // Count only what the events re-render: wait until the whole conversation is in the page.
        await view.page.waitForFunction((n) => document.querySelectorAll('article.turn').length === n, turns, { timeout: 120_000 });
        await countTurnsAdded(view.page);
        settings = await turnsAddedBy(view.page, onSettingsChange());
        rename = await turnsAddedBy(view.page, onRename(conversation, 'Renamed'));
      }
      await view.close();
    }
  } finally {
    await browser.close();
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  console.log(`turns re-rendered on a settings change: ${settings}`);
  console.log(`turns re-rendered on a rename: ${rename}`);
  console.log(`open the ${turns}-turn conversation until its last turn is drawn (median; main-thread CPU is thread time from a Chromium trace, wall grows on a busy machine; target < 100 ms):`);
  console.log(`  first in a fresh panel: ${median(times).toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU`);
  console.log(`  switching back to it:   ${median(warmTimes).toFixed(0)} ms wall, ${median(warmCpu).toFixed(0)} ms CPU`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
