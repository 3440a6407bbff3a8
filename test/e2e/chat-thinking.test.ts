// A thinking model in the real workbench: the panel shows the reasoning while it streams, closes it
// when the answer starts, keeps it across a window reload, and Continue finishes an answer cut off at
// the token limit, in place.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import { useWorkbench } from './workbench';

const CHAT = '/v1/chat/completions';

describe('e2e: thinking answers in the real workbench', function () {
  this.timeout(180_000);
  // Enough for the reasoning and a short answer; a long one is cut off.
  const wb = useWorkbench({ settings: { 'kimi.model': 'kimi-k2.7-code', 'kimi.maxTokens': 150 } });

  async function chat(): Promise<{ frame: FrameLocator; input: Locator }> {
    await wb().openKimi();
    const frame = await wb().chatFrame();
    const input = frame.getByRole('textbox', { name: 'Ask Kimi' });
    await input.waitFor({ timeout: 30_000 });
    return { frame, input };
  }

  async function ask(input: Locator, text: string): Promise<void> {
    await input.click();
    await input.fill(text);
    await input.press('Enter');
  }

  const answers = (frame: FrameLocator) => frame.locator('[aria-label="Answer from Kimi"]');

  it('shows the reasoning while it streams, closed once the answer is in, and still there after a reload', async () => {
    const { frame, input } = await chat();
    // Slow enough that the reasoning is on screen for seconds before the answer starts.
    wb().mock.fault({ match: CHAT, kind: 'slow', chunkDelayMs: 250, times: 1 });
    await ask(input, 'echo:Blue light scatters more.');
    const answer = answers(frame).last();
    const open = answer.locator('details.thinking[open]');
    await open.locator('.thinking-body').filter({ hasText: 'The user asked' }).waitFor({ timeout: 30_000 });
    assert.match((await open.locator('summary').textContent()) ?? '', /Thinking…/);
    await answer.locator('.turn-body').filter({ hasText: 'Blue light scatters more.' }).waitFor({ timeout: 30_000 });
    await answer.locator('details.thinking:not([open]) summary').filter({ hasText: /Thought for \d+ s/ }).waitFor({ timeout: 30_000 });

    await wb().page.reload();
    await wb().page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    const kimi = wb().page.locator('.activitybar a.action-label[aria-label^="Kimi"]').first();
    await kimi.waitFor({ timeout: 60_000 });
    if (!(await wb().page.locator('.part.sidebar').isVisible())) await kimi.click();
    const again = await chat();
    const kept = answers(again.frame).filter({ hasText: 'Blue light scatters more.' }).last();
    await kept.waitFor({ timeout: 30_000 });
    const section = kept.locator('details.thinking');
    assert.equal(await section.evaluate((d) => (d as HTMLDetailsElement).open), false, 'closed after the reload');
    await section.locator('summary').click();
    await section.locator('.thinking-body').filter({ hasText: 'The user asked a question of 4 words' }).waitFor();
  });

  it('an answer cut off at the token limit says so; Continue finishes it in place', async () => {
    const { frame, input } = await chat();
    const words = Array.from({ length: 160 }, (_, i) => `w${i}`).join(' ');
    await ask(input, `echo:${words}`);
    const answer = answers(frame).last();
    await answer.getByText('Cut off at the token limit').waitFor({ timeout: 30_000 });
    const before = (await answer.locator('.turn-body').textContent()) ?? '';
    assert.ok(before.includes('w0') && !before.includes('w159'), 'cut short');
    const count = await answers(frame).count();
    await answer.getByRole('button', { name: 'Continue' }).click();
    await answer.locator('.turn-body').filter({ hasText: 'w159' }).waitFor({ timeout: 30_000 });
    assert.equal(await answers(frame).count(), count, 'continued in place, no new answer');
    assert.equal(((await answer.locator('.turn-body').textContent()) ?? '').trim(), words, 'nothing repeated or lost');
    const last = wb().mock.requests.filter((r) => r.path === CHAT).at(-1)?.body as { messages: Array<{ role: string; partial?: boolean }> };
    assert.deepEqual([last.messages.at(-1)?.role, last.messages.at(-1)?.partial], ['assistant', true]);
  });
});
