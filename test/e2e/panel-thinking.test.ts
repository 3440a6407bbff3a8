// The chat panel's Thinking section, Continue, web search and model line in real headless Chromium
// (webview/main.ts as bundled for the extension), driven by host messages as the extension sends them.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Conversation, HostMessage, Turn } from '../../src/chat/protocol';
import { clearPosted, send, stateMessages, waitPosted, usePanelPage, type PanelState } from './panel-support';

const QUESTION: Turn = { id: 'u1', role: 'user', content: 'Why is the sky blue?', createdAt: 1 };

function state(turns: Turn[], over: Partial<Conversation> = {}, extra: Partial<PanelState> = {}): HostMessage[] {
  return stateMessages({
    conversations: [{ id: 'c-t', title: 'Sky', updatedAt: 2 }],
    conversation: { id: 'c-t', title: 'Sky', createdAt: 1, updatedAt: 2, turns, ...over },
    models: [{ id: 'kimi-k3', detail: 'thinking · 1M · premium price' }, { id: 'kimi-k2.7-code', detail: 'thinking · 256K' }],
    model: 'kimi-k2.7-code',
    modelInfo: { id: 'kimi-k2.7-code', recommended: true, detail: 'thinking · 256K' },
    streaming: false,
    hasApiKey: true,
    ...extra,
  });
}

