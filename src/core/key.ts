// Where the API key lives: VS Code's SecretStorage first, then the MOONSHOT_API_KEY environment
// variable. A key found in the deprecated user setting `kimi.apiKey` is moved into SecretStorage;
// workspace values of that setting are ignored.
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

  /** The key in SecretStorage only (not the environment); throws SecretStorageError when unreadable. */
  async storedKey(): Promise<string | undefined> {
    try {
      return (await this.secrets.get(SECRET_ID)) || undefined;
    } catch (e) {
      throw new SecretStorageError('read', e);
    }
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
   * Moves a key from the user-level (global) `kimi.apiKey` setting into SecretStorage and removes it
   * from user settings. A different key already stored is replaced only when `confirmReplace` says so;
   * otherwise nothing changes. Workspace and folder values are never read as a key (see
   * workspaceKeyFiles). When SecretStorage fails the setting is left alone and the error is thrown.
   */
  async migrateUserSetting(confirmReplace: () => Thenable<boolean>): Promise<'none' | 'moved' | 'declined'> {
    const config = vscode.workspace.getConfiguration('kimi');
    const key = config.inspect<string>('apiKey')?.globalValue?.trim();
    if (!key) return 'none';
    let stored: string | undefined;
    try {
      stored = await this.secrets.get(SECRET_ID);
    } catch {
      stored = undefined; // the store below reports the failure
    }
    if (stored && stored !== key) {
      if (this.declinedKey === key || !(await confirmReplace())) {
        this.declinedKey = key;
        return 'declined';
      }
    }
    try {
      await this.store(key);
    } catch (e) {
      this.unmovedKey = key;
      throw e;
    }
    await config.update('apiKey', undefined, vscode.ConfigurationTarget.Global);
    this.log.info('Moved the API key from the user setting kimi.apiKey into secret storage.');
    return 'moved';
  }

  /** A user-level key the user chose not to let replace the stored one (not asked again this session). */
  private declinedKey: string | undefined;
}

/**
 * Workspace settings files that set `kimi.apiKey`. Such a value is never used (a repository must not
 * choose the key the user's requests are billed to) and the file is never written; the user is told.
 * Read from the files because VS Code drops workspace values of an application-scoped setting.
 */
export async function workspaceKeyFiles(): Promise<vscode.Uri[]> {
  const candidates: vscode.Uri[] = (vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'));
  const ws = vscode.workspace.workspaceFile;
  if (ws && ws.scheme !== 'untitled') candidates.push(ws);
  const found: vscode.Uri[] = [];
  for (const uri of candidates) {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      continue; // no such file
    }
    if (setsApiKey(text)) found.push(uri);
  }
  return found;
}

/** True when settings JSON(C) text gives `kimi.apiKey` a non-empty string (comments ignored). */
export function setsApiKey(text: string): boolean {
  const code = text.replace(/("(?:[^"\\\n]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, str: string | undefined) => str ?? '');
  return /"kimi\.apiKey"\s*:\s*"\s*[^"\s]/.test(code);
}

export function causeText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}
