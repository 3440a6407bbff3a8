// Keys written into settings files: a user-level kimi.apiKey is moved into secret storage; a workspace
// one is ignored, and the user is warned once per file.
import * as vscode from 'vscode';
import { dialogs } from './dialogs';
import { ApiKeyStore, SecretStorageError, workspaceKeyFiles } from './key';

const WARNED_KEY_FILES = 'kimi.warnedWorkspaceKeyFiles';

export class PlainKeyCheck {
  private running: Promise<void> | undefined;

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly workspaceState: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
    /** The key the service uses may have changed. */
    private readonly keyChanged: (why: string) => void,
    private readonly showError: (err: unknown, what: string) => void,
  ) {}

  run(): Promise<void> {
    // One check at a time, so the user is never asked the same question twice at once.
    this.running ??= this.runNow().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runNow(): Promise<void> {
    try {
      const result = await this.keys.migrateUserSetting(() =>
        dialogs.confirm(
          vscode.l10n.t('Replace your stored Kimi API key?'),
          vscode.l10n.t('Your user setting kimi.apiKey holds a different key from the one in VS Code\'s secret storage. Replace the stored key with it (it is then removed from the setting)? Otherwise both stay as they are.'),
          vscode.l10n.t('Replace Stored Key'),
        ),
      );
      if (result === 'moved') {
        this.keyChanged('API key moved into secret storage');
        void dialogs.info(vscode.l10n.t('Kimi moved your API key from the kimi.apiKey user setting into VS Code\'s secret storage and removed it from the setting.'));
      }
    } catch (e) {
      if (e instanceof SecretStorageError) this.keyChanged('API key kept from the setting for this session');
      this.showError(e, vscode.l10n.t('Could not move the API key out of the kimi.apiKey setting'));
    }
    await this.warnAboutWorkspaceKeys();
  }

  /** Once per file: a workspace's kimi.apiKey is ignored and its file left alone. */
  private async warnAboutWorkspaceKeys(): Promise<void> {
    const warned = this.workspaceState.get<string[]>(WARNED_KEY_FILES, []);
    const fresh = (await workspaceKeyFiles()).filter((f) => !warned.includes(f.toString()));
    if (!fresh.length) return;
    await this.workspaceState.update(WARNED_KEY_FILES, [...warned, ...fresh.map((f) => f.toString())]);
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
