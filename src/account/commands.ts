// Commands about the key and settings: Set/Clear API Key, Select Model, Show Log.
import * as vscode from 'vscode';
import { InvokeAuthorizationError, modelFacts, PREFERRED_MODELS, recommendedModel, type ModelFacts } from '../kimi';
import type { Model } from '../kimi/types';
import { formatContext } from '../shared/format';
import { isCancellation } from '../core/errors';
import { isQuietError, registerCommand } from '../core/command';
import { Commands } from '../core/ids';
import { dialogs } from '../core/dialogs';
import { withProgress } from '../core/progress';
import type { KimiService } from '../core/service';
import { ConnectionSettings, Region, regionUrl } from '../core/settings';
import { urlHost } from '../core/urls';

export function registerAccountCommands(context: vscode.ExtensionContext, kimi: KimiService): void {
  const what = vscode.l10n.t('Kimi');
  context.subscriptions.push(
    // VS Code runs it as the language-model provider's management command with the vendor id ('kimi') as argument: not a key.
    registerCommand(Commands.setApiKey, (key?: unknown) => setApiKey(kimi, typeof key === 'string' && key !== 'kimi' ? key : undefined), kimi, what),
    registerCommand(Commands.clearApiKey, () => clearApiKey(kimi), kimi, what),
    registerCommand(Commands.selectModel, () => selectModel(kimi), kimi, what),
    registerCommand(Commands.showLog, () => kimi.log.show(), kimi, what),
  );
}

/** Asks for (or takes) a key, checks it against the platform, stores it. Resolves true when saved. */
export async function setApiKey(kimi: KimiService, given?: string): Promise<boolean> {
  const key = (
    given ??
    (await dialogs.input({
      title: vscode.l10n.t('Kimi: Set API Key'),
      prompt: vscode.l10n.t('Your Moonshot API key (from platform.moonshot.cn or platform.moonshot.ai). It is stored in VS Code\'s secret storage.'),
      placeHolder: 'sk-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: validateKeyInput,
    }))
  )?.trim();
  if (!key) return false;
  if (validateKeyInput(key)) {
    void dialogs.error(validateKeyInput(key) ?? '');
    return false;
  }
  // A key passed as an argument comes from a link or another extension, which could plant its own key:
  // the user decides.
  if (given !== undefined) {
    const stored = await kimi.keys.storedKey().catch(() => undefined);
    const ok = await dialogs.confirm(
      vscode.l10n.t('Use the API key {0} for Kimi?', maskKey(key)),
      stored
        ? vscode.l10n.t('Something asked Kimi to use this key instead of your stored key {0}. Requests are billed to the key\'s account. Replace your key only if you started this yourself.', maskKey(stored))
        : vscode.l10n.t('Something asked Kimi to use this key. Requests are billed to the key\'s account. Accept it only if you started this yourself.'),
      vscode.l10n.t('Use This Key'),
    );
    if (!ok) return false;
  }

  const connection = kimi.connection();
  if (!(await kimi.confirmEndpoint(connection.baseUrl))) return false;
  const verdict = await withProgress(vscode.l10n.t('Checking the API key with {0}…', urlHost(connection.baseUrl)), (signal) =>
    verifyKey(kimi, key, connection, signal),
  );
  if (verdict === 'cancelled') return false;
  if (verdict === 'ok') return save(kimi, key, vscode.l10n.t('Kimi API key saved and verified with {0}.', urlHost(connection.baseUrl)));

  if (verdict === 'refused' && !connection.customBaseUrl) {
    const other: Region = connection.region === 'china' ? 'international' : 'china';
    const otherConnection: ConnectionSettings = { ...connection, region: other, baseUrl: regionUrl(other) };
    const otherVerdict = await withProgress(vscode.l10n.t('Trying the key with {0}…', urlHost(otherConnection.baseUrl)), (signal) =>
      verifyKey(kimi, key, otherConnection, signal),
    );
    if (otherVerdict === 'ok') {
      const switchLabel = vscode.l10n.t('Switch to {0} and Save', urlHost(otherConnection.baseUrl));
      const ok = await dialogs.confirm(
        vscode.l10n.t('This key belongs to the other Moonshot platform.'),
        vscode.l10n.t('{0} refused the key but {1} accepted it. Keys from platform.moonshot.cn and platform.moonshot.ai are separate. Switch kimi.region to "{2}"?', urlHost(connection.baseUrl), urlHost(otherConnection.baseUrl), other),
        switchLabel,
      );
      if (!ok) return false;
      await vscode.workspace.getConfiguration('kimi').update('region', other, vscode.ConfigurationTarget.Global);
      return save(kimi, key, vscode.l10n.t('Kimi API key saved; kimi.region is now "{0}".', other));
    }
    if (otherVerdict === 'cancelled') return false;
  }
  if (verdict === 'refused') {
    const again = vscode.l10n.t('Enter Another Key');
    void dialogs.error(
      connection.customBaseUrl
        ? vscode.l10n.t('{0} refused this API key (401). Check the key and the kimi.baseUrl setting.', urlHost(connection.baseUrl))
        : vscode.l10n.t('Both platform.moonshot.cn and platform.moonshot.ai refused this API key (401). Check that you copied the whole key.'),
      again,
    ).then((c) => c === again && vscode.commands.executeCommand(Commands.setApiKey));
    return false;
  }
  // The check itself failed (offline, proxy, server down): the key may still be fine.
  const saveAnyway = vscode.l10n.t('Save Anyway');
  const ok = await dialogs.confirm(
    vscode.l10n.t('Could not check the API key.'),
    vscode.l10n.t('{0}\nSave the key without checking it?', kimi.describeError(verdict.error).message),
    saveAnyway,
  );
  return ok ? save(kimi, key, vscode.l10n.t('Kimi API key saved (not verified).')) : false;
}

