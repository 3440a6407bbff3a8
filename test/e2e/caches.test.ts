// E2E in the real workbench (headless Chromium): right-click a cache → Update Cache TTL changes the
// expiry the test server reports; the status bar shows the token count of the open file.
import * as assert from 'node:assert/strict';
import type { ContextCache } from '../../src/kimi/types';
import { estimateTokens, TEST_API_KEY } from '../server';
import { useWorkbench } from './workbench';

const FILE_TEXT = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';

describe('e2e: context caches and the token count', () => {
  const wb = useWorkbench({ files: { 'src/add.ts': FILE_TEXT } });

  async function createCache(name: string, ttl: number): Promise<ContextCache> {
    const res = await fetch(`${wb().mock.url}/caching`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'moonshot-v1', messages: [{ role: 'system', content: `About ${name}` }], name, ttl }),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as ContextCache;
  }

  it('right-click → Update Cache TTL validates the input and changes the expiry on the server', async () => {
    const { page, mock } = wb();
    const cache = await createCache('e2e-ttl-cache', 600);
    await wb().openKimi();
    // The tree may have loaded before the cache existed: refresh from the view's title bar.
    const row = wb().treeRow('e2e-ttl-cache');
    if (!(await row.isVisible().catch(() => false))) await wb().runCommand('Kimi: Refresh Context Caches');
    await row.waitFor({ timeout: 20_000 });
    assert.match((await row.textContent()) ?? '', /tokens · expires in (9|10) min/);

    await wb().contextMenu('e2e-ttl-cache', 'Update Cache TTL');
    const input = await wb().quickInput();
    await input.fill('abc');
    const message = page.locator('.quick-input-widget .quick-input-message');
    await message.filter({ hasText: /whole number of seconds/ }).waitFor({ timeout: 10_000 });
    await input.fill('120');
    await input.press('Enter');

    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && Math.abs((mock.caches.get(cache.id)?.expired_at ?? 0) - (Date.now() / 1000 + 120)) > 5) {
      await page.waitForTimeout(200);
    }
    const expiresAt = mock.caches.get(cache.id)?.expired_at ?? 0;
    assert.ok(Math.abs(expiresAt - (Date.now() / 1000 + 120)) <= 5, `server expiry ${expiresAt} is about now + 120 s`);
    await row.filter({ hasText: /expires in (1|2) min/ }).waitFor({ timeout: 15_000 });
  });

  it('Create Context Cache: name → description → TTL in one input (1/3…3/3), Back keeps the name, Escape sends nothing', async () => {
    const { page, mock } = wb();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await (await wb().quickInput()).fill('add.ts');
    await wb().pickQuickItem('add.ts');
    const widget = page.locator('.quick-input-widget');
    const title = widget.locator('.quick-input-title');
    const back = widget.getByRole('button', { name: /^Back/ });
    const before = mock.requests.length;

    await wb().runCommand('Kimi: Create Context Cache');
    const input = await wb().quickInput();
    await title.filter({ hasText: /Create Context Cache: name.*1\/3/ }).waitFor({ timeout: 15_000 });
    assert.equal(await input.inputValue(), 'add.ts', 'the file name is suggested');
    assert.equal(await back.count(), 0, 'no Back on the first step');
    await input.fill('e2e wizard');
    await input.press('Enter');
    await title.filter({ hasText: /description.*2\/3/ }).waitFor({ timeout: 10_000 });
    await back.click();
    await title.filter({ hasText: /name.*1\/3/ }).waitFor({ timeout: 10_000 });
    assert.equal(await input.inputValue(), 'e2e wizard', 'Back keeps what was typed');
    await input.press('Enter');
    await title.filter({ hasText: /2\/3/ }).waitFor({ timeout: 10_000 });
    await input.press('Enter');
    await title.filter({ hasText: /time to live.*3\/3/ }).waitFor({ timeout: 10_000 });
    await input.fill('abc');
    await widget.locator('.quick-input-message').filter({ hasText: /whole number of seconds/ }).waitFor({ timeout: 10_000 });
    // Enter on an invalid value keeps the step open.
    await input.press('Enter');
    await title.filter({ hasText: /3\/3/ }).waitFor({ timeout: 10_000 });
    await input.press('Escape');
    await input.waitFor({ state: 'hidden', timeout: 10_000 });
    // (The status bar counts the open file's tokens meanwhile: only the cache's own count matters here.)
    const sent = mock.requests.slice(before).filter((r) => r.path === '/v1/caching' || JSON.stringify(r.body ?? '').includes('File: src/add.ts'));
    assert.deepEqual(sent.map((r) => r.path), [], 'cancelled: nothing counted or created');

    // The whole way through creates the cache with what was entered.
    await wb().runCommand('Kimi: Create Context Cache');
    await title.filter({ hasText: /1\/3/ }).waitFor({ timeout: 15_000 });
    await input.fill('e2e wizard');
    await input.press('Enter');
    await title.filter({ hasText: /2\/3/ }).waitFor({ timeout: 10_000 });
    await input.fill('made in three steps');
    await input.press('Enter');
    await title.filter({ hasText: /3\/3/ }).waitFor({ timeout: 10_000 });
    await input.fill('300');
    await input.press('Enter');
    await page.locator('.monaco-dialog-box').getByRole('button', { name: 'Create Cache' }).click({ timeout: 15_000 });
    const deadline = Date.now() + 15_000;
    const created = () => [...mock.caches.values()].find((c) => c.name === 'e2e wizard');
    while (Date.now() < deadline && !created()) await page.waitForTimeout(200);
    assert.equal(created()?.description, 'made in three steps');
  });

  it('shows "N tokens · P% of 256K" in the status bar for the open file', async () => {
    const { page } = wb();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = await wb().quickInput();
    await input.fill('add.ts');
    await wb().pickQuickItem('add.ts');
    const expected = estimateTokens([{ role: 'user', content: FILE_TEXT }]).toLocaleString('en-US');
    const item = await wb().waitForStatus(new RegExp(`^${expected} tokens · <1% of 256K$`), 30_000);
    assert.match(item.label, /tokens/);
  });

  it('says "Context caching is not available" in the view when /v1/caching answers 404, with no error toast', async () => {
    const { page, mock } = wb();
    mock.state.cachingUnavailable = 404;
    try {
      await wb().openKimi();
      await wb().runCommand('Kimi: Refresh Context Caches');
      const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /Context Caches/i }) });
      await view.getByText('Context caching is not available for this account or platform', { exact: false }).waitFor({ timeout: 20_000 });
      await wb().runCommand('Kimi: Refresh Context Caches');
      const toasts = await wb().notifications();
      assert.ok(!toasts.some((t) => /caching|context caches/i.test(t)), `no error toast: ${JSON.stringify(toasts)}`);
    } finally {
      mock.state.cachingUnavailable = undefined;
      await wb().runCommand('Kimi: Refresh Context Caches');
    }
  });
});
