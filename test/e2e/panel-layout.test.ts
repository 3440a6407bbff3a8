// The chat panel at side-bar widths: from 260 px up nothing in the header or the
// composer is clipped: every control lies inside its bar and no button's label is cut ("Senc").
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { send, stateMessages, usePanelPage } from './panel-support';
import { repoRoot } from './webview-page';

const STATE = stateMessages({
  conversations: [{ id: 'c-one', title: 'Explain extension.ts:12–30 with a long title', updatedAt: 2 }],
  conversation: { id: 'c-one', title: 'Explain extension.ts:12–30 with a long title', createdAt: 1, updatedAt: 2, turns: [] },
  models: [{ id: 'kimi-k2.7-code-highspeed', contextLength: 262144 }, { id: 'kimi-k3', contextLength: 1048576 }],
  model: 'kimi-k2.7-code-highspeed',
  modelInfo: { id: 'kimi-k2.7-code-highspeed', recommended: true, detail: '256K · thinking' },
  streaming: false,
  hasApiKey: true,
});

interface Clip { what: string; why: string }

/** Every toolkit control of the header and the composer that sticks out of its bar or cuts its text. */
async function clipped(page: Page): Promise<Clip[]> {
  return page.evaluate(() => {
    const found: { what: string; why: string }[] = [];
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}[${el.getAttribute('aria-label') ?? el.textContent?.trim()}]`;
    for (const bar of document.querySelectorAll('.header, .composer')) {
      const box = bar.getBoundingClientRect();
      for (const el of bar.querySelectorAll('vscode-button, vscode-dropdown')) {
        if ((el as HTMLElement).offsetParent === null) continue; // hidden
        const r = el.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
          found.push({ what: name(el), why: `box ${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(box.left)}–${Math.round(box.right)}` });
        }
        // The label is drawn by the shadow root's control and its content slot.
        const parts = [el as HTMLElement, ...(el.shadowRoot?.querySelectorAll<HTMLElement>('.control, .content, .selected-value') ?? [])];
        for (const part of parts) {
          if (part.scrollWidth > part.clientWidth + 1 && getComputedStyle(part).textOverflow !== 'ellipsis') {
            found.push({ what: name(el), why: `${part.className || 'host'} text cut: ${part.scrollWidth} > ${part.clientWidth}` });
          }
        }
      }
    }
    return found;
  });
}

describe('webview: chat panel fits the side bar (headless Chromium)', function () {
  this.timeout(60_000);
  const panel = usePanelPage();
  let page: Page;

  beforeEach(async () => {
    page = panel().page;
    // What VS Code's webview host sets on every view (CSSOM, so the CSP allows it).
    await page.evaluate(() => {
      const root = document.documentElement.style;
      root.setProperty('--vscode-font-family', 'system-ui, "Ubuntu", "Droid Sans", sans-serif');
      root.setProperty('--vscode-font-size', '13px');
      root.setProperty('--vscode-editor-font-family', 'monospace');
    });
    await send(page, STATE);
    await page.locator('.model-line .model-name').waitFor();
    await page.waitForFunction(() => document.fonts.check('16px codicon'));
  });

  for (const width of [260, 400]) {
    it(`at ${width} px nothing is clipped, idle and while answering`, async () => {
      await page.setViewportSize({ width, height: 600 });
      await page.locator('#prompt').fill('What does this do?');
      await page.waitForTimeout(100);
      const dir = path.join(repoRoot(), '.vscode-test', 'screenshots');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: path.join(dir, `panel-${width}px.png`) });
      assert.deepEqual(await clipped(page), [], 'idle');
      assert.equal((await page.locator('#send').innerText()).trim(), 'Send');
      // The model's name: one line in the header, and named in full on hover where it is cut.
      const line = await page.locator('.model-line').evaluate((el) => ({ height: el.getBoundingClientRect().height, lineHeight: parseFloat(getComputedStyle(el).fontSize) * 2 }));
      assert.ok(line.height < line.lineHeight, `the model line is one line (${line.height} px)`);
      assert.equal(await page.locator('.model-line .model-name').getAttribute('title'), 'kimi-k2.7-code-highspeed');
      assert.equal(await page.locator('#model-picker').getAttribute('title'), 'kimi-k2.7-code-highspeed');

      await send(page, {
        type: 'turnStart', conversationId: 'c-one',
        user: { id: 'q', role: 'user', content: 'What does this do?', createdAt: 3 },
        assistant: { id: 'r', role: 'assistant', content: '', createdAt: 3, status: 'streaming' },
      });
      await page.locator('#send[data-streaming]').waitFor();
      await page.waitForTimeout(100);
      assert.deepEqual(await clipped(page), [], 'answering');
      assert.equal((await page.locator('#send').innerText()).trim(), 'Stop');
    });
  }
});