type Verdict = 'ok' | 'refused' | 'cancelled' | { error: unknown };

async function verifyKey(kimi: KimiService, key: string, connection: ConnectionSettings, signal: AbortSignal): Promise<Verdict> {
  try {
    await kimi.createClient(key, connection).listModels({ signal });
    return 'ok';
  } catch (e) {
    if (signal.aborted || isCancellation(e)) return 'cancelled';
    if (e instanceof InvokeAuthorizationError && e.status === 401) return 'refused';
    return { error: e };
  }
}

async function save(kimi: KimiService, key: string, message: string): Promise<boolean> {
  try {
    await kimi.keys.store(key);
  } catch (e) {
    kimi.showError(e, vscode.l10n.t('Could not save the API key'));
    return false;
  }
  kimi.log.info('API key stored in secret storage.');
  void dialogs.info(message);
  return true;
}

export async function clearApiKey(kimi: KimiService): Promise<void> {
  try {
    await kimi.keys.clear();
  } catch (e) {
    kimi.showError(e, vscode.l10n.t('Could not remove the API key'));
    return;
  }
  kimi.log.info('API key removed from secret storage.');
  void dialogs.info(
    process.env.MOONSHOT_API_KEY
      ? vscode.l10n.t('Kimi API key removed from secret storage. The MOONSHOT_API_KEY environment variable still provides a key.')
      : vscode.l10n.t('Kimi API key removed from secret storage.'),
  );
}

export async function selectModel(kimi: KimiService): Promise<string | undefined> {
  let models: Model[];
  try {
    models = await withProgress(vscode.l10n.t('Loading Kimi models…'), () => kimi.listModels());
  } catch (e) {
    // Without a key the service has already offered Set API Key: one notification, not two.
    if (!isQuietError(e)) kimi.showError(e, vscode.l10n.t('Could not load the model list'), () => selectModel(kimi));
    return undefined;
  }
  const configured = kimi.configuredModel();
  const current = await kimi.resolveModel();
  const recommended = recommendedModel(models);
  type Item = vscode.QuickPickItem & { id: string };
  const item = (m: Model): Item => {
    const facts = modelFacts(m.id, m);
    const marks = [m.id === current ? vscode.l10n.t('current') : '', m.id === recommended ? vscode.l10n.t('recommended') : ''].filter(Boolean);
    return {
      label: m.id === current ? `$(check) ${m.id}` : m.id,
      id: m.id,
      description: [vscode.l10n.t('{0} context', formatContext(facts.contextWindow)), priceLabel(facts.priceTier), ...marks].filter(Boolean).join(' · '),
      detail: capabilities(m, facts),
    };
  };
  // Current models first (the preferred ones in their order), deprecated ones after.
  const rank = (m: Model) => {
    const i = PREFERRED_MODELS.indexOf(m.id);
    return i >= 0 ? i : modelFacts(m.id, m).deprecated ? 1000 : 100;
  };
  const items: Item[] = [...models].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id)).map(item);
  if (recommended) {
    items.unshift({
      label: configured ? vscode.l10n.t('Recommended ({0})', recommended) : vscode.l10n.t('$(check) Recommended ({0})', recommended),
      id: '',
      description: vscode.l10n.t('follows the recommended available model (kimi.model empty)'),
    });
  }
  if (configured && !models.some((m) => m.id === configured)) {
    items.unshift({ label: `$(warning) ${configured}`, id: configured, description: vscode.l10n.t('not offered any more: choose another model') });
  }
  const picked = await dialogs.pick(items, {
    title: vscode.l10n.t('Kimi: Select Model'),
    placeHolder: vscode.l10n.t('Current: {0}', current),
    matchOnDescription: true,
    // The current choice (a model, or "Recommended" while kimi.model is empty) is focused: Enter keeps it.
    active: items.find((i) => i.id === configured),
  });
  if (!picked) return undefined;
  if (picked.id !== configured) await kimi.setModel(picked.id);
  return picked.id || recommended;
}

/** premium ≈ 3× the per-token price of standard (the platform's 2026 price list). */
function priceLabel(tier: ModelFacts['priceTier']): string {
  if (tier === 'premium') return vscode.l10n.t('premium price');
  if (tier === 'standard') return vscode.l10n.t('standard price');
  if (tier === 'legacy') return vscode.l10n.t('deprecated');
  return '';
}

function capabilities(m: Model, facts: ModelFacts): string {
  const parts: string[] = [];
  if (facts.thinking === 'always') parts.push(vscode.l10n.t('always thinks'));
  else if (facts.thinking === 'switchable') parts.push(vscode.l10n.t('thinking on/off (kimi.thinking)'));
  else if (m.supports_reasoning) parts.push(vscode.l10n.t('reasoning'));
  if (m.supports_image_in) parts.push(vscode.l10n.t('images'));
  if (m.supports_video_in) parts.push(vscode.l10n.t('video'));
  if (m.id.startsWith('moonshot-v1')) parts.push(vscode.l10n.t('context caches'));
  return parts.join(' · ');
}

export function validateKeyInput(value: string): string | undefined {
  const v = value.trim();
  if (!v) return vscode.l10n.t('Paste your API key.');
  if (/\s/.test(v)) return vscode.l10n.t('An API key has no spaces.');
  return undefined;
}

/** `sk-ab…wxyz`: enough to recognise a key, not enough to use it. */
export function maskKey(key: string): string {
  return key.length <= 12 ? '…' + key.slice(-2) : `${key.slice(0, 5)}…${key.slice(-4)}`;
}
