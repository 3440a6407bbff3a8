// Reading kimi.* settings. The settings that decide where the API key goes (region, baseUrl, proxy)
// are read from user settings only, so a workspace's .vscode/settings.json cannot redirect the key.
import * as vscode from 'vscode';
import { BASE_URLS } from '../kimi/types';
import { hostMatches } from './urls';
import type { ReasoningEffort, ThinkingPreference } from '../kimi/chat-params';

export type Region = keyof typeof BASE_URLS;

/** The two platforms' endpoints. Frozen: no other code (or extension) can redirect the key. */
export const regionUrls: Readonly<Record<Region, string>> = Object.freeze({ ...BASE_URLS });

/** Local servers standing in for both platforms; set only through the Test-mode hooks (src/core/test-hooks.ts). */
let regionOverride: Readonly<Record<Region, string>> | undefined;

export function regionUrl(region: Region): string {
  return (regionOverride ?? regionUrls)[region];
}

/** Test mode only (the caller checks the extension mode): undefined restores the real endpoints. */
export function overrideRegionUrlsForTests(urls: Record<Region, string> | undefined): void {
  regionOverride = urls && Object.freeze({ ...urls });
}

/** The maxima package.json declares; values above them (hand-edited settings) are clamped. */
export const MAX_TOKENS_LIMIT = 131_072;
export const MAX_RETRIES_LIMIT = 5;

/** kimi.thinking: `auto` leaves it to the model; on/off apply only where the model can switch. */
export type ThinkingSetting = ThinkingPreference;
export type { ReasoningEffort };

export interface KimiSettings {
  /** Empty: the recommended available model (see KimiService.resolveModel). */
  model: string;
  /** Unset by default, and then not sent; never sent to fixed-sampling models. */
  temperature?: number;
  /** Unset: a per-model default (large enough for thinking models). */
  maxTokens?: number;
  thinking: ThinkingSetting;
  /** For models that take `reasoning_effort`; unset = the model's default. */
  reasoningEffort?: ReasoningEffort;
  maxRetries: number;
  requestTimeoutMs: number;
}

export interface ConnectionSettings {
  region: Region;
  /** The endpoint the key is sent to. */
  baseUrl: string;
  /** True when kimi.baseUrl overrides the region. */
  customBaseUrl: boolean;
  /** Undefined: the client falls back to HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  proxy?: string;
}

/** The value from user (global) settings or the default; workspace and folder values are ignored. */
export function userSetting<T>(section: string, key: string): T | undefined {
  const inspected = vscode.workspace.getConfiguration(section).inspect<T>(key);
  if (!inspected) return undefined;
  return inspected.globalValue !== undefined ? inspected.globalValue : inspected.defaultValue;
}

export function readSettings(): KimiSettings {
  const c = vscode.workspace.getConfiguration('kimi');
  const temperature = c.get<number | null>('temperature', null);
  const maxTokens = c.get<number | null>('maxTokens', null);
  const thinking = c.get<string>('thinking', 'auto');
  const effort = c.get<string>('reasoningEffort', '');
  return {
    model: (c.get<string>('model', '') ?? '').trim(),
    ...(typeof temperature === 'number' ? { temperature } : {}),
    ...(typeof maxTokens === 'number' && maxTokens >= 1 ? { maxTokens: Math.min(MAX_TOKENS_LIMIT, Math.floor(maxTokens)) } : {}),
    thinking: thinking === 'on' || thinking === 'off' ? thinking : 'auto',
    ...(effort === 'low' || effort === 'medium' || effort === 'high' ? { reasoningEffort: effort } : {}),
    maxRetries: Math.min(MAX_RETRIES_LIMIT, Math.max(0, Math.floor(c.get<number>('maxRetries', 2) ?? 2))),
    requestTimeoutMs: Math.min(600, positiveInt(c.get<number>('requestTimeout'), 60)) * 1000,
  };
}

export function readConnection(): ConnectionSettings {
  const region: Region = userSetting<string>('kimi', 'region') === 'international' ? 'international' : 'china';
  const custom = (userSetting<string>('kimi', 'baseUrl') ?? '').trim();
  const baseUrl = custom || regionUrl(region);
  const own = (userSetting<string>('kimi', 'proxy') ?? '').trim();
  let proxy: string | undefined = own || undefined;
  if (!proxy) {
    // VS Code's own proxy settings, honouring its no-proxy list for the API host.
    const editorProxy = (userSetting<string>('http', 'proxy') ?? '').trim();
    const noProxy = userSetting<string[]>('http', 'noProxy') ?? [];
    if (editorProxy && !hostMatches(baseUrl, noProxy)) proxy = editorProxy;
  }
  return { region, baseUrl, customBaseUrl: custom !== '', ...(proxy ? { proxy } : {}) };
}

/** A fingerprint of everything the client is built from, to know when to rebuild it. */
export function connectionKey(c: ConnectionSettings, s: KimiSettings): string {
  return JSON.stringify([c.baseUrl, c.proxy ?? '', s.maxRetries, s.requestTimeoutMs]);
}

function positiveInt(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}
