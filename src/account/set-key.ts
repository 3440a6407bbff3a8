// Set API Key and Clear API Key: the key is checked against the platform the user chose (and the other
// one, whose keys are separate) before it goes into secret storage.
import * as vscode from 'vscode';
import { InvokeAuthorizationError } from '../kimi';
import { dialogs } from '../core/dialogs';
import { isCancellation } from '../core/errors';
import { Commands } from '../core/ids';
import { withProgress } from '../core/progress';
import type { KimiService } from '../core/service';
import { ConnectionSettings, Region, regionUrl } from '../core/settings';
import { urlHost } from '../core/urls';

/** Asks for (or takes) a key, checks it against the platform, stores it. Resolves true when saved. */
export async function setApiKey(kimi: KimiService, given?: string): Promise<boolean> {
  const key = await keyFromUser(kimi, given);
  return key ? checkAndSave(kimi, key) : false;
}

/** The key typed in, or the one given after the user agreed to it; undefined when there is none. */
async function keyFromUser(kimi: KimiService, given: string | undefined): Promise<string | undefined> {
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
  if (!key) return undefined;
  if (validateKeyInput(key)) {
    void dialogs.error(validateKeyInput(key) ?? '');
    return undefined;
  }
  // A key passed as an argument comes from a link or another extension, which could plant its own key:
  // the user decides.
  if (given !== undefined && !(await confirmGivenKey(kimi, key))) return undefined;
  return key;
}

async function confirmGivenKey(kimi: KimiService, key: string): Promise<boolean> {
  const stored = await kimi.keys.storedKey().catch(() => undefined);
  return dialogs.confirm(
    vscode.l10n.t('Use the API key {0} for Kimi?', maskKey(key)),
    stored
      ? vscode.l10n.t('Something asked Kimi to use this key instead of your stored key {0}. Requests are billed to the key\'s account. Replace your key only if you started this yourself.', maskKey(stored))
      : vscode.l10n.t('Something asked Kimi to use this key. Requests are billed to the key\'s account. Accept it only if you started this yourself.'),
    vscode.l10n.t('Use This Key'),
  );
}

async function checkAndSave(kimi: KimiService, key: string): Promise<boolean> {
  const connection = kimi.connection();
  if (!(await kimi.confirmEndpoint(connection.baseUrl))) return false;
  const verdict = await withProgress(vscode.l10n.t('Checking the API key with {0}…', urlHost(connection.baseUrl)), (signal) =>
    verifyKey(kimi, key, connection, signal),
  );
  if (verdict === 'cancelled') return false;
  if (verdict === 'ok') return save(kimi, key, vscode.l10n.t('Kimi API key saved and verified with {0}.', urlHost(connection.baseUrl)));
  if (verdict === 'refused') {
    // Keys of the two platforms are separate: the other one may know this key.
    const other = connection.customBaseUrl ? 'refused' : await tryOtherPlatform(kimi, key, connection);
    if (other !== 'refused') return other;
    showRefused(connection);
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

/** Saved (true), not saved (false), or refused there too. */
async function tryOtherPlatform(kimi: KimiService, key: string, connection: ConnectionSettings): Promise<boolean | 'refused'> {
  const other: Region = connection.region === 'china' ? 'international' : 'china';
  const otherConnection: ConnectionSettings = { ...connection, region: other, baseUrl: regionUrl(other) };
  const verdict = await withProgress(vscode.l10n.t('Trying the key with {0}…', urlHost(otherConnection.baseUrl)), (signal) =>
    verifyKey(kimi, key, otherConnection, signal),
  );
  if (verdict === 'cancelled') return false;
  if (verdict !== 'ok') return 'refused';
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

function showRefused(connection: ConnectionSettings): void {
  const again = vscode.l10n.t('Enter Another Key');
  void dialogs.error(
    connection.customBaseUrl
      ? vscode.l10n.t('{0} refused this API key (401). Check the key and the kimi.baseUrl setting.', urlHost(connection.baseUrl))
      : vscode.l10n.t('Both platform.moonshot.cn and platform.moonshot.ai refused this API key (401). Check that you copied the whole key.'),
    again,
  ).then((c) => c === again && vscode.commands.executeCommand(Commands.setApiKey));
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
