// KimiService: the one place that knows the key, the settings and the current client. Features ask it
// for a client on demand; it rebuilds the client when the key or a setting changes (no reload).
import * as vscode from 'vscode';
import { Commands, ContextKeys } from './ids';
import { setContext } from './command';
import { KimiClient, modelFacts, PREFERRED_MODELS, recommendedModel, type ModelFacts } from '../kimi';
import type { Model } from '../kimi/types';
import { describeError, ErrorAction, ErrorDescription, InsecureEndpointError, isCancellation, NoApiKeyError } from './errors';
import { ApiKey, ApiKeyStore, SecretStorageError, workspaceKeyFiles } from './key';
import { dialogs } from './dialogs';
import { connectionKey, ConnectionSettings, KimiSettings, readConnection, readSettings } from './settings';
import { displayUrl, isInsecureRemote } from './urls';

const ALLOWED_HTTP_ENDPOINTS = 'kimi.allowedHttpEndpoints';
const WARNED_KEY_FILES = 'kimi.warnedWorkspaceKeyFiles';

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
  /** The recommended model found in the live list for this account (kimi.model empty). */
  private recommended: string | undefined;
  private readonly modelChanged = new vscode.EventEmitter<string>();
  /** The model answers use changed: kimi.model was edited, or the recommended one was (re)resolved. */
  readonly onDidChangeModel: vscode.Event<string> = this.modelChanged.event;
  private lastModel = '';

  /** Plain-http endpoints whose question is open or was declined this session (asked once). */
  private readonly httpQuestions = new Map<string, Thenable<boolean>>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.keys = new ApiKeyStore(context.secrets, log, (e) => this.showError(e, vscode.l10n.t('Could not read the Kimi API key')));
    this.disposables.push(
      context.secrets.onDidChange((e) => {
        if (e.key === 'kimi.apiKey') this.invalidate('API key changed');
      }),
      this.modelChanged,
      // Another key or endpoint may list other models: the recommended one is found again on next use.
      this.accountChanged.event(() => (this.recommended = undefined)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        // Background work: a declined endpoint (the user was asked) or no list only leaves the model as it is.
        if (e.affectsConfiguration('kimi.model')) this.resolveModel().catch((err: unknown) => this.log.warn(`Could not resolve the model: ${describeError(err).message}`));
        if (e.affectsConfiguration('kimi.apiKey')) void this.checkPlainKeys();
        if (e.affectsConfiguration('kimi') || e.affectsConfiguration('http.proxy') || e.affectsConfiguration('http.noProxy')) {
          this.invalidate('settings changed');
        }
      }),
    );
  }

  /** Local work only (secret storage, settings): safe during activation. */
  async init(): Promise<void> {
    await this.checkPlainKeys();
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

  /** The settings, with `model` the model answers use (see resolveModel; never empty). */
  settings(): KimiSettings {
    const s = readSettings();
    return { ...s, model: s.model || this.modelNow() };
  }

  /** kimi.model as the user set it ('' = the recommended available model). */
  configuredModel(): string {
    return readSettings().model;
  }

  /**
   * The model answers use: kimi.model, or when it is empty the recommended model that GET /v1/models
   * lists (kept per key and endpoint). Without a key or a list, the first preference until one arrives.
   */
  async resolveModel(): Promise<string> {
    if (!this.configuredModel() && (await this.client())) {
      try {
        // The list is cached for a minute per key and endpoint, so this is cheap on every answer.
        const id = recommendedModel(await this.listModels());
        if (id) this.recommended = id;
      } catch (e) {
        this.log.warn(`Could not list models to choose the recommended one: ${describeError(e).message}`);
      }
    }
    const model = this.modelNow();
    if (model !== this.lastModel) {
      this.lastModel = model;
      this.modelChanged.fire(model);
    }
    return model;
  }

  /** What resolveModel last found, without waiting. */
  private modelNow(): string {
    return this.configuredModel() || this.recommended || PREFERRED_MODELS[0]!;
  }

  /** The model's traits: the known table, with the live list's fields when it has been fetched. */
  async modelFacts(id: string): Promise<ModelFacts> {
    let listed: Model | undefined;
    try {
      if (await this.client()) listed = (await this.listModels()).find((m) => m.id === id);
    } catch {
      // the table alone
    }
    return modelFacts(id, listed);
  }

  /**
   * Whether the live list still offers the model: false when the list was read and lacks it
   * (retired, or not allowed for this key), undefined when it could not be read.
   */
  async isListed(id: string): Promise<boolean | undefined> {
    try {
      if (!(await this.client())) return undefined;
      return (await this.listModels()).some((m) => m.id === id);
    } catch {
      return undefined;
    }
  }

  connection(): ConnectionSettings {
    return readConnection();
  }

  /** The client for the current key and settings, or undefined without a key. Built on first use. */
  async client(): Promise<KimiClient | undefined> {
    const key = await this.apiKey();
    if (!key) return undefined;
    const connection = this.connection();
    if (!(await this.confirmEndpoint(connection.baseUrl))) throw new InsecureEndpointError(displayUrl(connection.baseUrl));
    const fingerprint = `${key.key}\n${connectionKey(connection, this.settings())}`;
    if (this.current?.fingerprint !== fingerprint) {
      this.current = { fingerprint, client: this.createClient(key.key, connection) };
      this.log.info(`Using ${displayUrl(connection.baseUrl)}${connection.proxy ? ' through a proxy' : ''} (key from ${key.source}).`);
    }
    return this.current.client;
  }

  async requireClient(): Promise<KimiClient> {
    const client = await this.client();
    if (client) return client;
    const setKey = vscode.l10n.t('Set API Key');
    void dialogs.warn(new NoApiKeyError().message, setKey).then((choice) => {
      if (choice === setKey) void vscode.commands.executeCommand(Commands.setApiKey);
    });
    throw new NoApiKeyError();
  }

  /** Like requireClient, without offering to set a key (for background work such as the status bar). */
  async requireClientQuietly(): Promise<KimiClient> {
    const client = await this.client();
    if (!client) throw new NoApiKeyError();
    return client;
  }

  /**
   * True when the key may go to `baseUrl`. A plain-http endpoint on another machine would carry the key
   * in clear text: the user is asked once (modal); a yes is remembered for that URL, a no for the session.
   */
  confirmEndpoint(baseUrl: string): Thenable<boolean> {
    if (!isInsecureRemote(baseUrl)) return Promise.resolve(true);
    const allowed = this.context.globalState.get<string[]>(ALLOWED_HTTP_ENDPOINTS, []);
    if (allowed.includes(baseUrl)) return Promise.resolve(true);
    let question = this.httpQuestions.get(baseUrl);
    if (!question) {
      const shown = displayUrl(baseUrl);
      this.log.warn(`kimi.baseUrl ${shown} is plain http to another machine: asking before the API key is sent.`);
      question = dialogs
        .confirm(
          vscode.l10n.t('Send your Kimi API key unencrypted to {0}?', shown),
          vscode.l10n.t('kimi.baseUrl uses http:// to a host that is not this machine, so the API key and your prompts would cross the network in clear text. Use https:// unless you trust every network in between.'),
          vscode.l10n.t('Send Unencrypted'),
        )
        .then(async (ok) => {
          if (ok) {
            await this.context.globalState.update(ALLOWED_HTTP_ENDPOINTS, [...this.context.globalState.get<string[]>(ALLOWED_HTTP_ENDPOINTS, []), baseUrl]);
            this.httpQuestions.delete(baseUrl);
          }
          return ok;
        });
      this.httpQuestions.set(baseUrl, question);
    }
    return question;
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
    return knownContextLength(model) ?? modelFacts(model).contextWindow;
  }

  describeError(err: unknown): ErrorDescription {
    return describeError(err);
  }

  /** Shows `what: message` with buttons for the next steps; never waits for the user. */
  showError(err: unknown, what: string, retry?: () => unknown): void {
    const d = describeError(err);
    if (isCancellation(err)) return;
    this.log.error(`${what}: ${d.message}`);
    const labels: Record<ErrorAction, string> = {
      setApiKey: vscode.l10n.t('Set API Key'),
      retry: vscode.l10n.t('Retry'),
      showLog: vscode.l10n.t('Show Log'),
      selectModel: vscode.l10n.t('Select Model'),
    };
    const actions = d.actions.filter((a) => a !== 'retry' || retry);
    void dialogs.error(`${what}: ${d.message}`, ...actions.map((a) => labels[a])).then((choice) => {
      const action = actions.find((a) => labels[a] === choice);
      if (action === 'retry') void retry?.();
      else if (action === 'setApiKey') void vscode.commands.executeCommand(Commands.setApiKey);
      else if (action === 'selectModel') void vscode.commands.executeCommand(Commands.selectModel);
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
    await setContext(ContextKeys.hasApiKey, await this.hasApiKey());
  }

  private plainKeyCheck: Promise<void> | undefined;

  /** Moves a user-level kimi.apiKey into secret storage and warns (once per file) about workspace ones. */
  checkPlainKeys(): Promise<void> {
    // One check at a time, so the user is never asked the same question twice at once.
    this.plainKeyCheck ??= this.checkPlainKeysNow().finally(() => (this.plainKeyCheck = undefined));
    return this.plainKeyCheck;
  }

  private async checkPlainKeysNow(): Promise<void> {
    try {
      const result = await this.keys.migrateUserSetting(() =>
        dialogs.confirm(
          vscode.l10n.t('Replace your stored Kimi API key?'),
          vscode.l10n.t('Your user setting kimi.apiKey holds a different key from the one in VS Code\'s secret storage. Replace the stored key with it (it is then removed from the setting)? Otherwise both stay as they are.'),
          vscode.l10n.t('Replace Stored Key'),
        ),
      );
      if (result === 'moved') {
        this.invalidate('API key moved into secret storage');
        void dialogs.info(vscode.l10n.t('Kimi moved your API key from the kimi.apiKey user setting into VS Code\'s secret storage and removed it from the setting.'));
      }
    } catch (e) {
      if (e instanceof SecretStorageError) this.invalidate('API key kept from the setting for this session');
      this.showError(e, vscode.l10n.t('Could not move the API key out of the kimi.apiKey setting'));
    }
    await this.warnAboutWorkspaceKeys();
  }

  /** Once per file: a workspace's kimi.apiKey is ignored and its file left alone. */
  private async warnAboutWorkspaceKeys(): Promise<void> {
    const warned = this.context.workspaceState.get<string[]>(WARNED_KEY_FILES, []);
    const fresh = (await workspaceKeyFiles()).filter((f) => !warned.includes(f.toString()));
    if (!fresh.length) return;
    await this.context.workspaceState.update(WARNED_KEY_FILES, [...warned, ...fresh.map((f) => f.toString())]);
    for (const file of fresh) {
      const name = vscode.workspace.asRelativePath(file, true);
      this.log.warn(`Ignoring kimi.apiKey in ${name}: only your own key (Kimi: Set API Key) is used.`);
      const open = vscode.l10n.t('Open File');
      void dialogs
        .warn(
          vscode.l10n.t('{0} sets kimi.apiKey. Kimi ignores it and does not change the file: only the key you set with "Kimi: Set API Key" is used. Remove the key from the file, and revoke it if the file was ever shared.', name),
          open,
        )
        .then((choice) => {
          if (choice === open) void vscode.window.showTextDocument(file);
        });
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
