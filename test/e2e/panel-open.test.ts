// Opening and updating the chat panel (real headless Chromium, webview/main.ts as bundled): a long
// conversation shows its last turn at once and gets its older turns (rendered Markdown) above it; a
// rename or a settings change re-renders no turn.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Conversation, HostMessage, Turn } from '../../src/chat/protocol';
import { send, stateMessages, usePanelPage } from './panel-support';

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
