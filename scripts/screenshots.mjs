// `npm run screenshots`: the README's pictures, taken from a real run: VS Code (code-server) in
// headless Chromium with this extension, against the project's test server. Writes PNGs into
// media/screenshots/ (not packaged into the .vsix). Needs the build (npm run screenshots does it) and
// the install of scripts/vscode/install.sh.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { openWorkbench } = require(join(root, 'dist/test/e2e/workbench.js'));
const { TEST_API_KEY } = require(join(root, 'dist/test/server/index.js'));
const out = join(root, 'media/screenshots');
mkdirSync(out, { recursive: true });

const SAMPLE = `// Sums the prices of a cart, with a discount in percent.
export function total(prices: number[], discount = 0): number {
  const sum = prices.reduce((a, b) => a + b, 0);
  return Math.round(sum * (1 - discount / 100) * 100) / 100;
}
`;

// The recommended current model (kimi-k2.7-code) thinks first: its reasoning shows in a Thinking section.
const wb = await openWorkbench({
  settings: { 'workbench.colorTheme': 'Default Dark Modern' },
  files: { 'src/cart.ts': SAMPLE },
});
const { page, mock } = wb;
const shot = async (name, options = {}) => {
  const file = join(out, `${name}.png`);
  await page.screenshot({ path: file, ...options });
  console.log(`screenshots: ${file}`);
};

try {
  // 1. Explain Selection on a file: the answer streamed into the chat, its reasoning opened. (A
  // progress badge on the Kimi entry can take the click while the views load: force it.)
  const kimiTitle = page.locator('.part.sidebar .composite.title').filter({ hasText: /kimi/i }).first();
  if (!(await kimiTitle.isVisible())) await page.locator('.activitybar a.action-label[aria-label^="Kimi"]').first().click({ force: true });
  await wb.openKimi();
  await wb.runCommand('Go to File...');
  await (await wb.quickInput()).fill('cart.ts');
  await wb.pickQuickItem('cart.ts');
  const editor = page.locator('.monaco-editor[data-uri$="cart.ts"] .view-lines').first();
  await editor.waitFor({ timeout: 15_000 });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  // The keybinding, not the palette: closing the palette would drop the selection.
  await page.keyboard.press('Control+Alt+E');
  const frame = await wb.chatFrame();
  const answer = frame.locator('[aria-label="Answer from Kimi"]').last();
  await answer.locator('[title="Tokens used by this answer"]').waitFor({ timeout: 60_000 });
  await answer.locator('details.thinking > summary').first().click();
  await page.waitForTimeout(500);
  await shot('chat');

  // 2. The cache tree with its context menu: one cache made on the test server, as the API would.
  const created = await fetch(`${mock.url}/caching`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
    body: JSON.stringify({
      model: 'moonshot-v1',
      name: 'project-docs',
      messages: [{ role: 'system', content: 'The project documentation: '.repeat(200) }],
      ttl: 3600,
      tags: ['docs'],
    }),
  });
  if (!created.ok) throw new Error(`creating a cache on the test server failed: ${created.status} ${await created.text()}`);
  await wb.runCommand('Kimi: Refresh Context Caches');
  const row = wb.treeRow('project-docs');
  await row.waitFor({ timeout: 30_000 });
  await row.click({ button: 'right' });
  await page.locator('.context-view .monaco-menu').first().waitFor({ timeout: 10_000 });
  await page.waitForTimeout(300);
  await shot('caches');
  await page.keyboard.press('Escape');

  // 3. The status-bar count of a selection.
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await wb.waitForStatus(/\d[\d,]* tokens?/, 30_000);
  await page.waitForTimeout(700);
  await page.locator('[id="workbench.parts.statusbar"]').screenshot({ path: join(out, 'status-bar.png') });
  console.log(`screenshots: ${join(out, 'status-bar.png')}`);

  // 4. Edit Selection while the code streams in (the test server slowed down so it is caught midway).
  mock.fault({ match: '/v1/chat/completions', kind: 'slow', chunkDelayMs: 400 });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('F1');
  const palette = await wb.quickInput();
  await palette.fill('>Kimi: Edit Selection');
  await page.locator('.quick-input-widget .monaco-list-row.focused').filter({ hasText: 'Kimi: Edit Selection' }).first().waitFor({ timeout: 10_000 });
  await palette.press('Enter');
  const instruction = await wb.quickInput();
  await page.waitForTimeout(300);
  await instruction.fill('Reject negative prices with a clear error');
  await instruction.press('Enter');
  // Caught while the code streams in, with its progress notification (and Cancel) open: the test
  // driver this workbench runs with keeps toasts in the notification centre, so open that.
  await page.locator('.monaco-editor[data-uri$="cart.ts"]').getByText('Reject negative').first().waitFor({ timeout: 30_000 });
  await wb.runCommand('Notifications: Show Notifications');
  await page.locator('.notifications-center .monaco-list-row').first().waitFor({ timeout: 10_000 }).catch(() => undefined);
  await page.waitForTimeout(600);
  await shot('edit-selection');
} catch (err) {
  console.error(`screenshots: failed; the page as it was: ${await wb.screenshot('screenshots-failure')}`);
  throw err;
} finally {
  await wb.close();
}
