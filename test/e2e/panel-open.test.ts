// Opening and updating the chat panel (real headless Chromium, webview/main.ts as bundled): a long
// conversation shows its last turn at once and gets its older turns (rendered Markdown) above it; a
// rename or a settings change re-renders no turn.
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Conversation, HostMessage, Turn } from '../../src/chat/protocol';
import { send, SHIM, stateMessages, usePanelPage } from './panel-support';
import { bundle, launchChromium, openWebviewPage, type WebviewPage } from './webview-page';

function longConversation(turns: number): Conversation {
  const list: Turn[] = [];
  for (let i = 0; i < turns; i++) {
    list.push(i % 2 === 0
      ? { id: `t-${i}`, role: 'user', content: `Question ${i}`, createdAt: i }
      : { id: `t-${i}`, role: 'assistant', content: `## Answer ${i}\n\n${'Some prose about the code. '.repeat(100)}\n\n\`\`\`ts\nconst n${i} = ${i};\n\`\`\``, createdAt: i, status: 'done', model: 'kimi-k2.6' });
  }
  return { id: 'c-long', title: 'Long', createdAt: 0, updatedAt: turns, turns: list };
}

const MODELS = [{ id: 'kimi-k2.6', contextLength: 262144 }];

function open(conversation: Conversation): HostMessage[] {
  return stateMessages({ conversations: [{ id: conversation.id, title: conversation.title, updatedAt: 1 }], conversation, models: MODELS, model: 'kimi-k2.6', streaming: false, hasApiKey: true });
}

/** Counts turn articles added to or removed from the page from now on. */
async function watchTurns(page: Page): Promise<() => Promise<{ added: number; removed: number }>> {
  await page.evaluate(() => {
    const w = window as unknown as { __turns: { added: number; removed: number } };
    w.__turns = { added: 0, removed: 0 };
    const count = (nodes: NodeList) => [...nodes].reduce((n, node) => n + (node instanceof HTMLElement ? Number(node.matches('article.turn')) + node.querySelectorAll('article.turn').length : 0), 0);
    new MutationObserver((records) => {
      for (const r of records) {
        w.__turns.added += count(r.addedNodes);
        w.__turns.removed += count(r.removedNodes);
      }
    }).observe(document.getElementById('app')!, { childList: true, subtree: true });
  });
  return () => page.evaluate(() => (window as unknown as { __turns: { added: number; removed: number } }).__turns);
}

describe('webview: opening and updating the chat panel (headless Chromium)', function () {
  this.timeout(120_000);
  const panel = usePanelPage({ strict: true });

  it('a 300-turn conversation shows its last turn, then every older turn above it, rendered', async () => {
    const { page } = panel();
    await page.setViewportSize({ width: 500, height: 900 });
    const conversation = longConversation(300);
    await send(page, open(conversation));
    const last = page.locator('article[data-turn-id="t-299"]');
    await last.waitFor();
    assert.ok(await last.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight + 1 && el.getBoundingClientRect().top < window.innerHeight), 'the last turn is on screen');
    await page.waitForFunction(() => document.querySelectorAll('article.turn').length === 300, undefined, { timeout: 60_000 });
    const ids = await page.locator('article.turn').evaluateAll((els) => els.map((el) => el.getAttribute('data-turn-id')));
    assert.deepEqual(ids, conversation.turns.map((t) => t.id), 'all turns, in order');
    // Older turns are rendered as the others: Markdown, code blocks with their buttons.
    assert.equal(await page.locator('article[data-turn-id="t-1"] h2').textContent(), 'Answer 1');
    assert.equal(await page.locator('article[data-turn-id="t-1"] .code-block button[data-code-action]').count(), 3);
    // The reader still sees the end of the conversation.
    assert.ok(await last.evaluate((el) => el.getBoundingClientRect().top < window.innerHeight), 'still at the last turn');
    // Edit & Resend and Regenerate sit on the last question and answer only.
    assert.equal(await page.locator('.turn-actions vscode-button').count(), 2);
  });

  it('a rename and a settings change re-render no turn', async () => {
    const { page } = panel();
    const conversation = longConversation(20);
    await send(page, open(conversation));
    await page.waitForFunction(() => document.querySelectorAll('article.turn').length === 20);
    const turns = await watchTurns(page);
    await send(page, { type: 'conversations', conversations: [{ id: 'c-long', title: 'Renamed', updatedAt: 2 }], active: { id: 'c-long', title: 'Renamed', updatedAt: 2 } });
    await send(page, [{ type: 'apiKey', present: true }, { type: 'models', models: [...MODELS, { id: 'kimi-k3' }], model: 'kimi-k3', modelInfo: { id: 'kimi-k3', recommended: false } }]);
    await page.locator('#conversation-picker vscode-option', { hasText: 'Renamed' }).waitFor({ state: 'attached' });
    await page.locator('.model-name', { hasText: 'kimi-k3' }).waitFor();
    assert.deepEqual(await turns(), { added: 0, removed: 0 });
    // Opening it again (a switch) does render its turns: the counter sees that.
    await send(page, open(conversation));
    await page.waitForFunction(() => document.querySelectorAll('article.turn').length === 20);
    assert.ok((await turns()).added > 0);
  });
});

describe('webview: the panel in the host\'s display language (headless Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let view: WebviewPage;
  before(async () => {
    browser = await launchChromium();
    // The bundle the host hands over on #app (src/chat/view.ts), set before the page's script runs.
    const l10n = JSON.stringify({ Send: 'Senden', 'New Conversation': 'Neue Unterhaltung', 'Ask Kimi about your code.': 'Frag Kimi zu deinem Code.', 'Kimi ({0})': 'Kimi ({0}) antwortet' });
    view = await openWebviewPage(browser, await bundle("import './webview/main';"), { prelude: `${SHIM}\ndocument.getElementById('app').dataset.l10n = ${JSON.stringify(l10n)};` });
  });
  after(async () => {
    await view?.close();
    await browser?.close();
  });

  it('shows the translations it was given, with their arguments, and English for the rest', async () => {
    const { page } = view;
    await send(page, open({ id: 'c-empty', title: 'Empty', createdAt: 1, updatedAt: 1, turns: [] }));
    await page.locator('.welcome').waitFor();
    assert.equal(await page.locator('#send .send-label').textContent(), 'Senden');
    assert.ok((await page.locator('[aria-label="Neue Unterhaltung"]').count()) > 0);
    assert.equal((await page.locator('.welcome p').first().textContent())?.trim(), 'Frag Kimi zu deinem Code.');
    const conversation: Conversation = { id: 'c-de', title: 'De', createdAt: 1, updatedAt: 1, turns: [{ id: 'a', role: 'assistant', content: 'Hallo', createdAt: 1, status: 'done', model: 'kimi-k2.6' }] };
    await send(page, open(conversation));
    assert.equal(await page.locator('article .turn-author span:not(.codicon)').textContent(), 'Kimi (kimi-k2.6) antwortet');
    assert.ok((await page.locator('[aria-label="Rename Conversation"]').count()) > 0, 'untranslated: English');
  });
});
