// Streams the code of an answer straight into a document (see EditQueue), with a progress
// notification: "Thinking… 12 s" while a thinking model reasons, then the characters written; Cancel.
// Only the answer's first code block goes in: reasoning never reaches the document.
import * as vscode from 'vscode';
import type { KimiService } from '../core/service';
import { chatParams, modelFacts } from '../kimi';
import type { ChatMessage } from '../kimi/types';
import { ChatRun } from '../shared/answer-run';
import { CodeExtractor } from './code-extractor';
import { EditQueue } from './edit-queue';

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
  /** Sees every progress message shown (the test API relays them). */
  onProgress?(message: string): void;
}

export interface StreamEditResult {
  outcome: 'done' | 'cancelled' | 'noCode' | 'error';
  /** Why it was cancelled: the user (Cancel) or the document being closed. */
  cancelledBy?: 'user' | 'close';
  /** The answer ended at max_tokens (a thinking model may spend it all on reasoning). */
  cutOff?: boolean;
  inserted: string;
  answer: string;
  error?: unknown;
}

const THINKING_TICK_MS = 1000;

export async function streamIntoEditor(o: StreamEditOptions): Promise<StreamEditResult> {
  const client = await o.kimi.requireClient();
  const queue = new EditQueue(o.editor, o.range);
  const extractor = new CodeExtractor();
  let answer = '';
  let inserted = '';
  let progress: vscode.Progress<{ message?: string }> | undefined;
  let lastReport = 0;
  const show = (message: string): void => {
    lastReport = Date.now();
    progress?.report({ message });
    o.onProgress?.(message);
  };
  const report = (message: string): void => {
    if (Date.now() - lastReport >= 250) show(message);
  };
  // "Thinking… 12 s", counting while the model reasons and nothing of the answer has arrived.
  let thinkingSince: number | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const showThinking = (): void => show(vscode.l10n.t('Thinking… {0} s', Math.floor((Date.now() - (thinkingSince ?? Date.now())) / 1000)));
  const stopThinking = (): void => {
    if (ticker) clearInterval(ticker);
    ticker = undefined;
  };
  const push = (code: string): void => {
    if (!code) return;
    inserted += code;
    queue.push(code);
    report(vscode.l10n.t('{0} characters', inserted.length));
  };
  const settings = o.kimi.settings();
  // A thinking model spends part of max_tokens reasoning, and a fixed-sampling one rejects
  // temperature: the model's own rules decide what is sent (a max_tokens the user set still wins).
  const userMaxTokens = vscode.workspace.getConfiguration('kimi').inspect<number>('maxTokens');
  const explicitMax = userMaxTokens?.globalValue ?? userMaxTokens?.workspaceValue ?? userMaxTokens?.workspaceFolderValue;
  const params = chatParams(modelFacts(settings.model), {
    thinking: 'auto',
    ...(explicitMax !== undefined ? { maxTokens: settings.maxTokens } : {}),
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
  });
  const run = new ChatRun({
    client,
    model: settings.model,
    messages: o.messages,
    maxTokens: params.max_tokens ?? settings.maxTokens,
    ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
    onText: (text) => {
      stopThinking();
      answer += text;
      push(extractor.push(text));
      // Everything after the code block is prose we would drop anyway: stop paying for it.
      if (extractor.done) run.stop();
    },
    // The reasoning itself is never kept: only its duration is shown.
    onReasoning: () => {
      if (thinkingSince !== undefined || answer) return;
      thinkingSince = Date.now();
      showThinking();
      ticker = setInterval(showThinking, THINKING_TICK_MS);
    },
  });
  let cancelledBy: 'user' | 'close' | undefined;
  const cancel = (by: 'user' | 'close'): void => {
    cancelledBy ??= by;
    run.stop();
  };
  // Later batches would land at stale offsets of a reopened document: stop the request now.
  queue.onClosed = () => cancel('close');
  const closing = vscode.workspace.onDidCloseTextDocument((doc) => {
    if (doc === queue.document) queue.markClosed();
  });
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: o.title, cancellable: true },
      async (shown, token) => {
        progress = shown;
        const subs = [token.onCancellationRequested(() => cancel('user')), o.cancel?.onCancellationRequested(() => cancel('user'))];
        if (o.cancel?.isCancellationRequested) cancel('user');
        try {
          let error: unknown;
          let cutOff = false;
          try {
            cutOff = (await run.start()).finishReason === 'length';
          } catch (e) {
            error = e;
          }
          stopThinking();
          push(extractor.finish());
          if (o.endWithNewline && inserted && !inserted.endsWith('\n')) push('\n');
          await queue.finish();
          const base = { inserted, answer, ...(cutOff ? { cutOff } : {}) };
          if (cancelledBy) return { outcome: 'cancelled', cancelledBy, ...base };
          if (error !== undefined) return { outcome: 'error', error, ...base };
          if (!extractor.foundCode) return { outcome: 'noCode', ...base };
          return { outcome: 'done', ...base };
        } finally {
          for (const s of subs) s?.dispose();
        }
      },
    );
  } finally {
    stopThinking();
    closing.dispose();
    queue.dispose();
  }
}
