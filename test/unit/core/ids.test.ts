// The typed ids must be exactly what package.json contributes and uses in `when` clauses.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, ContextKeys, ViewCommands, Views } from '../../../src/core/ids';

const ROOT = join(__dirname, '..', '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** Every `when` / `enablement` clause in the manifest, and the `kimi.*` names they read. */
function clauseNames(): Set<string> {
  const names = new Set<string>();
  const walk = (v: unknown, key?: string): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (typeof v === 'string' && (key === 'when' || key === 'enablement')) for (const m of v.matchAll(/(?<![\w.])kimi\.[\w.]+/g)) names.add(m[0]);
  };
  walk(manifest.contributes);
  return names;
}

describe('command ids and context keys', () => {
  it('Commands lists exactly the commands package.json contributes', () => {
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(Object.values(Commands).sort(), contributed);
  });

  it('every kimi.* name in a when clause is a context key, a view or a setting, and every context key is used', () => {
    const settings = new Set(Object.keys(manifest.contributes.configuration.properties ?? {}));
    const views = new Set<string>(Object.values(Views));
    const keys = new Set<string>(Object.values(ContextKeys));
    const used = [...clauseNames()].filter((n) => !views.has(n) && !settings.has(n.replace(/^config\./, '')));
    assert.deepEqual(used.filter((n) => !keys.has(n)), [], 'context keys used in package.json but not declared in ids.ts');
    assert.deepEqual([...keys].filter((k) => !clauseNames().has(k)), [], 'context keys declared but never used in package.json');
  });

  it('the views and their focus commands are the ones package.json declares', () => {
    const declared = Object.values(manifest.contributes.views as Record<string, Array<{ id: string }>>).flat().map((v) => v.id).sort();
    assert.deepEqual(Object.values(Views).sort(), declared);
    assert.deepEqual(Object.values(ViewCommands).sort(), declared.map((v) => `${v}.focus`).sort());
  });
});
