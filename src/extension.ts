// Entry point: wires the services and features together. No network work happens here, and the HTTP
// stack (undici) is loaded only by the first request.
const loadedAt = performance.now();

import * as vscode from 'vscode';
import { registerCaches } from './caches';
import { registerChat } from './chat';
import { registerAccountCommands } from './account/commands';
import { dialogs } from './core/dialogs';
import { KimiService } from './core/service';
import { overrideRegionUrlsForTests } from './core/settings';
import { registerEditor } from './editor';
import { registerLanguageModels } from './lm';
import { registerStatus } from './status';
import { inTestMode } from './core/test-hooks';

/**
 * What activate() returns to the host test suite (Test mode only). In production and development it
 * returns undefined: other extensions get nothing (the service holds the key).
 */
export type KimiApi = ReturnType<typeof makeApi> & {
  ready: Promise<void>;
  extensionMode: vscode.ExtensionMode;
  languageModels: ReturnType<typeof registerLanguageModels>;
};

export async function activate(context: vscode.ExtensionContext): Promise<KimiApi | undefined> {
  const started = performance.now();
  const phases: Record<string, number> = {};
  const phase = <T>(name: string, step: () => T): T => {
    const t0 = performance.now();
    const result = step();
    phases[name] = performance.now() - t0;
    return result;
  };
  const log = phase('log', () => vscode.window.createOutputChannel('Kimi', { log: true }));
  const kimi = phase('service', () => new KimiService(context, log));
  context.subscriptions.push(log, kimi);
  phase('account', () => registerAccountCommands(context, kimi));
  const status = phase('status', () => registerStatus(context, kimi));
  const chat = phase('chat', () => registerChat(context, kimi));
  const caches = phase('caches', () => registerCaches(context, kimi, chat));
  phase('editor', () => registerEditor(context, kimi, chat));
  const languageModels = phase('lm', () => registerLanguageModels(context, kimi));
  // Secret storage and the context key settle in the background; nothing waits for them here.
  const ready = kimi.init();
  const timing = { moduleMs: started - loadedAt, activateMs: performance.now() - started, phases, httpStackLoadedAtActivation: httpStackLoaded() };
  log.info(`Kimi activated in ${timing.activateMs.toFixed(1)} ms (${Object.entries(phases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}).`);
  if (!inTestMode(context)) return undefined;
  return { ...makeApi(kimi, caches, status, chat, timing), ready, extensionMode: context.extensionMode, languageModels };
}

function makeApi(
  kimi: KimiService,
  caches: ReturnType<typeof registerCaches>,
  status: ReturnType<typeof registerStatus>,
  chat: ReturnType<typeof registerChat>,
  timing: { moduleMs: number; activateMs: number; phases: Record<string, number>; httpStackLoadedAtActivation: boolean },
) {
  return {
    kimi,
    caches,
    status: { item: status.item, counter: status.counter },
    chat,
    dialogs,
    /** Local servers standing in for both platforms; undefined restores the real endpoints. */
    setRegionUrls: overrideRegionUrlsForTests,
    timing,
    httpStackLoaded,
  };
}

/** True once dist/undici.js has been loaded (it must not be at activation). */
function httpStackLoaded(): boolean {
  return Object.keys(require.cache).some((p) => /[\\/]undici\.js$/.test(p));
}

export function deactivate(): void {}
