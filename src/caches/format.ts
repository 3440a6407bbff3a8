// Pure text for caches and tags (no vscode import, so plain-Node unit tests cover it).
import type { ContextCache } from '../kimi/types';
import { MAX_CACHE_TTL_SECONDS } from '../kimi/types';
import { formatTokens, plainTranslate, type Translate } from '../shared/format';

/** "42 min", "1 h 5 min", "30 s". Minutes are rounded, so 599 s left reads "10 min" as when it was set. */
export function formatDuration(seconds: number, t: Translate = plainTranslate): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('{0} s', s);
  const minutes = Math.round(s / 60);
  if (minutes < 60) return t('{0} min', minutes);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? t('{0} h {1} min', hours, rest) : t('{0} h', hours);
}

/** "expires in 42 min" / "expired 3 min ago"; empty when the cache has no expiry. */
export function formatExpiry(expiredAt: number | undefined, nowMs: number, t: Translate = plainTranslate): string {
  if (!expiredAt) return '';
  const left = expiredAt - nowMs / 1000;
  return left > 0 ? t('expires in {0}', formatDuration(left, t)) : t('expired {0} ago', formatDuration(-left, t));
}

/** The tree row's description: "ready · 12,345 tokens · expires in 42 min". */
export function describeCache(cache: ContextCache, nowMs: number, t: Translate = plainTranslate): string {
  const parts: string[] = [cache.status];
  if (typeof cache.tokens === 'number') parts.push(t('{0} tokens', formatTokens(cache.tokens)));
  const expiry = formatExpiry(cache.expired_at, nowMs, t);
  if (expiry) parts.push(expiry);
  return parts.join(' · ');
}

/** True when the cache can no longer be used without re-enabling it. */
export function isExpired(cache: ContextCache, nowMs: number): boolean {
  return cache.status === 'inactive' || cache.status === 'expired' || (cache.expired_at !== undefined && cache.expired_at * 1000 <= nowMs);
}

/** Validation message for a TTL typed by the user, or undefined when it is valid. */
export function validateTtl(value: string, t: Translate = plainTranslate): string | undefined {
  const v = value.trim();
  if (!/^\d+$/.test(v)) return t('Enter a whole number of seconds, from 1 to {0}.', MAX_CACHE_TTL_SECONDS);
  const n = Number(v);
  if (n < 1) return t('The TTL must be at least 1 second.');
  if (n > MAX_CACHE_TTL_SECONDS) return t('The API allows at most {0} seconds ({1}).', MAX_CACHE_TTL_SECONDS, formatDuration(MAX_CACHE_TTL_SECONDS, t));
  return undefined;
}

/** Tag names: 1–128 characters, a letter first, then letters, digits, "_", "-" or ".". */
export function validateTagName(value: string, t: Translate = plainTranslate): string | undefined {
  const v = value.trim();
  if (!v) return t('Enter a tag name.');
  if (v.length > 128) return t('A tag name has at most 128 characters.');
  if (!/^[A-Za-z]/.test(v)) return t('A tag name starts with a letter.');
  const bad = /[^A-Za-z0-9_.-]/.exec(v);
  if (bad) return t('"{0}" is not allowed in a tag name: use letters, digits, "_", "-" and ".".', bad[0]);
  return undefined;
}

/** Parses a JSON object of strings: the form for values with commas or "=". */
function parseMetadataJson(value: string, t: Translate): { metadata: Record<string, string> } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    return { error: t('Not valid JSON: {0}', e instanceof Error ? e.message : String(e)) };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: t('Write a JSON object, e.g. {"team": "a, b"}.') };
  const entries = Object.entries(parsed);
  const bad = entries.find(([, v]) => typeof v !== 'string');
  if (bad) return { error: t('The value of "{0}" must be a string.', bad[0]) };
  return checkMetadata(entries as Array<[string, string]>, t);
}

function checkMetadata(entries: Array<[string, string]>, t: Translate): { metadata: Record<string, string> } | { error: string } {
  if (entries.length > 16) return { error: t('At most 16 metadata entries are allowed.') };
  const metadata: Record<string, string> = {};
  for (const [key, val] of entries) {
    if (!key) return { error: t('A metadata key cannot be empty.') };
    if ([...key].length > 64) return { error: t('Metadata key "{0}" is longer than 64 characters.', key) };
    if ([...val].length > 512) return { error: t('The value of "{0}" is longer than 512 characters.', key) };
    metadata[key] = val;
  }
  return { metadata };
}

/**
 * Parses "key=value, other=value" metadata, or a JSON object (for values containing commas);
 * returns an error message instead when invalid.
 */
export function parseMetadata(value: string, t: Translate = plainTranslate): { metadata: Record<string, string> } | { error: string } {
  if (value.trim().startsWith('{')) return parseMetadataJson(value.trim(), t);
  const metadata: Record<string, string> = {};
  const pairs = value.split(/[,\n]/).map((p) => p.trim()).filter(Boolean);
  if (pairs.length > 16) return { error: t('At most 16 metadata entries are allowed.') };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return { error: t('Write each entry as key=value (got "{0}").', pair) };
    const key = pair.slice(0, eq).trim();
    const val = pair.slice(eq + 1).trim();
    if (!key) return { error: t('A metadata key cannot be empty.') };
    if ([...key].length > 64) return { error: t('Metadata key "{0}" is longer than 64 characters.', key) };
    if ([...val].length > 512) return { error: t('The value of "{0}" is longer than 512 characters.', key) };
    metadata[key] = val;
  }
  return { metadata };
}

/** The metadata as the edit box shows it: key=value pairs, or JSON when a pair would not read back. */
export function formatMetadataForEdit(metadata: Record<string, string> | null | undefined): string {
  const entries = Object.entries(metadata ?? {});
  const plain = entries.every(([k, v]) => !/[,=\n]/.test(k) && !/[,\n]/.test(v) && k.trim() === k && v.trim() === v && !k.startsWith('{'));
  return plain ? formatMetadata(metadata) : JSON.stringify(metadata);
}

export function formatMetadata(metadata: Record<string, string> | null | undefined): string {
  return Object.entries(metadata ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}