describe('webview: thinking answers in the chat panel (headless Chromium)', function () {
  this.timeout(60_000);
  const panel = usePanelPage({ strict: true });
  let page: Page;
  beforeEach(() => {
    page = panel().page;
  });

  const ids = { conversationId: 'c-t', turnId: 'a1' };

  it('streams the reasoning live in an open Thinking section, closes it when the answer starts, keeps it re-openable and sanitized', async () => {
    await send(page, state([]));
    const streaming: Turn = { id: 'a1', role: 'assistant', content: '', createdAt: 2, status: 'streaming', model: 'kimi-k2.7-code' };
    await send(page, { type: 'turnStart', conversationId: 'c-t', user: QUESTION, assistant: streaming });
    const answer = page.locator('article[data-turn-id="a1"]');
    const thinking = answer.locator('details.thinking');
    const reasoning = ['Rayleigh scattering: **shorter** wave', 'lengths scatter more.\n\n', 'Check `λ⁻⁴` and <a href="javascript:window.__pwned=2">this</a>.\n\n<script>window.__pwned=1</script>\n\n'];
    for (const text of reasoning) await send(page, { type: 'reasoning', ...ids, text });
    await thinking.locator('strong').filter({ hasText: 'shorter' }).waitFor();
    assert.equal(await thinking.evaluate((d) => (d as HTMLDetailsElement).open), true, 'open while the model reasons');
    assert.match((await thinking.locator('summary').textContent()) ?? '', /Thinking… \d+ s/);
    await thinking.locator('code').filter({ hasText: 'λ⁻⁴' }).waitFor();
    assert.equal(await thinking.locator('script, a[href^="javascript"]').count(), 0, 'reasoning is sanitized like the answer');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await answer.locator('.turn-body').textContent(), '', 'no answer text yet');

    await send(page, { type: 'delta', ...ids, text: 'Because of **Rayleigh** scattering.' });
    await answer.locator('.turn-body strong').filter({ hasText: 'Rayleigh' }).waitFor();
    assert.equal(await thinking.evaluate((d) => (d as HTMLDetailsElement).open), false, 'closed once the answer starts');
    await thinking.locator('summary').click();
    assert.equal(await thinking.evaluate((d) => (d as HTMLDetailsElement).open), true, 're-openable');
    await send(page, { type: 'delta', ...ids, text: ' More.' });
    await page.waitForTimeout(100);
    assert.equal(await thinking.evaluate((d) => (d as HTMLDetailsElement).open), true, 'a reader who opened it keeps it open');

    const done: Turn = {
      ...streaming, status: 'done', content: 'Because of **Rayleigh** scattering. More.', reasoning: reasoning.join(''), thinkingMs: 12_400,
      usage: { prompt: 20, cached: 16, completion: 500, reasoning: 480 },
    };
    await send(page, { type: 'turnEnd', conversationId: 'c-t', turn: done });
    await answer.locator('summary').filter({ hasText: 'Thought for 12 s' }).waitFor();
    assert.match((await answer.locator('.turn-usage').textContent()) ?? '', /20 prompt · 16 cached · 500 completion tokens \(480 reasoning, 20 answer\)/);

    // Reloaded (the host sends the saved conversation): the reasoning is there, closed.
    await send(page, state([QUESTION, done]));
    const again = page.locator('article[data-turn-id="a1"] details.thinking');
    await again.locator('summary').filter({ hasText: 'Thought for 12 s' }).waitFor();
    assert.equal(await again.evaluate((d) => (d as HTMLDetailsElement).open), false, 'closed after a reload');
    assert.match((await again.locator('.thinking-body').textContent()) ?? '', /shorter wavelengths scatter more/);
  });

  it('a cut-off answer says so and offers Continue; the continuation is appended in place', async () => {
    const cut: Turn = { id: 'a1', role: 'assistant', content: 'Part one,', createdAt: 2, status: 'done', model: 'kimi-k2.6', finishReason: 'length' };
    await send(page, state([QUESTION, cut]));
    const answer = page.locator('article[data-turn-id="a1"]');
    await answer.locator('.turn-status.cut-off').filter({ hasText: 'Cut off at the token limit' }).waitFor();
    await clearPosted(page);
    await answer.locator('vscode-button.continue-answer').click();
    await waitPosted(page, (m) => m.type === 'continue', 'continue');

    await send(page, { type: 'turnStart', conversationId: 'c-t', assistant: { ...cut, status: 'streaming' } });
    assert.equal(await page.locator('article.turn-assistant').count(), 1, 'the same answer, not a new one');
    assert.equal(await answer.locator('vscode-button.continue-answer').count(), 0, 'no Continue while it streams');
    await send(page, { type: 'delta', ...ids, text: ' part two.' });
    await answer.locator('.turn-body').filter({ hasText: 'Part one, part two.' }).waitFor();
    await send(page, { type: 'turnEnd', conversationId: 'c-t', turn: { ...cut, content: 'Part one, part two.', finishReason: 'stop' } });
    await answer.locator('.turn-body p').filter({ hasText: 'Part one, part two.' }).waitFor();
    assert.equal(await answer.locator('.turn-status.cut-off').count(), 0);
  });

  it('an answer with reasoning and no text says so plainly', async () => {
    const empty: Turn = { id: 'a1', role: 'assistant', content: '', createdAt: 2, status: 'done', reasoning: 'Let me think about it…', finishReason: 'length' };
    await send(page, state([QUESTION, empty]));
    const note = page.locator('article[data-turn-id="a1"] .no-answer');
    await note.waitFor();
    assert.match((await note.textContent()) ?? '', /spent the whole token limit reasoning and wrote no answer/);
  });

  it('web search: the toggle is off by default, says its price, posts its state; answers show "Searched the web"', async () => {
    await send(page, state([QUESTION, { id: 'a1', role: 'assistant', content: 'Found it.', createdAt: 2, status: 'done', webSearches: 1 }]));
    await page.locator('article[data-turn-id="a1"] .web-search').filter({ hasText: 'Searched the web' }).waitFor();
    const toggle = page.locator('#web-search');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    assert.match((await toggle.getAttribute('title')) ?? '', /\$0\.005.*¥0\.03/);
    await clearPosted(page);
    await toggle.click();
    assert.deepEqual(await waitPosted(page, (m) => m.type === 'setWebSearch', 'setWebSearch'), { type: 'setWebSearch', on: true });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    await send(page, state([], { webSearch: true }));
    await page.waitForTimeout(50);
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true', 'the conversation keeps it on');
  });

  it('the header shows the model; a model no longer offered gets a message with Select Model', async () => {
    await send(page, state([]));
    const line = page.locator('.model-line');
    await line.filter({ hasText: 'kimi-k2.7-code' }).waitFor();
    assert.match((await line.textContent()) ?? '', /recommended/);
    assert.equal(await page.locator('.model-warning').isVisible(), false);
    await send(page, state([], {}, { model: 'kimi-k2.5', modelInfo: { id: 'kimi-k2.5', recommended: false, unavailable: 'Kimi no longer offers kimi-k2.5 to your key (retired, or not allowed). Select another model to continue.' } }));
    const warning = page.locator('.model-warning');
    await warning.filter({ hasText: 'no longer offers kimi-k2.5' }).waitFor();
    await clearPosted(page);
    await warning.locator('vscode-button.select-model').click();
    await waitPosted(page, (m) => m.type === 'action' && m.action === 'selectModel', 'selectModel');
  });
});
