// The status-bar token count of the selection (or the whole document) for the current model.
// What may be sent for counting is decided by src/shared/privacy.ts (secret-looking files and texts, Restricted
// Mode, other schemes stay local) and by the kimi.tokenCount setting.
import * as vscode from 'vscode';
import { InvokeAuthorizationError } from '../kimi';
import { Disposable } from '../core/disposable';
import { Commands } from '../core/ids';
import type { KimiService } from '../core/service';
import { localReasonText, tokenCountMode } from '../core/token-count';
import { containsSecret, documentReason } from '../shared/privacy';
import { AccountBalance } from './balance';
import { CountResult, TokenCounter } from './counter';
import { balanceText, statusText } from './format';
import { countable, isExcluded, sourceOf, type StatusSource } from './source';

const t = vscode.l10n.t;

export class TokenCountStatus extends Disposable {
  readonly item: vscode.StatusBarItem;
  readonly counter: TokenCounter;
  private readonly balance: AccountBalance;
  private readonly contextLengths = new Map<string, Promise<number | undefined>>();
  private what = '';
  // The document the item speaks about. Another document (or none) must not inherit its count: the
  // item would show a stale number, labelled as this document's, until the new count arrives.
  private countedDocument: string | undefined;
  private generation = 0;
  /** The tooltip without the balance line, kept so an arriving balance can be added to it. */
  private countTooltip: string | undefined;
  /** The API counted something for this account: only then is the balance asked for (nothing automatic before). */
  private apiCounted = false;

  constructor(private readonly kimi: KimiService) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('kimi.tokens', vscode.StatusBarAlignment.Right, 100));
    this.item.name = t('Kimi Token Count');
    this.counter = this.register(
      new TokenCounter(
        async (text, model, signal) => (await kimi.requireClientQuietly()).countTokens(model, [{ role: 'user', content: text }], { signal }),
        (result) => void this.show(result, this.generation),
      ),
    );
    this.balance = this.register(
      new AccountBalance(
        async (signal) => (await kimi.requireClientQuietly()).getBalance({ signal }),
        () => this.countTooltip !== undefined && this.setCountTooltip(this.countTooltip),
      ),
    );
    this.listen();
    void this.recount();
  }

  private listen(): void {
    const recount = () => void this.recount();
    const active = () => vscode.window.activeTextEditor;
    this.register(vscode.window.onDidChangeActiveTextEditor(recount));
    this.register(vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor === active() && recount()));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => e.document === active()?.document && e.contentChanges.length > 0 && recount()));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(recount));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('files.exclude') && recount()));
    // A model change needs no invalidation (counts are cached per model); another account does.
    this.register(this.kimi.onDidChange(recount));
    this.register(
      this.kimi.onDidChangeAccount(() => {
        this.contextLengths.clear();
        this.counter.invalidate();
        this.balance.forget();
        this.apiCounted = false;
        recount();
      }),
    );
  }

  /** Forgets which document is shown; a result still on its way for it is then dropped. */
  private dropShown(): void {
    this.countedDocument = undefined;
    this.generation++;
    this.countTooltip = undefined;
  }

  private async show(result: CountResult, shownGeneration: number): Promise<void> {
    const window = await this.contextLength(result);
    if (shownGeneration !== this.generation) return;
    this.item.text = statusText(result.tokens, window, result.kind === 'estimated', t);
    this.item.command = Commands.selectModel;
    if (result.kind === 'counted') {
      if (result.tokens > 0) this.apiCounted = true;
      this.setCountTooltip(
        result.tokens === 0
          ? t('{0} is empty: 0 tokens.', this.what)
          : t('Tokens in {0}, counted by the Kimi API for {1}. Click to choose the model.', this.what, result.model),
      );
      return;
    }
    const detail = result.error === undefined ? undefined : this.kimi.describeError(result.error).message;
    const chars = result.chars.toLocaleString('en-US');
    this.setCountTooltip(`${t('About {0} tokens in {1} ({2} characters).', result.tokens.toLocaleString('en-US'), this.what, chars)} ${localReasonText(result.reason, detail)}`);
    if (result.error instanceof InvokeAuthorizationError) this.item.command = Commands.setApiKey;
    else if (result.error !== undefined) this.item.command = Commands.showLog;
  }

  /** Only asks the API for the window when the count itself came from it (a local estimate sends nothing). */
  private contextLength(result: CountResult): Promise<number | undefined> | undefined {
    let length = this.contextLengths.get(result.model);
    if (!length && result.kind === 'counted' && result.tokens > 0) this.contextLengths.set(result.model, (length = this.kimi.contextLength(result.model)));
    return length;
  }

  /** A count's tooltip, with the balance line once one is known; building it is what asks for the balance. */
  private setCountTooltip(text: string): void {
    this.countTooltip = text;
    if (this.apiCounted) this.balance.refreshIfStale();
    const balance = this.balance.known;
    this.item.tooltip = balance ? `${text}\n${balanceText(balance, this.kimi.connection().baseUrl, t)}` : text;
  }

  private async recount(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const mode = tokenCountMode();
    const source = editor && countable(editor.document) && mode !== 'off' ? sourceOf(editor, mode) : undefined;
    if (!editor || !source) {
      this.dropShown();
      this.item.hide();
      return;
    }
    const document = editor.document.uri.toString();
    // Set before any await, so the previous document's count is never on show for this one.
    if (document !== this.countedDocument) this.showCounting(document, source.what);
    const key = await this.kimi.apiKey();
    // A later event has taken over (another editor became active meanwhile).
    if (editor !== vscode.window.activeTextEditor) return;
    if (!key) return this.offerKey();
    const fileReason = documentReason({
      scheme: editor.document.uri.scheme,
      path: editor.document.uri.path,
      trusted: vscode.workspace.isTrusted,
      excluded: isExcluded(editor.document),
    });
    this.what = source.what;
    this.item.show();
    const counted: StatusSource = { ...source, keepLocal: (text) => fileReason ?? (containsSecret(text, key.key) ? 'secretText' : undefined) };
    this.counter.update(counted, this.kimi.settings().model);
  }

  private showCounting(document: string, what: string): void {
    this.dropShown();
    this.counter.forgetShown();
    this.countedDocument = document;
    this.item.text = '$(symbol-numeric) …';
    this.item.tooltip = t('Counting the tokens of {0}…', what);
    this.item.command = Commands.selectModel;
  }

  private offerKey(): void {
    this.generation++;
    this.countTooltip = undefined;
    this.counter.invalidate();
    this.item.text = t('$(key) Kimi: Set API Key');
    this.item.tooltip = t('Set a Moonshot API key to see token counts.');
    this.item.command = Commands.setApiKey;
    this.item.show();
  }
}

export function registerStatus(context: vscode.ExtensionContext, kimi: KimiService): TokenCountStatus {
  const status = new TokenCountStatus(kimi);
  context.subscriptions.push(status);
  return status;
}
