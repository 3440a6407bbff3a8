// Source rules the build relies on: src/ never imports undici at module load (activation must not
// parse it; the client loads it on its first request), and src/kimi never imports vscode.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('client source boundaries', () => {
  it('no file under src/ has a runtime (non-type) import of undici', () => {
    const offenders = sources(join(ROOT, 'src')).filter((file) => {
      const text = readFileSync(file, 'utf8');
      return /^\s*import\s+(?!type\b)[^;]*from\s+['"]undici['"]/m.test(text) || /require\(\s*['"]undici['"]\s*\)/.test(text);
    });
    assert.deepEqual(offenders.map((f) => relative(ROOT, f)), []);
  });

  it('the only dynamic undici import is the lazy loader in src/kimi/transport.ts', () => {
    const files = sources(join(ROOT, 'src')).filter((file) => /import\(\s*['"]undici['"]\s*\)/.test(readFileSync(file, 'utf8')));
    assert.deepEqual(files.map((f) => relative(ROOT, f)), [join('src', 'kimi', 'transport.ts')]);
  });

  it('src/kimi never imports vscode', () => {
    const offenders = sources(join(ROOT, 'src', 'kimi')).filter((file) => /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)/.test(readFileSync(file, 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
