// The chat panel end to end: the real workbench in headless Chromium, the real webview, the
// extension host and the test server. Types into the chat webview and reads the streamed answer.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import { answerFor } from '../server';
import { useWorkbench } from './workbench';

const CHAT = '/v1/chat/completions';

describe('e2e: chat panel in the real workbench', function () {
  this.timeout(120_000);
  const wb = useWorkbench({ settings: { 'kimi.model': 'moonshot-v1-8k' } });

  async function chat(): Promise<{ frame: FrameLocator; input: Locator }> {
    await wb().openKimi();
    const frame = await wb().chatFrame();
    const input = frame.getByRole('textbox', { name: 'Ask Kimi' });
    await input.waitFor({ timeout: 30_000 });
    return { frame, input };
  }

  const answers = (frame: FrameLocator) => frame.locator('[aria-label="Answer from Kimi"]');

  it('types a question, sends it with Enter and shows the streamed, rendered answer with its usage', async () => {
    const { frame, input } = await chat();
    const question = 'What is a context cache?';
    await input.click();
    await input.fill(question);
    await input.press('Enter');
    const answer = answers(frame).last();
    await answer.locator('h2').filter({ hasText: 'Answer from the Kimi test server' }).waitFor({ timeout: 30_000 });
    // The test server's answer quotes the question in a code block and lists facts about it.
    await answer.locator('pre').filter({ hasText: question }).waitFor();
    await answer.locator('li').filter({ hasText: 'It has 5 words' }).waitFor();
    await frame.locator('[aria-label="Your question"]').filter({ hasText: question }).first().waitFor();
    await answer.locator('[title="Tokens used by this answer"]').waitFor({ timeout: 15_000 });
    const sent = wb().mock.requests.filter((r) => r.path === CHAT).at(-1)?.body as { messages: Array<{ role: string; content: string }> };
    assert.deepEqual(sent.messages.at(-1), { role: 'user', content: question });
    const expectedHeading = answerFor([{ role: 'user', content: question }]).split('\n')[0].replace(/^## /, '');
    assert.equal((await answer.locator('h2').first().textContent())?.trim(), expectedHeading);
  });

  it('Esc stops a slow answer at once: the request is aborted and the partial answer stays, marked stopped', async () => {
    const { frame, input } = await chat();
    const { mock } = wb();
    mock.fault({ match: CHAT, kind: 'slow', chunkDelayMs: 60 });
    const full = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
    await input.click();
    await input.fill(`echo:${full}`);
    await input.press('Enter');
    const answer = answers(frame).last();
    await answer.filter({ hasText: 'w3' }).waitFor({ timeout: 30_000 });
    await input.press('Escape');
    await answer.getByText('Stopped').waitFor({ timeout: 10_000 });
    const deadline = Date.now() + 5000;
    while (mock.state.openStreams > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(mock.state.openStreams, 0, 'the server saw the request go away');
    const shown = (await answer.textContent()) ?? '';
    assert.ok(shown.includes('w3') && !shown.includes('w299'), 'only part of the answer arrived');
  });

  it('an answer cut off by a window reload mid-stream comes back with what had arrived, marked stopped', async () => {
    const { frame, input } = await chat();
    const { mock } = wb();
    mock.fault({ match: CHAT, kind: 'slow', chunkDelayMs: 60 });
    const full = Array.from({ length: 300 }, (_, i) => `r${i}`).join(' ');
    await input.click();
    await input.fill(`echo:${full}`);
    await input.press('Enter');
    // More than a second of streaming: the host has saved the growing answer by then.
    await answers(frame).last().filter({ hasText: 'r30' }).waitFor({ timeout: 30_000 });
    await reload();
    const again = await chat();
    const answer = answers(again.frame).filter({ hasText: 'r20' }).last();
    await answer.waitFor({ timeout: 30_000 });
    await answer.getByText('Stopped').waitFor({ timeout: 10_000 });
    assert.ok(!((await answer.textContent()) ?? '').includes('r299'));
  });

  async function reload(): Promise<void> {
    const { page } = wb();
    await page.reload();
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    // The reloaded workbench may restore Kimi as the selected container with the sidebar hidden.
    const kimi = page.locator('.activitybar a.action-label[aria-label^="Kimi"]').first();
    await kimi.waitFor({ timeout: 60_000 });
    if (!(await page.locator('.part.sidebar').isVisible())) await kimi.click();
  }

  it('the conversation is still there after the window reloads', async () => {
    const { frame, input } = await chat();
    await input.click();
    await input.fill('echo:Remember this line after a reload.');
    await input.press('Enter');
    await answers(frame).filter({ hasText: 'Remember this line after a reload.' }).first().waitFor({ timeout: 30_000 });
    // Reloading the page restarts the workbench and the extension host: the host reads its files again.
    await reload();
    const again = await chat();
    await answers(again.frame).filter({ hasText: 'Remember this line after a reload.' }).first().waitFor({ timeout: 30_000 });
  });
});
