// KimiService: the one place that knows the key, the settings and the current client. Features ask it
// for a client on demand; it rebuilds the client when the key or a setting changes (no reload).
import * as vscode from 'vscode';
import { KimiClient } from '../kimi';
import type { Model } from '../kimi/types';
import { describeError, ErrorAction, ErrorDescription, NoApiKeyError } from './errors';
import { ApiKey, ApiKeyStore, SecretStorageError } from './key';
import { prompts } from './prompts';
import { connectionKey, ConnectionSettings, KimiSettings, readConnection, readSettings } from './settings';

const MODELS_TTL_MS = 60_000;

export class KimiService implements vscode.Disposable {
  readonly keys: ApiKeyStore;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange: vscode.Event<void> = this.changed.event;
  private readonly accountChanged = new vscode.EventEmitter<void>();
  /** The key, endpoint or proxy changed: caches, models and counts may differ. Not for model or temperature. */
  readonly onDidChangeAccount: vscode.Event<void> = this.accountChanged.event;
  private account: Promise<string> | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.accountChanged];
  private current: { fingerprint: string; client: KimiClient } | undefined;
  private models: { at: number; fingerprint: string; list: Promise<Model[]> } | undefined;
  private keyPromise: Promise<ApiKey | undefined> | undefined;

  constructor(
    context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.keys = new ApiKeyStore(context.secrets, log, (e) => this.showError(e, vscode.l10n.t('Could not read the Kimi API key')));
    this.disposables.push(
      context.secrets.onDidChange((e) => {
        if (e.key === 'kimi.apiKey') this.invalidate('API key changed');
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('kimi.apiKey')) void this.migratePlainKey();
        if (e.affectsConfiguration('kimi') || e.affectsConfiguration('http.proxy') || e.affectsConfiguration('http.noProxy')) {
          this.invalidate('settings changed');
        }
      }),
    );
  }

  /** Local work only (secret storage, settings): safe during activation. */
  async init(): Promise<void> {
    await this.migratePlainKey();
    await this.updateContextKey();
    this.account = this.accountNow();
  }

  async hasApiKey(): Promise<boolean> {
    return (await this.apiKey()) !== undefined;
  }

  apiKey(): Promise<ApiKey | undefined> {
    this.keyPromise ??= this.keys.get();
    return this.keyPromise;
  }

  settings(): KimiSettings {
    return readSettings();
  }

  connection(): ConnectionSettings {
    return readConnection();
  }

  /** The client for the current key and settings, or undefined without a key. Built on first use. */
  async client(): Promise<KimiClient | undefined> {
    const key = await this.apiKey();
    if (!key) return undefined;
    const connection = this.connection();
    const fingerprint = `${key.key}\n${connectionKey(connection, this.settings())}`;
    if (this.current?.fingerprint !== fingerprint) {
      this.current = { fingerprint, client: this.createClient(key.key, connection) };
      // The client's base URL is the normalised one: no credentials, no query string.
      this.log.info(`Using ${this.current.client.baseUrl}${connection.proxy ? ' through a proxy' : ''} (key from ${key.source}).`);
    }
    return this.current.client;
  }

  async requireClient(): Promise<KimiClient> {
    const client = await this.client();
    if (client) return client;
    const setKey = vscode.l10n.t('Set API Key');
    void prompts.warn(new NoApiKeyError().message, setKey).then((choice) => {
      if (choice === setKey) void vscode.commands.executeCommand('kimi.setApiKey');
    });
    throw new NoApiKeyError();
  }

  /** Like requireClient, without offering to set a key (for background work such as the status bar). */
  async requireClientQuietly(): Promise<KimiClient> {
    const client = await this.client();
    if (!client) throw new NoApiKeyError();
    return client;
  }

  /** A client for an explicit key and endpoint (used to check a key before saving it). */
  createClient(apiKey: string, connection: ConnectionSettings = this.connection()): KimiClient {
    const s = this.settings();
    return new KimiClient({
      apiKey,
      baseUrl: connection.baseUrl,
      ...(connection.proxy ? { proxy: connection.proxy } : {}),
      timeoutMs: s.requestTimeoutMs,
      maxRetries: s.maxRetries,
      logger: this.log,
    });
  }

  async setModel(id: string): Promise<void> {
    const config = vscode.workspace.getConfiguration('kimi');
    const inspected = config.inspect<string>('model');
    // Write where the effective value comes from, so the choice actually takes effect.
    const target =
      inspected?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspected?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await config.update('model', id, target);
  }

  /** The live model list, kept for a minute per key and endpoint. */
  async listModels(): Promise<Model[]> {
    const client = await this.requireClient();
    const fingerprint = this.current?.fingerprint ?? '';
    if (!this.models || this.models.fingerprint !== fingerprint || Date.now() - this.models.at > MODELS_TTL_MS) {
      const list = client.listModels();
      this.models = { at: Date.now(), fingerprint, list };
      list.catch(() => {
        if (this.models?.list === list) this.models = undefined;
      });
    }
    return this.models.list;
  }

  /** Context window of a model from the cached live list, if it has been fetched. */
  async contextLength(model: string): Promise<number | undefined> {
    try {
      const found = (await this.listModels()).find((m) => m.id === model);
      if (typeof found?.context_length === 'number') return found.context_length;
    } catch {
      // fall back to the known table
    }
    return knownContextLength(model);
  }

  describeError(err: unknown): ErrorDescription {
    return describeError(err);
  }

  /** Shows `what: message` with buttons for the next steps; never waits for the user. */
  showError(err: unknown, what: string, retry?: () => unknown): void {
    const d = describeError(err);
    if (d.actions.length === 0 && d.message === vscode.l10n.t('Cancelled.')) return;
    this.log.error(`${what}: ${d.message}`);
    const labels: Record<ErrorAction, string> = {
      setApiKey: vscode.l10n.t('Set API Key'),
      retry: vscode.l10n.t('Retry'),
      showLog: vscode.l10n.t('Show Log'),
      selectModel: vscode.l10n.t('Select Model'),
    };
    const actions = d.actions.filter((a) => a !== 'retry' || retry);
    void prompts.error(`${what}: ${d.message}`, ...actions.map((a) => labels[a])).then((choice) => {
      const action = actions.find((a) => labels[a] === choice);
      if (action === 'retry') void retry?.();
      else if (action === 'setApiKey') void vscode.commands.executeCommand('kimi.setApiKey');
      else if (action === 'selectModel') void vscode.commands.executeCommand('kimi.selectModel');
      else if (action === 'showLog') this.log.show(true);
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private invalidate(why: string): void {
    this.keyPromise = undefined;
    this.models = undefined;
    this.log.debug(`Kimi configuration reloaded: ${why}.`);
    void this.updateContextKey();
    this.changed.fire();
    const before = this.account;
    this.account = this.accountNow();
    void Promise.all([before, this.account]).then(([a, b]) => a !== b && this.accountChanged.fire());
  }

  private async accountNow(): Promise<string> {
    const c = this.connection();
    return `${(await this.apiKey())?.key ?? ''}\n${c.baseUrl}\n${c.proxy ?? ''}`;
  }

  private async updateContextKey(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'kimi.hasApiKey', await this.hasApiKey());
  }

  private async migratePlainKey(): Promise<void> {
    try {
      if (await this.keys.migratePlainSetting()) {
        this.invalidate('API key moved into secret storage');
        void prompts.info(vscode.l10n.t('Kimi moved your API key from the kimi.apiKey setting into VS Code\'s secret storage and removed it from the setting.'));
      }
    } catch (e) {
      if (e instanceof SecretStorageError) this.invalidate('API key kept from the setting for this session');
      this.showError(e, vscode.l10n.t('Could not move the API key out of the kimi.apiKey setting'));
    }
  }
}

/** Context windows of known model names, for when the live list lacks context_length. */
export function knownContextLength(model: string): number | undefined {
  const m = /^moonshot-v1-(8|32|128)k/.exec(model);
  if (m) return Number(m[1]) * 1024;
  if (/^kimi-k2/.test(model)) return /0711/.test(model) ? 131_072 : 262_144;
  if (/^kimi-(latest|thinking)/.test(model) || model === 'moonshot-v1-auto') return 131_072;
  return undefined;
}
