// Where the API key lives: VS Code's SecretStorage first, then the MOONSHOT_API_KEY environment
// variable. A key found in the deprecated plain `kimi.apiKey` setting is moved into SecretStorage.
import * as vscode from 'vscode';

const SECRET_ID = 'kimi.apiKey';

export type KeySource = 'secretStorage' | 'setting' | 'environment';

export interface ApiKey {
  key: string;
  source: KeySource;
}

/** SecretStorage failed (e.g. no keyring on Linux); `cause` is what the platform said. */
export class SecretStorageError extends Error {
  constructor(
    readonly operation: 'read' | 'store' | 'delete',
    override readonly cause: unknown,
  ) {
    super(vscode.l10n.t('VS Code could not {0} the API key in its secret storage: {1}', operation, causeText(cause)));
    this.name = 'SecretStorageError';
  }
}

export class ApiKeyStore {
  /** A plain-setting key that could not be moved because SecretStorage failed: used for this session only. */
  private unmovedKey: string | undefined;

  private readFailureReported = false;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
    /** Told once per session when the stored key cannot be read (the user must hear why). */
    private readonly onReadFailure: (e: SecretStorageError) => void = () => undefined,
  ) {}

  async get(): Promise<ApiKey | undefined> {
    try {
      const stored = await this.secrets.get(SECRET_ID);
      if (stored) return { key: stored, source: 'secretStorage' };
    } catch (e) {
      this.log.error(`Reading the API key from secret storage failed: ${causeText(e)}`);
      if (!this.readFailureReported) {
        this.readFailureReported = true;
        this.onReadFailure(new SecretStorageError('read', e));
      }
    }
    if (this.unmovedKey) return { key: this.unmovedKey, source: 'setting' };
    const env = process.env.MOONSHOT_API_KEY?.trim();
    return env ? { key: env, source: 'environment' } : undefined;
  }

  async store(key: string): Promise<void> {
    try {
      await this.secrets.store(SECRET_ID, key);
    } catch (e) {
      throw new SecretStorageError('store', e);
    }
    this.unmovedKey = undefined;
  }

  /** Removes the stored key; the environment variable, if set, still applies afterwards. */
  async clear(): Promise<void> {
    this.unmovedKey = undefined;
    try {
      await this.secrets.delete(SECRET_ID);
    } catch (e) {
      throw new SecretStorageError('delete', e);
    }
  }

  /**
   * Moves a key from the plain `kimi.apiKey` setting (any scope) into SecretStorage and removes it from
   * every scope. When SecretStorage fails the setting is left alone (nothing is lost) and the error is thrown.
   */
  async migratePlainSetting(): Promise<boolean> {
    const targets = plainSettingTargets();
    const key = targets.find((t) => t.value)?.value;
    if (!key) return false;
    try {
      await this.store(key);
    } catch (e) {
      this.unmovedKey = key;
      throw e;
    }
    for (const t of targets) {
      if (t.value) await t.config.update('apiKey', undefined, t.target);
    }
    this.log.info(`Moved the API key from the kimi.apiKey setting into secret storage (${targets.filter((t) => t.value).map((t) => t.label).join(', ')}).`);
    return true;
  }
}

interface PlainTarget {
  config: vscode.WorkspaceConfiguration;
  target: vscode.ConfigurationTarget;
  label: string;
  value: string | undefined;
}

function plainSettingTargets(): PlainTarget[] {
  const out: PlainTarget[] = [];
  const root = vscode.workspace.getConfiguration('kimi');
  const i = root.inspect<string>('apiKey');
  out.push({ config: root, target: vscode.ConfigurationTarget.Global, label: 'user', value: i?.globalValue?.trim() || undefined });
  if (vscode.workspace.workspaceFolders || vscode.workspace.workspaceFile) {
    out.push({ config: root, target: vscode.ConfigurationTarget.Workspace, label: 'workspace', value: i?.workspaceValue?.trim() || undefined });
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const c = vscode.workspace.getConfiguration('kimi', folder.uri);
    const v = c.inspect<string>('apiKey')?.workspaceFolderValue?.trim() || undefined;
    out.push({ config: c, target: vscode.ConfigurationTarget.WorkspaceFolder, label: `folder ${folder.name}`, value: v });
  }
  return out;
}

export function causeText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}
