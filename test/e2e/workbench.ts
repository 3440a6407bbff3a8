// The shared e2e helper: the project's test server, the VS Code server with this extension (pointed
// at the test server through `kimi.baseUrl`, keyed by MOONSHOT_API_KEY) and headless Chromium on the
// workbench, plus helpers for the UI gestures e2e tests need. The selectors are VS Code DOM internals
// (stable across 1.117–1.139, but internals); keep them here, in one place.
//
//   const wb = useWorkbench();                 // in a describe(): starts before, closes after
//   it('…', async () => { await wb().openKimi(); … });
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { launchChromium, startVSCodeServer, workbenchUrl, type VSCodeServer } from '../../scripts/vscode/server.mjs';
import { startMockServer, TEST_API_KEY, type MockServer, type MockServerOptions } from '../server';

export const EXTENSION_ID = 'kimi-vscode.kimi-vscode';

export interface WorkbenchOptions {
  /** Extra user settings (kimi.baseUrl is set to the test server unless given here). */
  settings?: Record<string, unknown>;
  /** Extra environment for the VS Code server and its extension host. */
  env?: Record<string, string>;
  /** Options for the test server. */
  mock?: MockServerOptions;
  /** The key handed to the extension as MOONSHOT_API_KEY; null starts without a key. */
  apiKey?: string | null;
  /** Files written into the workspace folder before the workbench opens (relative path → text). */
  files?: Record<string, string>;
  /**
   * Run the extension as a user has it: from this extensions folder (where a .vsix was installed),
   * with no development path and without the smoke-test driver (so notification toasts show).
   */
  installedIn?: string;
}

export interface StatusItem {
  id: string;
  text: string;
  label: string;
}

