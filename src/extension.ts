// Entry point: wires the services and features together. No network work happens here, and the HTTP
// stack (undici) is loaded only by the first request.
const loadedAt = performance.now();

import * as vscode from 'vscode';
import { registerCaches, type Caches } from './caches';
import { registerChat } from './chat';
import { registerAccountCommands } from './account/commands';
import type { ChatPanel } from './core/chat-panel';
import { dialogs } from './core/dialogs';
import { FAIL_FEATURE_ENV, FeatureStarter } from './core/features';
import { KimiService } from './core/service';
import { overrideRegionUrlsForTests } from './core/settings';
import { registerEditor } from './editor';
import { registerLanguageModels } from './lm';
import { registerStatus, type TokenCountStatus } from './status';
import { inTestMode } from './core/test-hooks';

type ChatHandle = ReturnType<typeof registerChat>;

interface Timing {
  moduleMs: number;
  activateMs: number;
  phases: Record<string, number>;
  httpStackLoadedAtActivation: boolean;
}

/**
 * What activate() returns to the host test suite (Test mode only). In production and development it
 * returns undefined: other extensions get nothing (the service holds the key).
 */
export type KimiApi = ReturnType<typeof makeApi>;

export async function activate(context: vscode.ExtensionContext): Promise<KimiApi | undefined> {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Kimi', { log: true });
  const logged = performance.now();
  const features = new FeatureStarter(log, inTestMode(context) ? process.env[FAIL_FEATURE_ENV] : undefined);
  // The log and the service are what every feature needs: no feature starts without them.
  const kimi = new KimiService(context, log);
  Object.assign(features.phases, { log: logged - started, service: performance.now() - logged });
  context.subscriptions.push(log, kimi);
  const t = vscode.l10n.t;
  features.start('account', t('the key and model commands'), () => registerAccountCommands(context, kimi));
  const status = features.start('status', t('the status-bar token count'), () => registerStatus(context, kimi));
  const chat = features.start('chat', t('the Kimi chat'), () => registerChat(context, kimi));
  const caches = features.start('caches', t('the Context Caches view'), () => registerCaches(context, kimi, chat ?? chatUnavailable));
  features.start('editor', t('the editor commands'), () => registerEditor(context, kimi, chat ?? chatUnavailable));
  const languageModels = features.start('lm', t('Kimi in VS Code\'s Chat'), () => registerLanguageModels(context, kimi));
  features.reportFailures();
  // Secret storage and the context key settle in the background; nothing waits for them here.
  const ready = kimi.init();
  const timing: Timing = { moduleMs: started - loadedAt, activateMs: performance.now() - started, phases: features.phases, httpStackLoadedAtActivation: httpStackLoaded() };
  log.info(`Kimi activated in ${timing.activateMs.toFixed(1)} ms (${Object.entries(timing.phases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}).`);
  if (!inTestMode(context)) return undefined;
  return makeApi({ kimi, caches, status, chat, languageModels, features, timing, ready, extensionMode: context.extensionMode });
}

/** What the editor's and the caches' chat steps meet when the chat failed to start. */
const chatUnavailable: ChatPanel = {
  get conversation(): never {
    return unavailable();
  },
  newConversation: unavailable,
  rename: unavailable,
  ask: unavailable,
  chatWithCache: unavailable,
  messagesForCache: unavailable,
};

function unavailable(): never {
  throw new Error(vscode.l10n.t('The Kimi chat did not start (see Kimi: Show Log), so this is not available.'));
}

function makeApi(parts: {
  kimi: KimiService;
  caches: Caches | undefined;
  status: TokenCountStatus | undefined;
  chat: ChatHandle | undefined;
  languageModels: ReturnType<typeof registerLanguageModels>;
  features: FeatureStarter;
  timing: Timing;
  ready: Promise<void>;
  extensionMode: vscode.ExtensionMode;
}) {
  // A feature that failed to start throws on use instead of handing tests undefined.
  const started = <T>(value: T | undefined, id: string): T => {
    if (value === undefined) throw new Error(`the ${id} feature did not start: ${FAIL_FEATURE_ENV} or a failure at activation`);
    return value;
  };
  const { kimi, features, timing, ready, extensionMode, languageModels } = parts;
  return {
    kimi,
    get caches() {
      return started(parts.caches, 'caches');
    },
    get status() {
      const s = started(parts.status, 'status');
      return { item: s.item, counter: s.counter };
    },
    get chat() {
      return started(parts.chat, 'chat');
    },
    dialogs,
    /** Local servers standing in for both platforms; undefined restores the real endpoints. */
    setRegionUrls: overrideRegionUrlsForTests,
    timing,
    httpStackLoaded,
    /** Features whose registration threw, and the one notification shown about them. */
    activation: { failed: features.failures.map((f) => f.id), notice: () => features.notice },
    ready,
    extensionMode,
    languageModels,
  };
}

/** True once dist/undici.js has been loaded (it must not be at activation). */
function httpStackLoaded(): boolean {
  return Object.keys(require.cache).some((p) => /[\\/]undici\.js$/.test(p));
}

export function deactivate(): void {}
