// Applies a streamed insertion to one document: batched edits at a tracked insertion point, in one
// undo step. VS Code appends edits without undo stops to the model's last open undo element, so
// the step stays whole only while our edits are the only ones and go through a visible editor:
// - while the document is in no visible editor, batches wait (they resume when it is shown again);
// - when the user edited the same document in between (or the end had to be written while the file
//   was hidden), the pieces are several undo steps: at the end the region is put back to the
//   original text and the whole code written again, so one undo removes the whole insertion.
import * as vscode from 'vscode';
import { InsertionTracker, type TextChange } from './insertion-tracker';

const BATCH_MS = 50;

export class EditQueue implements vscode.Disposable {
  private pending = '';
  private appliedText = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly tracker: InsertionTracker;
  private readonly eol: string;
  private readonly original: string;
  /** Some piece went in outside the editor's open undo element. */
  private split = false;
  private closed = false;
  private readonly subs: vscode.Disposable[];

  constructor(
    private editor: vscode.TextEditor,
    range: vscode.Range,
  ) {
    const doc = editor.document;
    this.tracker = new InsertionTracker(doc.offsetAt(range.start), doc.offsetAt(range.end) - doc.offsetAt(range.start));
    this.eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    this.original = doc.getText(range);
    this.subs = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document !== this.document) return;
        for (const c of e.contentChanges) this.tracker.onChange({ offset: c.rangeOffset, removed: c.rangeLength, text: c.text });
      }),
      // Batches held while the file was hidden go in as soon as it is shown again.
      vscode.window.onDidChangeVisibleTextEditors(() => {
        if (this.pending && this.liveEditor()) this.timer ??= setTimeout(() => this.kick(false), 0);
      }),
    ];
  }

  get document(): vscode.TextDocument {
    return this.editor.document;
  }

  get insertedAnything(): boolean {
    return this.appliedText.length > 0;
  }

  /** Called once when the document is found closed (the caller stops the request). */
  onClosed: (() => void) | undefined;

  /** The document was closed: nothing more is written. */
  markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = '';
    this.onClosed?.();
  }

  push(code: string): void {
    // The document stores its own line ends; match them so our change events are recognised.
    this.pending += code.replace(/\r?\n/g, this.eol);
    this.timer ??= setTimeout(() => this.kick(false), BATCH_MS);
  }

  /** Applies everything left and makes the whole insertion one undo step. */
  async finish(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.kick(true);
    await this.running;
    if (this.closed || !this.appliedText) return;
    // The user's text inside our region would be lost by a rewrite: leave the pieces as they are.
    if ((this.split || this.tracker.interleaved) && !this.tracker.touchedInside) await this.rewriteAsOneStep();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
  }

  private kick(final: boolean): void {
    this.timer = undefined;
    this.running = this.running.then(() => this.apply(final));
  }

  private async apply(final: boolean): Promise<void> {
    if (this.closed) return;
    if (this.document.isClosed) return this.markClosed();
    const editor = this.liveEditor();
    // Hidden: hold the code (edits outside an editor would each be an undo step).
    if (!editor && !final) return;
    // Hold back one character until the end: the last edit closes the undo step.
    const take = final ? this.pending.length : this.pending.length - 1;
    if (take <= 0) return;
    let text = this.pending.slice(0, take);
    // Never split a CRLF or a surrogate pair between two edits.
    if (!final && (text.endsWith('\r') || /[\uD800-\uDBFF]$/.test(text))) text = text.slice(0, -1);
    if (!text) return;
    const first = !this.appliedText;
    const ok = await this.applyChange(() => this.tracker.nextEdit(text), first, final);
    if (ok) {
      this.pending = this.pending.slice(text.length);
      this.appliedText += text;
    }
  }

  /** Puts the original text back, then writes the whole code: two steps, the last one the insertion. */
  private async rewriteAsOneStep(): Promise<void> {
    // Recomputed on every attempt: the user may type (and move the region) between the two edits.
    const replaceRegion = (text: string) => (): TextChange => ({
      offset: this.tracker.regionStart,
      removed: this.tracker.regionEnd - this.tracker.regionStart,
      text,
    });
    if (!(await this.applyChange(replaceRegion(this.original), true, true))) return;
    await this.applyChange(replaceRegion(this.appliedText), true, true);
  }

  /** Applies one edit, recomputed and retried while the editor refuses it as stale. */
  private async applyChange(next: () => TextChange, stopBefore: boolean, stopAfter: boolean): Promise<boolean> {
    for (let attempt = 0; attempt < 50; attempt++) {
      if (this.closed) return false;
      if (this.document.isClosed) {
        this.markClosed();
        return false;
      }
      if (await this.applyEdit(next(), stopBefore, stopAfter)) return true;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the editor kept refusing the edit');
  }

  private async applyEdit(edit: TextChange, stopBefore: boolean, stopAfter: boolean): Promise<boolean> {
    const doc = this.document;
    const range = new vscode.Range(doc.positionAt(edit.offset), doc.positionAt(edit.offset + edit.removed));
    this.tracker.expect(edit);
    let ok = false;
    try {
      const editor = this.liveEditor();
      if (editor) {
        // An editor closed meanwhile rejects the edit: then it is retried with the editor found next.
        ok = await editor.edit((b) => b.replace(range, edit.text), { undoStopBefore: stopBefore, undoStopAfter: stopAfter }).then(
          (applied) => applied,
          () => false,
        );
      } else {
        // Only the end of a stream is written while hidden; a workspace edit is its own undo step.
        const we = new vscode.WorkspaceEdit();
        we.replace(doc.uri, range, edit.text);
        ok = await vscode.workspace.applyEdit(we);
        if (ok && !stopBefore) this.split = true;
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
