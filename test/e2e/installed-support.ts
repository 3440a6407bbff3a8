// Shared by the installed suite: `npm run package` runs once per mocha process (it is what a
// release does), and every spec uses the .vsix it wrote.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './workbench';

export interface Packaged {
  vsix: string;
  /** Everything `npm run package` printed (vsce's output and the size report). */
  output: string;
  status: number | null;
  /** The .vsix files in the project root after packaging. */
  vsixFiles: string[];
}

let packaged: Packaged | undefined;

export function packageOnce(): Packaged {
  if (packaged) return packaged;
  const root = projectRoot();
  const run = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, encoding: 'utf8' });
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  packaged = {
    vsix: join(root, `${manifest.name}-${manifest.version}.vsix`),
    output: `${run.stdout}${run.stderr}`,
    status: run.status,
    vsixFiles: readdirSync(root).filter((f) => f.endsWith('.vsix')),
  };
  if (run.status !== 0) throw new Error(`npm run package failed (exit ${run.status}):\n${packaged.output}`);
  return packaged;
}
