// Failures as VS Code's language-model errors, so callers (the Chat view, other extensions) can
// branch on `code`, with the extension's own messages and next steps.
import * as vscode from 'vscode';
import { describeError, NoApiKeyError } from '../core/errors';
import { InvokeAuthorizationError, InvokeBadRequestError, InvokeRateLimitError } from '../kimi';
import { MalformedToolCallError } from './answer';
import { UnsupportedInputError } from './messages';

export function languageModelError(e: unknown): Error {
  if (e instanceof vscode.LanguageModelError) return e;
  // Already clear and Kimi-specific.
  if (e instanceof UnsupportedInputError || e instanceof MalformedToolCallError) return e;
  const message = `Kimi: ${describeError(e).message}`;
  if (e instanceof NoApiKeyError || e instanceof InvokeAuthorizationError) return vscode.LanguageModelError.NoPermissions(message);
  if (e instanceof InvokeRateLimitError) return vscode.LanguageModelError.Blocked(message);
  if (e instanceof InvokeBadRequestError && e.status === 404 && /model/i.test(e.message)) return vscode.LanguageModelError.NotFound(message);
  return new Error(message, { cause: e });
}
