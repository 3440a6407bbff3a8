// What the token counts (status bar, chat draft) may send to the API, free of vscode so unit tests
// run it. Anything that looks secret is counted locally instead; the caller shows why.

/** Why a text is estimated locally instead of being sent to the API for counting. */
export type LocalReason =
  | 'untrusted' // Restricted Mode: nothing is sent automatically
  | 'scheme' // not a file on disk or an untitled document (settings, git views, virtual files…)
  | 'secretFile' // the file name looks like keys or credentials
  | 'excluded' // files.exclude or kimi.tokenCount.exclude
  | 'secretText' // the text contains something key-shaped
  | 'tooLong'
  | 'failed';

/** Base names of files that usually hold keys or credentials (matched case-insensitively). */
const SECRET_FILES: RegExp[] = [
  /^\.env(\..*)?$/,
  /\.env$/,
  /\.(pem|key|p12|pfx|jks|keystore|kdbx|asc|gpg)$/,
  /^id_(rsa|dsa|ecdsa|ed25519)/,
  /^\.?(npmrc|netrc|pypirc|pgpass|htpasswd|git-credentials|dockercfg)$/,
  /^_netrc$/,
  /^credentials(\..*)?$/,
  /(^|[._-])secrets?(\.[a-z]+)?$/,
  /^service-account.*\.json$/,
];

export function looksLikeSecretFile(path: string): boolean {
  const base = (path.split(/[\\/]/).pop() ?? '').toLowerCase();
  return SECRET_FILES.some((p) => p.test(base));
}

/** Key shapes: API keys (OpenAI/Moonshot sk-…), private-key blocks, AWS, Google, GitHub, Slack tokens. */
const SECRET_TEXT: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{20,}/,
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/,
  /\bAIza[0-9A-Za-z_-]{35}\b/,
  /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/,
];

/** True when the text holds something that looks like a secret, or the user's own key. */
export function containsSecret(text: string, ownKey?: string): boolean {
  if (ownKey && ownKey.length >= 8 && text.includes(ownKey)) return true;
  return SECRET_TEXT.some((p) => p.test(text));
}

export interface DocumentFacts {
  scheme: string;
  path: string;
  trusted: boolean;
  /** Matched by files.exclude or kimi.tokenCount.exclude (the caller matches the globs). */
  excluded: boolean;
}

/** Why a document's text must stay local, judged before reading the text; undefined: it may be sent. */
export function documentReason(d: DocumentFacts): LocalReason | undefined {
  if (!d.trusted) return 'untrusted';
  if (d.scheme !== 'file' && d.scheme !== 'untitled') return 'scheme';
  if (looksLikeSecretFile(d.path)) return 'secretFile';
  if (d.excluded) return 'excluded';
  return undefined;
}

/**
 * A local token estimate: CJK characters count about one token each, other text about four
 * characters per token (the Moonshot tokenizer's rough ratios; the API's count is exact).
 */
/** Characters per token for the local estimate of non-CJK text. */
export const CHARS_PER_TOKEN_ESTIMATE = 4;

export function estimateTokens(text: string): number {
  if (!text) return 0;
  const cjk = text.match(/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/g)?.length ?? 0;
  return cjk + Math.ceil((text.length - cjk) / CHARS_PER_TOKEN_ESTIMATE);
}
