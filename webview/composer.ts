// The question box: Enter sends, Shift+Enter adds a line, Esc stops (or leaves edit mode); a
// Send/Stop button, the model picker, and the draft's token count from the host.
import type { ModelOption } from '../src/chat/protocol';
import { h, icon } from './dom';
import { ui } from './toolkit';
import { t } from './l10n';

export interface ComposerEvents {
  send(text: string): void;
  editLast(text: string): void;
  stop(): void;
  draft(text: string): void;
  selectModel(model: string): void;
  setWebSearch(on: boolean): void;
}

/** The built-in search's price per call (the platform's 2026 price list). */
export const WEB_SEARCH_TOOLTIP = t('Web search ($web_search): Kimi may search the web while answering in this conversation. Each search costs $0.005 (¥0.03 on platform.moonshot.cn), and the results count as prompt tokens.');

type Field = HTMLElement & { value: string };

export class Composer {
  readonly el: HTMLElement;
  readonly input: HTMLTextAreaElement;
  private readonly button: HTMLElement;
  private readonly models: Field;
  private readonly tokens: HTMLElement;
  private readonly editBanner: HTMLElement;
  private readonly search: HTMLElement;
  private webSearch = false;
  private streaming = false;
  private editing = false;
  private model = '';
  private draftTimer = 0;

  constructor(private readonly events: ComposerEvents) {
    this.input = h('textarea', {
      id: 'prompt', class: 'prompt', rows: '1', 'aria-label': t('Ask Kimi'),
      placeholder: t('Ask Kimi… (Enter to send, Shift+Enter for a new line)'),
    });
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('input', () => this.onInput());
    this.button = h(ui.button, { id: 'send', class: 'send', 'aria-label': t('Send') });
    this.button.addEventListener('click', () => (this.streaming ? this.events.stop() : this.submit()));
    this.models = h(ui.dropdown, { id: 'model-picker', class: 'model-picker', 'aria-label': t('Model') }) as Field;
    this.models.addEventListener('change', () => {
      if (this.models.value && this.models.value !== this.model) {
        this.model = this.models.value;
        this.models.title = this.model;
        this.events.selectModel(this.model);
      }
    });
    this.tokens = h('span', { class: 'draft-tokens', 'aria-live': 'polite' });
    this.search = h(ui.button, { id: 'web-search', class: 'web-search-toggle', appearance: 'icon', 'aria-label': t('Web search'), title: WEB_SEARCH_TOOLTIP, 'aria-pressed': 'false' }, icon('globe'));
    this.search.addEventListener('click', () => {
      this.setWebSearch(!this.webSearch);
      this.events.setWebSearch(this.webSearch);
    });
    const cancelEdit = h(ui.button, { appearance: 'icon', 'aria-label': t('Cancel editing'), title: t('Cancel editing') }, icon('close'));
    cancelEdit.addEventListener('click', () => this.cancelEdit());
    this.editBanner = h('div', { class: 'edit-banner', hidden: true }, icon('edit'), h('span', {}, t('Editing your last question: Enter resends it')), cancelEdit);
    this.el = h('footer', { class: 'composer' },
      this.editBanner,
      this.input,
      h('div', { class: 'composer-bar' }, this.models, this.search, this.tokens, this.button),
    );
    this.setStreaming(false);
  }

  setStreaming(on: boolean): void {
    this.streaming = on;
    this.button.replaceChildren(icon(on ? 'debug-stop' : 'send'), h('span', { class: 'send-label' }, on ? t('Stop') : t('Send')));
    this.button.setAttribute('aria-label', on ? t('Stop the answer (Esc)') : t('Send (Enter)'));
    this.button.setAttribute('title', on ? t('Stop (Esc)') : t('Send (Enter)'));
    this.button.toggleAttribute('data-streaming', on);
  }

  /** Shows whether `$web_search` is offered (from the host's state, or after a click). */
  setWebSearch(on: boolean): void {
    this.webSearch = on;
    this.search.setAttribute('aria-pressed', String(on));
    this.search.toggleAttribute('data-on', on);
  }

  get isStreaming(): boolean {
    return this.streaming;
  }

  setModels(models: ModelOption[], current: string): void {
    this.model = current;
    // A narrow side bar cuts the name in the box: the tooltip shows it whole.
    this.models.title = current;
    const list = models.some((m) => m.id === current) || !current ? models : [{ id: current }, ...models];
    this.models.replaceChildren(...list.map((m) => {
      const option = h(ui.option, { value: m.id, title: m.detail }, m.id);
      if (m.id === current) option.setAttribute('selected', '');
      return option;
    }));
    queueMicrotask(() => (this.models.value = current));
  }

  /** `estimated`: a local estimate (shown with ≈), and why. */
  setDraftTokens(count: number | null, contextLength?: number, estimated?: string): void {
    if (count === null || !this.input.value.trim()) {
      this.tokens.textContent = '';
      return;
    }
    const n = `${estimated ? '≈' : ''}${count.toLocaleString()}`;
    this.tokens.textContent = contextLength ? t('{0} / {1} tokens', n, formatK(contextLength)) : t('{0} tokens', n);
    this.tokens.title = estimated ?? t('Tokens this question will use, with the conversation so far');
  }

  /** Replaces the text (e.g. another conversation's draft) without posting it back. */
  setText(text: string): void {
    this.input.value = text;
    this.resize();
    if (!text) this.tokens.textContent = '';
  }

  /** Puts the last question in the box; sending it replaces that question and its answer. */
  startEdit(text: string): void {
    this.editing = true;
    this.editBanner.hidden = false;
    this.setText(text);
    this.input.focus();
    this.input.setSelectionRange(text.length, text.length);
  }

  cancelEdit(): void {
    if (!this.editing) return;
    this.editing = false;
    this.editBanner.hidden = true;
    this.setText('');
    this.events.draft('');
  }

  focus(): void {
    this.input.focus();
  }

  private onKey(e: KeyboardEvent): void {
    // IME composition: Enter picks a candidate, it does not send.
    if (e.isComposing || e.keyCode === 229) return;
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      if (!this.streaming) this.submit();
    } else if (e.key === 'Escape' && this.editing && !this.streaming) {
      e.preventDefault();
      e.stopPropagation();
      this.cancelEdit();
    }
  }

  private onInput(): void {
    this.resize();
    if (!this.input.value.trim()) this.tokens.textContent = '';
    clearTimeout(this.draftTimer);
    this.draftTimer = window.setTimeout(() => this.events.draft(this.input.value), 250);
  }

  private submit(): void {
    const text = this.input.value;
    if (!text.trim() || this.streaming) return;
    clearTimeout(this.draftTimer);
    if (this.editing) this.events.editLast(text);
    else this.events.send(text);
    this.editing = false;
    this.editBanner.hidden = true;
    this.setText('');
  }

  private resize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight + 2, 240)}px`;
  }
}

function formatK(n: number): string {
  return n >= 1000 ? `${Math.round(n / 1024)}K` : String(n);
}
