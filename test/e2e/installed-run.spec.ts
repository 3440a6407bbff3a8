// The README's run command as a person uses it: `bash scripts/start.sh` without a key starts the test
// server and VS Code, prints the endpoint in use and a URL; that URL opens VS Code with the extension
// installed (no development path, no test driver), and a message from the extension shows as a toast.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/vscode/server.mjs';
import { projectRoot } from './workbench';

describe('installed: the run command (bash scripts/start.sh)', function () {
  this.timeout(300_000);
  let start: ChildProcess | undefined;
  let browser: Browser | undefined;
  let output = '';

  after(async function () {
    this.timeout(60_000);
    await browser?.close().catch(() => undefined);
    if (start?.pid && start.exitCode === null) {
      const exited = new Promise((r) => start?.once('exit', r));
      process.kill(-start.pid, 'SIGTERM'); // start.mjs stops VS Code and the test server on SIGTERM
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      try {
        process.kill(-start.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });

  it('prints the endpoint in use and a URL without a development path', async function () {
    const env = { ...process.env };
    delete env.MOONSHOT_API_KEY;
    start = spawn('bash', ['scripts/start.sh', '--web'], { cwd: projectRoot(), env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    start.stdout?.on('data', (c) => (output += c));
    start.stderr?.on('data', (c) => (output += c));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?\S+)$/m.exec(output);
        if (m) {
          clearInterval(timer);
          resolve(m[1]);
        }
      }, 200);
      start?.once('exit', (code) => {
        clearInterval(timer);
        reject(new Error(`scripts/start.sh exited (${code}):\n${output}`));
      });
    });
    assert.match(output, /test server: http:\/\/127\.0\.0\.1:\d+\/v1/, 'names the endpoint the extension uses');
    assert.doesNotMatch(url, /extensionDevelopmentPath|extensionTestsPath/);
    runUrl = url;
  });

  let runUrl = '';
  it('the printed URL opens VS Code with Kimi, and a message from Kimi shows as a toast', async () => {
    assert.ok(runUrl, 'the previous test found the URL');
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(runUrl, { waitUntil: 'commit' });
    await page.locator('.activitybar a.action-label[aria-label^="Kimi"]').first().waitFor({ timeout: 120_000 });
    // A fresh test server has no caches: "Chat with Cache" says so in an information message.
    const message = 'There is no context cache yet';
    const toast = page.locator('.notifications-toasts .notification-list-item-message').filter({ hasText: message });
    for (let attempt = 1; !(await toast.first().isVisible()); attempt++) {
      if (attempt > 3) break;
      await palette(page, 'Kimi: Chat with Cache');
      await toast.first().waitFor({ timeout: 20_000 }).catch(() => undefined);
    }
    assert.ok(await toast.first().isVisible(), 'the message shows as a toast, not only in the notification centre');
  });
});

async function palette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row.focused').filter({ hasText: title }).first().waitFor({ timeout: 15_000 });
  await input.press('Enter');
}
