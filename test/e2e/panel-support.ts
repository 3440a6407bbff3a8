// The chat panel page helpers shared by the panel tests: an acquireVsCodeApi shim that records what
// the page posts (structured-cloned, as the real one does) and lets the test send host messages.
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Conversation, ConversationSummary, HostMessage, ModelInfo, ModelOption, WebviewMessage } from '../../src/chat/protocol';
import { bundle, launchChromium, openWebviewPage, type WebviewPage } from './webview-page';

export const SHIM = `
window.__posted = [];
window.__vsState = JSON.parse(sessionStorage.getItem('vsState') || 'null');
let acquired = false;
window.acquireVsCodeApi = () => {
  if (acquired) throw new Error('acquireVsCodeApi called twice');
  acquired = true;
  return {
    postMessage: (m) => window.__posted.push(structuredClone(m)),
    getState: () => window.__vsState,
    setState: (s) => { window.__vsState = structuredClone(s); sessionStorage.setItem('vsState', JSON.stringify(s)); },
  };
};
`;

export async function send(page: Page, m: HostMessage | HostMessage[]): Promise<void> {
  for (const msg of Array.isArray(m) ? m : [m]) await page.evaluate((one) => window.postMessage(one, '*'), msg);
}

/** Everything the panel shows of a conversation, as the tests write it. */
export interface PanelState {
  conversations: ConversationSummary[];
  conversation: Conversation;
  models: ModelOption[];
  model: string;
  modelInfo?: ModelInfo;
  streaming: boolean;
  hasApiKey: boolean;
}

/** The messages the host sends when a conversation opens (ChatConversations.showAll). */
export function stateMessages(s: PanelState): HostMessage[] {
  const { id, title, updatedAt, cache } = s.conversation;
  const list: HostMessage = { type: 'conversations', conversations: s.conversations, active: { id, title, updatedAt } };
  if (cache) list.cache = cache;
  const models: HostMessage = { type: 'models', models: s.models, model: s.model };
  if (s.modelInfo) models.modelInfo = s.modelInfo;
  return [{ type: 'apiKey', present: s.hasApiKey }, list, models, { type: 'conversation', conversation: s.conversation, streaming: s.streaming }];
}

export async function posted(page: Page): Promise<WebviewMessage[]> {
  return page.evaluate(() => (window as unknown as { __posted: WebviewMessage[] }).__posted);
}

export async function clearPosted(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __posted: unknown[] }).__posted.length = 0));
}

/** Waits until the page has posted a message matching `pred`, and returns it. */
export async function waitPosted(page: Page, pred: (m: WebviewMessage) => boolean, what: string): Promise<WebviewMessage> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const hit = (await posted(page)).find(pred);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`not posted: ${what}; posted: ${JSON.stringify(await posted(page))}`);
    await page.waitForTimeout(30);
  }
}

/**
 * One Chromium and one bundle for the suite, a fresh panel page per test (after its 'ready'). With
 * `strict`, each test must also end with no CSP violation and nothing loaded from elsewhere.
 */
export function usePanelPage(options: { strict?: boolean } = {}): () => WebviewPage {
  let browser: Browser | undefined;
  let files: Map<string, Uint8Array>;
  let view: WebviewPage | undefined;
  before(async () => {
    files = await bundle("import './webview/main';");
    browser = await launchChromium();
  });
  after(async () => browser?.close());
  beforeEach(async () => {
    view = await openWebviewPage(browser!, files, { prelude: SHIM });
    await waitPosted(view.page, (m) => m.type === 'ready', 'ready');
  });
  afterEach(async () => {
    const current = view;
    view = undefined;
    if (!current) return;
    try {
      if (options.strict) {
        assert.deepEqual(await current.cspViolations(), [], 'no CSP violations');
        assert.deepEqual(current.foreignRequests, [], 'nothing loaded from elsewhere');
      }
    } finally {
      await current.close();
    }
  });
  return () => view!;
}
