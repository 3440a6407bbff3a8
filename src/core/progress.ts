import * as vscode from 'vscode';

/** What a task may say while it runs (the notification's message line). */
export type ProgressReport = vscode.Progress<{ message?: string; increment?: number }>;

/** A cancellable notification progress; the task gets an AbortSignal tied to Cancel, and the reporter. */
export function withProgress<T>(title: string, task: (signal: AbortSignal, progress: ProgressReport) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const cancelled = token.onCancellationRequested(() => controller.abort());
      try {
        return await task(controller.signal, progress);
      } finally {
        cancelled.dispose();
      }
    }),
  );
}
