// A thinking model writing into the editor: the model streams its reasoning first, and only the
// answer's code reaches the file — nothing of the reasoning, ever.
import * as assert from 'node:assert/strict';
import { useWorkbench } from './workbench';

const CHAT = '/v1/chat/completions';

describe('e2e: a thinking model writing into the editor', function () {
  this.timeout(180_000);
  const wb = useWorkbench({
    settings: { 'kimi.model': 'kimi-k2.7-code' },
    files: { 'src/cart.ts': 'export const items: number[] = [];\n' },
  });

  it('Generate at Cursor inserts the answer\'s code and none of the reasoning', async () => {
    const { page, mock } = wb();
    await wb().runCommand('Go to File...');
    await (await wb().quickInput()).fill('cart.ts');
    await wb().pickQuickItem('cart.ts');
    const lines = page.locator('.monaco-editor[data-uri$="cart.ts"] .view-lines').first();
    await lines.waitFor({ timeout: 15_000 });
    await lines.click();
    await page.keyboard.press('ControlOrMeta+End');
    const before = mock.requests.filter((r) => r.path === CHAT).length;

    await wb().runCommand('Kimi: Generate at Cursor');
    const instruction = await wb().quickInput();
    await instruction.fill('Add a function that sums the items');
    await instruction.press('Enter');

    // The test server's answer for a TypeScript request: a documented function after its reasoning.
    await lines.getByText('return input.trim();').waitFor({ timeout: 60_000 });
    const requests = mock.requests.filter((r) => r.path === CHAT).slice(before);
    assert.equal(requests.length, 1, 'one request for one Generate at Cursor');
    assert.equal((requests[0]!.body as { model?: string }).model, 'kimi-k2.7-code');
    await page.waitForTimeout(500);
    // Monaco renders spaces as no-break spaces.
    const text = (await lines.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /export const items/, 'the file keeps its own code');
    assert.match(text, /Add a function that sums the items/, 'the answer\'s code went in');
    assert.doesNotMatch(text, /The user wants/, 'no reasoning in the file');
    assert.doesNotMatch(text, /```/, 'no Markdown fence in the file');
  });
});