export interface Workbench {
  page: Page;
  browser: Browser;
  mock: MockServer;
  server: VSCodeServer;
  workspace: string;
  /** Clicks the Kimi activity-bar entry (unless already open) and waits for its views. */
  openKimi(): Promise<void>;
  /** Runs a command from the palette by its title as shown, e.g. 'Kimi: Select Model'. */
  runCommand(title: string): Promise<void>;
  /** Waits for an open quick pick / input box and returns its input. */
  quickInput(): Promise<Locator>;
  /** Chooses an item in the open quick pick by its label text. */
  pickQuickItem(label: string | RegExp): Promise<void>;
  /** A row of any tree or list in the workbench, by its text. */
  treeRow(text: string | RegExp): Locator;
  /** Right-clicks a row and clicks a context-menu item, retrying the whole gesture (menus can vanish). */
  contextMenu(rowText: string | RegExp, item: string | RegExp): Promise<void>;
  /** The chat webview's content frame (two iframes deep). */
  chatFrame(): Promise<FrameLocator>;
  /** The status-bar entries as shown. */
  statusItems(): Promise<StatusItem[]>;
  /** Waits for a status-bar entry whose text or label matches, and returns it. */
  waitForStatus(match: RegExp, timeoutMs?: number): Promise<StatusItem>;
  /** Texts of the visible notification toasts (and, if none, of the notification centre). */
  notifications(): Promise<string[]>;
  /** Saves a screenshot under .vscode-test/screenshots and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** The checkout root: the nearest parent holding this project's package.json. */
export function projectRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'kimi-vscode') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no kimi-vscode package.json above ${from}`);
    dir = parent;
  }
}

const SCREENSHOTS = () => join(projectRoot(), '.vscode-test', 'screenshots');

export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const root = projectRoot();
  const mock = await startMockServer(options.mock);
  let server: VSCodeServer | undefined;
  let browser: Browser | undefined;
  try {
    const apiKey = options.apiKey === undefined ? TEST_API_KEY : options.apiKey;
    const env: Record<string, string> = { ...(options.env ?? {}) };
    if (apiKey) env.MOONSHOT_API_KEY = apiKey;
    server = await startVSCodeServer({
      root,
      settings: { 'kimi.baseUrl': mock.url, ...(options.settings ?? {}) },
      env,
      ...(options.installedIn ? { extensionsDir: options.installedIn, testDriver: false } : {}),
    });
    for (const [file, text] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(server.workspace, file)), { recursive: true });
      writeFileSync(join(server.workspace, file), text);
    }
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // The load event can come late (~20 s without the test driver offline, more on a busy machine):
    // wait for the UI instead.
    await page.goto(workbenchUrl(server, options.installedIn ? {} : { extensionDevelopmentPath: root }), { waitUntil: 'commit', timeout: 120_000 });
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 90_000 });
    await kimiActivityEntry(page).waitFor({ timeout: 60_000 });
    return makeWorkbench(page, browser, mock, server);
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await mock.close();
    throw err;
  }
}

/**
 * Mocha glue: opens one workbench before the suite's tests, screenshots each failed test, closes
 * everything after. Returns a getter for the open workbench.
 */
export function useWorkbench(options: WorkbenchOptions = {}): () => Workbench {
  let workbench: Workbench | undefined;
  before(async function () {
    this.timeout(180_000);
    workbench = await openWorkbench(options);
  });
  afterEach(async function () {
    if (workbench && this.currentTest?.state === 'failed') {
      const file = await workbench.screenshot(this.currentTest.fullTitle());
      console.log(`    screenshot: ${file}`);
    }
  });
  after(async function () {
    this.timeout(60_000);
    await workbench?.close();
  });
  return () => {
    if (!workbench) throw new Error('the workbench is not open (did before() fail?)');
    return workbench;
  };
}

function kimiActivityEntry(page: Page): Locator {
  return page.locator('.activitybar a.action-label[aria-label^="Kimi"]').first();
}

async function retry<T>(what: string, attempts: number, fn: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`${what} failed after ${attempts} attempts: ${last instanceof Error ? last.message : String(last)}`);
}

function makeWorkbench(page: Page, browser: Browser, mock: MockServer, server: VSCodeServer): Workbench {
  const quickInputBox = page.locator('.quick-input-widget input.input');

  const wb: Workbench = {
    page,
    browser,
    mock,
    server,
    workspace: server.workspace,

    async openKimi() {
      // Clicking the entry of the container already shown hides the sidebar, and right after a reload
      // the workbench may still be restoring it: click only while the Kimi sidebar is not visible, and
      // look again after each click.
      const entry = kimiActivityEntry(page);
      const title = page.locator('.part.sidebar .composite.title').filter({ hasText: /kimi/i }).first();
      for (let attempt = 1; ; attempt++) {
        if (await title.waitFor({ timeout: 3_000 }).then(() => true, () => false)) return;
        if (attempt > 4) throw new Error('the Kimi view container did not open');
        await entry.click();
      }
    },

    async runCommand(title) {
      await retry(`palette command "${title}"`, 3, async () => {
        await page.keyboard.press('Escape');
        // Keys typed while a webview (the chat) has focus stay in its iframe: hand focus back to the
        // workbench first. Only then: blurring an editor would drop its editorHasSelection context.
        await page.evaluate(() => {
          const active = document.activeElement;
          if (active instanceof HTMLIFrameElement) active.blur();
        });
        await page.keyboard.press('F1');
        await quickInputBox.waitFor({ timeout: 10_000 });
        const query = `>${title}`;
        await quickInputBox.fill(query);
        // Wait until the filtered list has settled with our command focused, then accept it with
        // Enter (a click can land on a row the list is still re-rendering).
        const focused = page.locator('.quick-input-widget .monaco-list-row.focused').filter({ hasText: title });
        await focused.first().waitFor({ timeout: 10_000 });
        await quickInputBox.press('Enter');
        // Done once the palette is gone or shows the command's own input (a prompt, a picker).
        const deadline = Date.now() + 5_000;
        while ((await quickInputBox.isVisible()) && (await quickInputBox.inputValue()) === query) {
          if (Date.now() > deadline) throw new Error('the palette did not run the command');
          await page.waitForTimeout(100);
        }
      });
    },

    async quickInput() {
      await quickInputBox.waitFor({ timeout: 15_000 });
      return quickInputBox;
    },

    async pickQuickItem(label) {
      const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: label }).first();
      await row.waitFor({ timeout: 15_000 });
      await row.click();
    },

    treeRow(text) {
      return page.locator('.monaco-list-row').filter({ hasText: text }).first();
    },

    async contextMenu(rowText, item) {
      await retry('context menu', 3, async () => {
        await page.keyboard.press('Escape');
        const row = wb.treeRow(rowText);
        await row.waitFor({ timeout: 15_000 });
        await row.click({ button: 'right' });
        const menu = page.locator('.context-view .monaco-menu').first();
        const entry = menu.locator('.action-item').filter({ hasText: item }).first();
        await entry.waitFor({ timeout: 5_000 });
        // A click right after the menu opens can be swallowed (the menu ignores the mouse-up that
        // follows its opening): hover first, and count the gesture done only once the menu closes.
        await page.waitForTimeout(150);
        await entry.hover();
        await entry.click();
        await menu.waitFor({ state: 'hidden', timeout: 3_000 });
      });
    },

    async chatFrame() {
      // Each webview is an iframe.webview (host) holding #active-frame (content). Pick ours by the
      // extension id the host frame's URL carries.
      const host = page.locator(`iframe.webview.ready[src*="${EXTENSION_ID}"]`).first();
      await host.waitFor({ state: 'attached', timeout: 30_000 });
      const content = page.frameLocator(`iframe.webview.ready[src*="${EXTENSION_ID}"]`).first().frameLocator('#active-frame');
      await content.locator('body').waitFor({ state: 'attached', timeout: 30_000 });
      return content;
    },

    async statusItems() {
      return page.locator('[id="workbench.parts.statusbar"] .statusbar-item').evaluateAll((items) =>
        items.map((el) => ({
          id: el.id,
          text: (el.textContent ?? '').trim(),
          label: el.querySelector('a, .statusbar-item-label')?.getAttribute('aria-label') ?? el.getAttribute('aria-label') ?? '',
        })),
      );
    },

    async waitForStatus(match, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let seen: StatusItem[] = [];
      while (Date.now() < deadline) {
        seen = await wb.statusItems();
        const hit = seen.find((s) => match.test(s.text) || match.test(s.label));
        if (hit) return hit;
        await page.waitForTimeout(200);
      }
      throw new Error(`no status-bar item matches ${match}; seen: ${seen.map((s) => JSON.stringify(s.text)).join(', ')}`);
    },

    async notifications() {
      const toasts = page.locator('.notifications-toasts .notification-list-item-message');
      let texts = await toasts.allTextContents();
      if (texts.length === 0) {
        await wb.runCommand('Notifications: Show Notifications');
        texts = await page.locator('.notifications-center .notification-list-item-message').allTextContents();
        await page.keyboard.press('Escape');
      }
      return texts.map((t) => t.trim());
    },

    async screenshot(name) {
      mkdirSync(SCREENSHOTS(), { recursive: true });
      const file = join(SCREENSHOTS(), `${name.replace(/[^\w.-]+/g, '_').slice(0, 120)}.png`);
      await page.screenshot({ path: file }).catch(() => undefined);
      return resolve(file);
    },

    async close() {
      await browser.close().catch(() => undefined);
      await server.stop();
      await mock.close();
    },
  };
  return wb;
}
