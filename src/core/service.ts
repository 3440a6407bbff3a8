// KimiService: the one place that knows the key, the settings and the current client. Features ask it
// for a client on demand; it rebuilds the client when the key or a setting changes (no reload).
import * as vscode from 'vscode';
import { Commands, ContextKeys } from './ids';
import { setContext } from './command';
import { KimiClient, modelFacts, PREFERRED_MODELS, recommendedModel, type ModelFacts } from '../kimi';
import type { Model } from '../kimi/types';
import { describeError, ErrorDescription, InsecureEndpointError, NoApiKeyError } from './errors';
import { ApiKey, ApiKeyStore } from './key';
import { dialogs } from './dialogs';
import { Disposable } from './disposable';
import { EndpointTrust } from './endpoint-trust';
import { showError } from './error-display';
import { PlainKeyCheck } from './plain-keys';
import { connectionKey, ConnectionSettings, KimiSettings, readConnection, readSettings } from './settings';
import { displayUrl } from './urls';

const MODELS_TTL_MS = 60_000;

export class KimiService extends Disposable {
  readonly keys: ApiKeyStore;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange: vscode.Event<void> = this.changed.event;
  private readonly accountChanged = this.register(new vscode.EventEmitter<void>());
  /** The key, endpoint or proxy changed: caches, models and counts may differ. Not for model or temperature. */
  readonly onDidChangeAccount: vscode.Event<void> = this.accountChanged.event;
  private account: Promise<string> | undefined;
  private current: { fingerprint: string; client: KimiClient } | undefined;
  private models: { at: number; fingerprint: string; list: Promise<Model[]> } | undefined;
  private keyPromise: Promise<ApiKey | undefined> | undefined;
  /** The recommended model found in the live list for this account (kimi.model empty). */
  private recommended: string | undefined;
  private readonly modelChanged = this.register(new vscode.EventEmitter<string>());
  /** The model answers use changed: kimi.model was edited, or the recommended one was (re)resolved. */
  readonly onDidChangeModel: vscode.Event<string> = this.modelChanged.event;
  private lastModel = '';
  private readonly endpoints: EndpointTrust;
  private readonly plainKeys: PlainKeyCheck;

  constructor(
    context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.keys = new ApiKeyStore(context.secrets, log, (e) => this.showError(e, vscode.l10n.t('Could not read the Kimi API key')));
    this.endpoints = new EndpointTrust(context.globalState, log);
    this.plainKeys = new PlainKeyCheck(this.keys, context.workspaceState, log, (why) => this.invalidate(why), (e, what) => this.showError(e, what));
    this.register(
      context.secrets.onDidChange((e) => {
        if (e.key === 'kimi.apiKey') this.invalidate('API key changed');
      }),
    );
    // Another key or endpoint may list other models: the recommended one is found again on next use.
    this.register(this.accountChanged.event(() => (this.recommended = undefined)));
    this.register(
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
    return modelFacts(id, (await this.liveModels())?.find((m) => m.id === id));
  }

  /**
   * Whether the live list still offers the model: false when the list was read and lacks it
   * (retired, or not allowed for this key), undefined when it could not be read.
   */
  async isListed(id: string): Promise<boolean | undefined> {
    return (await this.liveModels())?.some((m) => m.id === id);
  }

  /** The live list for lookups that have a fallback: undefined without a key or when it cannot be read. */
  private async liveModels(): Promise<Model[] | undefined> {
    try {
      return (await this.client()) ? await this.listModels() : undefined;
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

  /** True when the key may go to `baseUrl` (a plain-http endpoint on another machine is asked about once). */
  confirmEndpoint(baseUrl: string): Thenable<boolean> {
    return this.endpoints.confirm(baseUrl);
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

  /** Context window of a model: the live list's, else the known table's. */
  async contextLength(model: string): Promise<number> {
    return (await this.modelFacts(model)).contextWindow;
  }

  describeError(err: unknown): ErrorDescription {
    return describeError(err);
  }

  /** Shows `what: message` with buttons for the next steps; never waits for the user. */
  showError(err: unknown, what: string, retry?: () => unknown): void {
    showError(this.log, err, what, retry);
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

  /** Moves a user-level kimi.apiKey into secret storage and warns (once per file) about workspace ones. */
  checkPlainKeys(): Promise<void> {
    return this.plainKeys.run();
  }
}
