// The .vsix as a user downloads it: `npm run package` writes exactly one, named with the version,
// holding only what runs, within the size budgets, with every file the manifest and the webview use.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listVsix } from '../../scripts/vsix.mjs';
import { packageOnce, type Packaged } from './installed-support';
import { projectRoot } from './workbench';

// Everything allowed in the package; anything else (sources, tests, maps, node_modules, screenshots) fails.
const ALLOWED: RegExp[] = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/package\.nls(\.[a-z-]+)?\.json$/,
  /^extension\/(readme|changelog)\.md$/,
  /^extension\/LICENSE\.txt$/,
  /^extension\/media\/icon\.png$/,
  /^extension\/media\/kimi\.svg$/,
  /^extension\/media\/walkthrough\/[a-z-]+\.md$/,
  /^extension\/l10n\/bundle\.l10n(\.[a-z-]+)?\.json$/,
  /^extension\/dist\/(extension|undici|editor-stream)\.js$/,
  /^extension\/dist\/webview\/chat\.(js|css)$/,
  /^extension\/dist\/webview\/codicon-[A-Z0-9]+\.ttf$/,
];
const REQUIRED = [
  'extension/package.json',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
  'extension/media/icon.png',
  'extension/dist/extension.js',
  'extension/dist/undici.js',
  'extension/dist/editor-stream.js',
  'extension/dist/webview/chat.js',
  'extension/dist/webview/chat.css',
];
const KiB = 1024;

describe('installed: the package', function () {
  let pkg: Packaged;
  let files: Array<{ path: string; size: number }>;
  before(function () {
    this.timeout(300_000);
    pkg = packageOnce();
    files = listVsix(pkg.vsix);
  });

  it('npm run package writes one .vsix named with the version, and vsce prints no warning', () => {
    assert.deepEqual(pkg.vsixFiles, ['kimi-vscode-0.1.0.vsix'.replace('0.1.0', readManifest().version)]);
    assert.doesNotMatch(pkg.output, /WARNING/i);
    assert.match(pkg.output, /budgets: met/);
  });

  it('holds only what runs, and everything that does', () => {
    const unexpected = files.map((f) => f.path).filter((p) => !ALLOWED.some((re) => re.test(p)));
    assert.deepEqual(unexpected, [], `not allowed in the .vsix: ${unexpected.join(', ')}`);
    const paths = new Set(files.map((f) => f.path));
    assert.deepEqual(REQUIRED.filter((p) => !paths.has(p)), []);
  });

  it('has every file the manifest and the chat panel refer to', () => {
    const paths = new Set(files.map((f) => f.path));
    const manifest = readManifest();
    const referred: string[] = [manifest.icon, manifest.main, ...manifest.contributes.viewsContainers.activitybar.map((c) => c.icon)];
    for (const walkthrough of manifest.contributes.walkthroughs ?? []) {
      for (const step of walkthrough.steps) if (step.media.markdown) referred.push(step.media.markdown);
    }
    // The stylesheet's fonts (the codicons) are loaded by the webview from the package.
    const css = readFileSync(join(projectRoot(), 'dist/webview/chat.css'), 'utf8');
    for (const [, url] of css.matchAll(/url\(["']?\.?\/?([^"')?#]+)[^)]*\)/g)) {
      if (!/^(data|https?):/.test(url)) referred.push(`dist/webview/${url}`);
    }
    const missing = referred.map((p) => `extension/${p.replace(/^\.\//, '')}`).filter((p) => !paths.has(p));
    assert.deepEqual(missing, []);
    assert.ok(referred.some((p) => p.endsWith('.ttf')), 'the chat stylesheet uses the codicon font');
  });

  it('stays within the budgets: .vsix ≤ 0.5 MiB, activation-loaded code ≤ 150 KiB, PNG icon ≥ 128 px', () => {
    const vsixBytes = readFileSync(pkg.vsix).length;
    assert.ok(vsixBytes <= 512 * KiB, `.vsix is ${(vsixBytes / KiB).toFixed(1)} KiB`);
    const extension = files.find((f) => f.path === 'extension/dist/extension.js');
    assert.ok(extension && extension.size <= 150 * KiB, `dist/extension.js is ${extension?.size} bytes`);
    const png = readFileSync(join(projectRoot(), readManifest().icon));
    assert.equal(png.toString('latin1', 1, 4), 'PNG');
    assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128, 'icon at least 128×128');
  });

  it('has Marketplace-ready manifest fields and no placeholder links', () => {
    const m = readManifest() as ReturnType<typeof readManifest> & Record<string, unknown>;
    assert.equal(m.pricing, 'Free');
    assert.equal(m.preview, m.version.startsWith('0.'));
    assert.ok(m.galleryBanner && /^#[0-9a-f]{6}$/i.test((m.galleryBanner as { color: string }).color));
    const categories = ['AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters', 'Keymaps',
      'Language Packs', 'Linters', 'Machine Learning', 'Notebooks', 'Other', 'Programming Languages', 'SCM Providers', 'Snippets',
      'Testing', 'Themes', 'Visualization'];
    assert.deepEqual((m.categories as string[]).filter((c) => !categories.includes(c)), []);
    assert.ok((m.keywords as string[]).length <= 30);
    assert.doesNotMatch(JSON.stringify([m.repository, m.homepage, m.bugs]), /example\.(invalid|com)|localhost/);
  });
});

interface Manifest {
  version: string;
  icon: string;
  main: string;
  contributes: {
    viewsContainers: { activitybar: Array<{ icon: string }> };
    walkthroughs?: Array<{ steps: Array<{ media: { markdown?: string } }> }>;
  };
}

function readManifest(): Manifest {
  return JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as Manifest;
}
