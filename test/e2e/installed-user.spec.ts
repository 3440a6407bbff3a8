// The extension as a user gets it: the .vsix from `npm run package`, installed with the VS Code
// server's own CLI into a fresh extensions folder, VS Code started with no development path and no
// test driver (production mode: no test hooks). Then what a new user does, through the UI only.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { installVsix } from '../../scripts/vscode/server.mjs';
import { answerFor, TEST_API_KEY } from '../server';
import { packageOnce } from './installed-support';
import { openWorkbench, projectRoot, type Workbench } from './workbench';

const CHAT = '/v1/chat/completions';
const SAMPLE = 'function add(a, b) {\n  return a + b;\n}\n';

describe('installed: a user with the .vsix', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let extensionsDir: string;

  before(async function () {
    this.timeout(600_000);
    const { vsix } = packageOnce();
    extensionsDir = mkdtempSync(join(tmpdir(), 'kimi-installed-'));
    await installVsix({ root: projectRoot(), vsix, extensionsDir });
    // No MOONSHOT_API_KEY: the user sets the key through the UI. kimi.baseUrl (user settings) points
    // at the test server.
    wb = await openWorkbench({
      installedIn: extensionsDir,
      apiKey: null,
      settings: { 'kimi.model': 'moonshot-v1-8k' },
      files: { 'add.js': SAMPLE },
    });
  });
  afterEach(async function () {
    if (wb && this.currentTest?.state === 'failed') console.log(`    screenshot: ${await wb.screenshot(this.currentTest.fullTitle())}`);
  });
  after(async function () {
    this.timeout(60_000);
    await wb?.close();
    if (extensionsDir) rmSync(extensionsDir, { recursive: true, force: true });
  });

  it('the CLI installed the packaged extension, not a link to the checkout', () => {
    assert.deepEqual(readdirSync(extensionsDir).filter((d) => d.startsWith('kimi-vscode.')), [
      `kimi-vscode.kimi-vscode-${(JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version}`,
    ]);
  });

  it('opens the Kimi view: Chat and Context Caches', async () => {
    await wb.openKimi();
    const sidebar = wb.page.locator('.part.sidebar');
    await sidebar.locator('.pane-header').filter({ hasText: /Chat/i }).first().waitFor({ timeout: 30_000 });
    await sidebar.locator('.pane-header').filter({ hasText: /Context Caches/i }).first().waitFor({ timeout: 30_000 });
  });

  it('sets the key with "Kimi: Set API Key": it is checked against the server and then used', async () => {
    const before = wb.mock.requests.length;
    await wb.runCommand('Kimi: Set API Key');
    const input = await wb.quickInput();
    await input.fill(TEST_API_KEY);
    await input.press('Enter');
    // The check is GET /v1/models with the new key.
    const deadline = Date.now() + 30_000;
    const checked = () =>
      wb.mock.requests.slice(before).some((r) => r.path.startsWith('/v1/models') && r.headers.authorization === `Bearer ${TEST_API_KEY}`);
    while (!checked() && Date.now() < deadline) await wb.page.waitForTimeout(200);
    assert.ok(checked(), 'the key was checked with GET /v1/models');
  });

  async function chat(): Promise<FrameLocator> {
    await wb.openKimi();
    const frame = await wb.chatFrame();
    await frame.getByRole('textbox', { name: 'Ask Kimi' }).waitFor({ timeout: 30_000 });
    return frame;
  }

  it('asks the chat a question and sees the streamed answer', async () => {
    const frame = await chat();
    const question = 'What does a context cache save?';
    const input = frame.getByRole('textbox', { name: 'Ask Kimi' });
    await input.click();
    await input.fill(question);
    await input.press('Enter');
    const expected = plainFirstLine(answerFor([{ role: 'user', content: question }]));
    const answer = frame.locator('[aria-label="Answer from Kimi"]').filter({ hasText: expected }).last();
    await answer.waitFor({ timeout: 30_000 });
    const sent = wb.mock.requests.filter((r) => r.path === CHAT).at(-1);
    assert.equal(sent?.headers.authorization, `Bearer ${TEST_API_KEY}`, 'the chat used the key set through the UI');
    assert.equal((sent?.body as { stream?: boolean }).stream, true);
  });

  it('runs Explain Selection (Ctrl+Alt+E) on a file: the selection goes to Kimi and the explanation shows in the chat', async () => {
    const { page } = wb;
    await wb.runCommand('Go to File...');
    const input = await wb.quickInput();
    await input.fill('add.js');
    await wb.pickQuickItem('add.js');
    const editor = page.locator('.monaco-editor[data-uri$="add.js"] .view-lines').first();
    await editor.waitFor({ timeout: 15_000 });
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    const before = wb.mock.requests.filter((r) => r.path === CHAT).length;
    // The keybinding, as a user does (the palette's Escape would drop the selection first).
    await page.keyboard.press('Control+Alt+E');
    const deadline = Date.now() + 30_000;
    while (wb.mock.requests.filter((r) => r.path === CHAT).length === before && Date.now() < deadline) await page.waitForTimeout(200);
    const sent = wb.mock.requests.filter((r) => r.path === CHAT).at(-1)?.body as { messages: Array<{ role: string; content: string }> };
    assert.ok(sent, 'Explain Selection sent a chat request');
    const last = sent.messages.at(-1);
    assert.ok(last?.content.includes('return a + b;') && last.content.includes('add.js'), `sent: ${JSON.stringify(last)}`);
    const frame = await chat();
    const expected = plainFirstLine(answerFor(sent.messages as Parameters<typeof answerFor>[0]));
    await frame.locator('[aria-label="Answer from Kimi"]').filter({ hasText: expected }).last().waitFor({ timeout: 30_000 });
  });

  it('shows the token count in the status bar', async () => {
    const item = await wb.waitForStatus(/\d[\d,]* tokens?/, 30_000);
    assert.match(item.text + item.label, /tokens?/);
  });
});

/** The first line of a Markdown answer as the panel renders it (no heading marks or emphasis). */
function plainFirstLine(markdown: string): string {
  const line = markdown.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/^#+\s*/, '').replace(/[*_`]/g, '').trim().slice(0, 60);
}
