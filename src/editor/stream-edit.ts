// Streams the code of an answer straight into a document: batched edits at a tracked insertion
// point, one undo step for the whole insertion, a progress notification with Cancel.
import * as vscode from 'vscode';
import type { KimiService } from '../config/service';
import type { ChatMessage } from '../kimi/types';
import { ChatRun } from '../chat/run';
import { CodeExtractor } from './code-extractor';
import { InsertionTracker, type TextChange } from './insertion-tracker';

const BATCH_MS = 50;

export interface StreamEditOptions {
  kimi: KimiService;
  editor: vscode.TextEditor;
  /** The selection to replace, or an empty range at the cursor. */
  range: vscode.Range;
  messages: ChatMessage[];
  title: string;
  /**
   * End the code with a line break (when it replaces whole lines, or goes in at the start of a line
   * with text): a code block's content has none after its last line.
   */
  endWithNewline?: boolean;
  /** Cancels like the notification's Cancel button (tests, Stop). */
  cancel?: vscode.CancellationToken;
}

export interface StreamEditResult {
  outcome: 'done' | 'cancelled' | 'noCode' | 'error';
  inserted: string;
  answer: string;
  error?: unknown;
}

/**
 * Applies our edits in order, one at a time. All but the last character are applied while
 * streaming; the last one closes the undo step, so the whole insertion undoes at once and the
 * user's next typing is not merged into it.
 */
class EditQueue {
  private pending = '';
  private applied = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> = Promise.resolve();
  readonly tracker: InsertionTracker;
  private readonly eol: string;

  constructor(
    private editor: vscode.TextEditor,
    range: vscode.Range,
  ) {
    const doc = editor.document;
    this.tracker = new InsertionTracker(doc.offsetAt(range.start), doc.offsetAt(range.end) - doc.offsetAt(range.start));
    this.eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  }

  get document(): vscode.TextDocument {
    return this.editor.document;
  }

  /** The document changed: feed every change to the tracker (ours are recognised there). */
  onDocumentChange(e: vscode.TextDocumentChangeEvent): void {
    for (const c of e.contentChanges) this.tracker.onChange({ offset: c.rangeOffset, removed: c.rangeLength, text: c.text });
  }

  push(code: string): void {
    // The document stores its own line ends; match them so our change events are recognised.
    this.pending += code.replace(/\r?\n/g, this.eol);
    this.timer ??= setTimeout(() => this.kick(false), BATCH_MS);
  }

  /** Applies everything left and closes the undo step. */
  async finish(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.kick(true);
    await this.running;
  }

  get insertedAnything(): boolean {
    return this.applied > 0;
  }

  private kick(final: boolean): void {
    this.timer = undefined;
    this.running = this.running.then(() => this.apply(final));
  }

  private async apply(final: boolean): Promise<void> {
    // Hold back one character until the end (see the class comment).
    const take = final ? this.pending.length : this.pending.length - 1;
    if (take <= 0) return;
    let text = this.pending.slice(0, take);
    // Never split a CRLF or a surrogate pair between two edits.
    if (!final && (text.endsWith('\r') || /[\uD800-\uDBFF]$/.test(text))) text = text.slice(0, -1);
    if (!text) return;
    for (let attempt = 0; attempt < 50; attempt++) {
      const edit = this.tracker.nextEdit(text);
      if (await this.applyEdit(edit, this.applied === 0, final)) {
        this.pending = this.pending.slice(text.length);
        this.applied += text.length;
        return;
      }
      // The document changed under us (the editor refused a stale edit): wait a moment, recompute.
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the editor kept refusing the edit');
  }

  private async applyEdit(edit: TextChange, first: boolean, last: boolean): Promise<boolean> {
    const doc = this.editor.document;
    const range = new vscode.Range(doc.positionAt(edit.offset), doc.positionAt(edit.offset + edit.removed));
    this.tracker.expect(edit);
    let ok = false;
    try {
      const editor = this.liveEditor();
      if (editor) {
        ok = await editor.edit((b) => b.replace(range, edit.text), { undoStopBefore: first, undoStopAfter: last });
      } else {
        // The file is no longer shown in an editor: edit the document itself.
        const we = new vscode.WorkspaceEdit();
        we.replace(doc.uri, range, edit.text);
        ok = await vscode.workspace.applyEdit(we);
      }
    } finally {
      if (!ok) this.tracker.unexpect(edit);
    }
    return ok;
  }

  /** An editor showing the document now (the original one may have been closed or replaced). */
  private liveEditor(): vscode.TextEditor | undefined {
    const visible = vscode.window.visibleTextEditors;
    if (visible.includes(this.editor)) return this.editor;
    const other = visible.find((e) => e.document === this.editor.document);
    if (other) this.editor = other;
    return other;
  }
}

export async function streamIntoEditor(o: StreamEditOptions): Promise<StreamEditResult> {
  const client = await o.kimi.requireClient();
  const queue = new EditQueue(o.editor, o.range);
  const extractor = new CodeExtractor();
  let answer = '';
  let inserted = '';
  let progress: vscode.Progress<{ message?: string }> | undefined;
  let lastReport = 0;
  const report = (message: string): void => {
    const now = Date.now();
    if (now - lastReport < 250) return;
    lastReport = now;
    progress?.report({ message });
  };
  const push = (code: string): void => {
    if (!code) return;
    inserted += code;
    queue.push(code);
    report(vscode.l10n.t('{0} characters', inserted.length));
  };
  const settings = o.kimi.settings();
  const run = new ChatRun({
    client,
    model: settings.model,
    messages: o.messages,
    maxTokens: settings.maxTokens,
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
    onText: (text) => {
      answer += text;
      push(extractor.push(text));
      // Everything after the code block is prose we would drop anyway: stop paying for it.
      if (extractor.done) run.stop();
    },
    onReasoning: () => report(vscode.l10n.t('Thinking…')),
  });
  const changes = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document === queue.document) queue.onDocumentChange(e);
  });
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: o.title, cancellable: true },
      async (shown, token) => {
        progress = shown;
        let cancelled = false;
        const cancel = (): void => {
          cancelled = true;
          run.stop();
        };
        const subs = [token.onCancellationRequested(cancel), o.cancel?.onCancellationRequested(cancel)];
        if (o.cancel?.isCancellationRequested) cancel();
        try {
          let error: unknown;
          try {
            await run.start();
          } catch (e) {
            error = e;
          }
          push(extractor.finish());
          if (o.endWithNewline && inserted && !inserted.endsWith('\n')) push('\n');
          await queue.finish();
          if (error !== undefined) return { outcome: 'error', inserted, answer, error };
          if (cancelled) return { outcome: 'cancelled', inserted, answer };
          if (!extractor.foundCode) return { outcome: 'noCode', inserted, answer };
          return { outcome: 'done', inserted, answer };
        } finally {
          for (const s of subs) s?.dispose();
        }
      },
    );
  } finally {
    changes.dispose();
  }
}
