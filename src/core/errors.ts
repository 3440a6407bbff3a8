// Turns any failure into one sentence for the user plus the next steps that can fix it.
import * as vscode from 'vscode';
import {
  InvokeAuthorizationError,
  InvokeBadRequestError,
  InvokeConnectionError,
  InvokeError,
  InvokeRateLimitError,
  InvokeServerUnavailableError,
  InvokeTimeoutError,
  isAbortError,
  isQuotaError,
} from '../kimi';
import { causeText, SecretStorageError } from './key';

export type ErrorAction = 'setApiKey' | 'retry' | 'showLog' | 'selectModel';

export interface ErrorDescription {
  message: string;
  actions: ErrorAction[];
}

export class NoApiKeyError extends Error {
  constructor() {
    super(vscode.l10n.t('No Kimi API key is set. Run "Kimi: Set API Key" or set the MOONSHOT_API_KEY environment variable.'));
    this.name = 'NoApiKeyError';
  }
}

/** The user did not allow sending the key over plain http to another machine. */
export class InsecureEndpointError extends Error {
  constructor(readonly url: string) {
    super(vscode.l10n.t('Not sent: kimi.baseUrl ({0}) is plain http to another machine and you did not allow sending the API key to it unencrypted. Use an https:// URL, or reload the window to be asked again.', url));
    this.name = 'InsecureEndpointError';
  }
}

export function describeError(err: unknown): ErrorDescription {
  if (err instanceof NoApiKeyError) return { message: err.message, actions: ['setApiKey'] };
  if (err instanceof InsecureEndpointError) return { message: err.message, actions: [] };
  if (err instanceof SecretStorageError) {
    return {
      message: vscode.l10n.t(
        '{0}. On Linux this usually means no keyring (GNOME Keyring, KWallet) is running or unlocked: start or unlock one, or set the MOONSHOT_API_KEY environment variable before starting VS Code.',
        err.message,
      ),
      actions: ['showLog'],
    };
  }
  if (!(err instanceof InvokeError)) {
    if (isCancellation(err)) return { message: vscode.l10n.t('Cancelled.'), actions: [] };
    return { message: causeText(err), actions: ['showLog'] };
  }
  const api = withRequestId(err.message, err.requestId);
  if (isQuotaError(err)) {
    return { message: vscode.l10n.t('{0} — your Moonshot balance or quota is used up; top up on the platform console.', api), actions: ['showLog'] };
  }
  if (err instanceof InvokeAuthorizationError) {
    if (err.status === 401) {
      return {
        message: vscode.l10n.t('{0} — the API key was refused. Keys from platform.moonshot.cn and platform.moonshot.ai are separate: check the key and the kimi.region setting.', api),
        actions: ['setApiKey', 'showLog'],
      };
    }
    return { message: vscode.l10n.t('{0} — this key is not allowed to do that.', api), actions: ['setApiKey', 'showLog'] };
  }
  if (err instanceof InvokeRateLimitError) {
    const wait = err.retryAfter !== undefined ? vscode.l10n.t('wait {0} s and retry', Math.ceil(err.retryAfter)) : vscode.l10n.t('wait a moment and retry');
    return { message: vscode.l10n.t('{0} — rate limit reached: {1}.', api, wait), actions: ['retry', 'showLog'] };
  }
  if (err instanceof InvokeTimeoutError) {
    return { message: vscode.l10n.t('{0} — the server did not answer in time (kimi.requestTimeout).', api), actions: ['retry', 'showLog'] };
  }
  if (err instanceof InvokeConnectionError) {
    return { message: vscode.l10n.t('{0} — check your network and proxy settings (kimi.proxy, http.proxy).', api), actions: ['retry', 'showLog'] };
  }
  if (err instanceof InvokeServerUnavailableError) {
    return { message: vscode.l10n.t('{0} — the Kimi service is unavailable right now; retry later.', api), actions: ['retry', 'showLog'] };
  }
  if (err instanceof InvokeBadRequestError && /model/i.test(err.message) && (err.status === 404 || /not found/i.test(err.message))) {
    return { message: vscode.l10n.t('{0} — choose another model.', api), actions: ['selectModel', 'showLog'] };
  }
  return { message: api, actions: ['showLog'] };
}

function withRequestId(message: string, requestId: string | undefined): string {
  return requestId ? `${message} (request ${requestId})` : message;
}

/** The user cancelled (an aborted request, VS Code's CancellationError): nothing to report. */
export function isCancellation(e: unknown): boolean {
  return isAbortError(e) || e instanceof vscode.CancellationError;
}

/** True for "this cache/tag no longer exists" answers. */
export function isNotFound(e: unknown): boolean {
  return e instanceof InvokeError && e.status === 404;
}
