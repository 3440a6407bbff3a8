// Loads webview code into a real headless Chromium page: bundles it with esbuild's JS API (as the
// extension build does) and serves the files from a fake origin, under the chat view's own
// Content-Security-Policy (src/chat/csp.ts). Every other request is recorded and refused,
// so a test can assert that nothing was loaded from anywhere.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/vscode/server.mjs';
import { chatCsp, cspMeta } from '../../src/chat/csp';

export const ORIGIN = 'http://webview.test';

export function repoRoot(): string {
  const fromDist = path.resolve(__dirname, '../../..');
  return existsSync(path.join(fromDist, 'webview')) ? fromDist : process.cwd();
}

/** Bundles browser code (a module's source text, resolved from the repo root) into name → contents. */
export async function bundle(source: string): Promise<Map<string, Uint8Array>> {
  const result = await esbuild.build({
    stdin: { contents: source, resolveDir: repoRoot(), loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    write: false,
    outdir: '/out',
    entryNames: 'page',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.ttf': 'file' },
    logLevel: 'silent',
  });
  return new Map(result.outputFiles.map((f) => [path.basename(f.path), f.contents]));
}

export interface WebviewPage {
  page: Page;
  context: BrowserContext;
  /** URLs the page tried to load that were not its own files. */
  foreignRequests: string[];
  /** CSP violations reported by the page. */
  cspViolations: () => Promise<string[]>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

export interface PageOptions {
  /** Script run before the bundle (e.g. the acquireVsCodeApi shim). */
  prelude?: string;
  /** false: no CSP at all, so that anything the code under test lets through really runs/loads. */
  csp?: boolean;
}

/** Opens a page that runs `files` (from bundle). */
export async function openWebviewPage(browser: Browser, files: Map<string, Uint8Array>, options: PageOptions = {}): Promise<WebviewPage> {
  const preludeScript = options.prelude ?? '';
  const nonce = 'n' + Math.random().toString(36).slice(2);
  // The chat view's own policy and head tags, as src/chat/view.ts sends them.
  const styleNonce = 's' + Math.random().toString(36).slice(2);
  const csp = chatCsp(ORIGIN, nonce, styleNonce);
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
${options.csp === false ? '' : cspMeta(csp, styleNonce)}
${files.has('page.css') ? `<link rel="stylesheet" href="${ORIGIN}/page.css">` : ''}
</head><body><div id="app"></div>
<script nonce="${nonce}" src="${ORIGIN}/prelude.js"></script>
<script nonce="${nonce}" src="${ORIGIN}/page.js"></script></body></html>`;
  const served = new Map<string, Uint8Array | string>([...files, ['index.html', html], ['prelude.js', preludeScript]]);

  const context = await browser.newContext();
  const foreignRequests: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    const name = url.startsWith(ORIGIN + '/') ? url.slice(ORIGIN.length + 1).split(/[?#]/)[0] : undefined;
    const body = name !== undefined ? served.get(name) : undefined;
    if (body === undefined) {
      foreignRequests.push(url);
      return route.abort();
    }
    await route.fulfill({ status: 200, contentType: TYPES[path.extname(name!)] ?? 'application/octet-stream', body: Buffer.from(body) });
  });
  // Anything the page would load without a network request (a data: frame, say) shows up here.
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  await page.goto(`${ORIGIN}/index.html`);
  return {
    page,
    context,
    foreignRequests,
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
    close: () => context.close(),
  };
}

export { launchChromium };
