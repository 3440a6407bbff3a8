// Create Context Cache: what to cache, then name → description → time to live in one multi-step
// input, the token count, a confirmation, and the request.
import * as vscode from 'vscode';
import { modelFacts } from '../kimi';
import { CACHE_MODEL_FAMILY, MAX_CACHE_TTL_SECONDS, type ContextCache } from '../kimi/types';
import { dialogs } from '../core/dialogs';
import { askInSteps } from '../core/input-steps';
import { withProgress } from '../core/progress';
import type { KimiService } from '../core/service';
import { formatTokens } from '../shared/format';
import { formatDuration, validateTtl } from './format';
import type { CacheModel } from './model';
import { saidUnavailable, showCachesView } from './notices';
import { type CacheSource, sourceFrom } from './source';

/** The model used to count a new cache's tokens when the model list cannot be read. */
const COUNT_MODEL = `${CACHE_MODEL_FAMILY}-128k`;
const MAX_CACHE_TOKENS = 128 * 1024;
const t = vscode.l10n.t;

export class CacheCreation {
  constructor(
    private readonly kimi: KimiService,
    private readonly model: CacheModel,
  ) {}

  /** `arg`: `{messages, name?}`, Explorer files, or nothing (the selection or the active document). */
  async run(arg?: unknown): Promise<ContextCache | undefined> {
    let source: CacheSource | undefined;
    try {
      source = await sourceFrom(arg);
    } catch (e) {
      this.kimi.showError(e, t('Could not read the files for the cache'));
      return undefined;
    }
    if (!source) {
      void dialogs.info(t('Open a file or select text (or choose files in the Explorer) to create a context cache from.'));
      return undefined;
    }
    const client = await this.kimi.requireClient();
    if (saidUnavailable(this.model)) return undefined;
    const models = await this.cacheModels();
    if (models && models.length === 0) {
      void dialogs.info(
        t('None of the models this account lists can use explicit context caches (only the {0} family could). Today\'s Kimi models cache repeated prompts automatically.', CACHE_MODEL_FAMILY),
      );
      return undefined;
    }
    const answers = await askInSteps(cacheSteps(source.name));
    if (!answers) return undefined;
    const [name, description, ttlText] = answers;
    const ttl = Number(ttlText.trim());

    let tokens: number;
    try {
      tokens = await withProgress(t('Counting tokens…'), (signal) => client.countTokens(models?.[0] ?? COUNT_MODEL, source.messages, { signal }));
    } catch (e) {
      this.kimi.showError(e, t('Could not count the cache\'s tokens'));
      return undefined;
    }
    if (tokens > MAX_CACHE_TOKENS) {
      void dialogs.error(t('This content has {0} tokens; a context cache holds at most {1}. Select less text or fewer files.', formatTokens(tokens), formatTokens(MAX_CACHE_TOKENS)));
      return undefined;
    }
    const usableBy = models?.length ? models.join(', ') : `${CACHE_MODEL_FAMILY}-8k, -32k, -128k`;
    const create = t('Create Cache');
    const ok = await dialogs.question(
      t('Create a context cache of {0} tokens?', formatTokens(tokens)),
      t('Usable by {0} (explicit caches exist only for the {1} family; other Kimi models cache prompts automatically). Storage is billed while the cache is ready; it expires after {2} unless used.', usableBy, CACHE_MODEL_FAMILY, formatDuration(ttl, t)),
      create,
    );
    if (!ok) return undefined;
    try {
      const cache = await withProgress(t('Creating context cache…'), (signal) =>
        client.createCache(CACHE_MODEL_FAMILY, source.messages, { ...(name.trim() ? { name: name.trim() } : {}), ...(description.trim() ? { description: description.trim() } : {}), ttl, signal }),
      );
      await Promise.all([showCachesView(), this.model.refresh()]);
      void dialogs.info(t('Context cache "{0}" created ({1}, {2}).', cache.name || cache.id, cache.id, cache.status));
      return cache;
    } catch (e) {
      this.kimi.showError(e, t('Could not create the context cache'), () => this.run(arg));
      return undefined;
    }
  }

  /** The listed models that can use an explicit cache, largest window first; undefined when unknown. */
  private async cacheModels(): Promise<string[] | undefined> {
    try {
      const listed = await this.kimi.listModels();
      return listed
        .map((m) => modelFacts(m.id, m))
        // Vision models can use a cache but not create one.
        .filter((f) => f.explicitCaches && !f.vision)
        .sort((a, b) => b.contextWindow - a.contextWindow)
        .map((f) => f.id);
    } catch (e) {
      this.kimi.log.warn(`Could not list the models for a new cache: ${String(e)}`);
      return undefined;
    }
  }
}

function cacheSteps(suggestedName: string): vscode.InputBoxOptions[] {
  return [
    {
      title: t('Create Context Cache: name'),
      value: suggestedName,
      prompt: t('A name to recognise the cache by (optional, up to 256 characters).'),
      validateInput: (v) => (v.length > 256 ? t('At most 256 characters.') : undefined),
    },
    {
      title: t('Create Context Cache: description'),
      prompt: t('What the cache holds (optional, up to 512 characters).'),
      validateInput: (v) => (v.length > 512 ? t('At most 512 characters.') : undefined),
    },
    {
      title: t('Create Context Cache: time to live'),
      value: String(MAX_CACHE_TTL_SECONDS),
      prompt: t('Seconds until the cache expires (1–{0}). Each use can extend it.', MAX_CACHE_TTL_SECONDS),
      validateInput: (v) => validateTtl(v, t),
    },
  ];
}
