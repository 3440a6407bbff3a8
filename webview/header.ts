// The conversation bar: switch (dropdown), new, rename (inline field), delete (inline confirm),
// and the attached context cache as a chip with a detach button.
import type { CacheRef, ConversationSummary, ModelInfo } from '../src/chat/protocol';
import { cacheRefName, cacheRefTarget } from '../src/shared/conversation';
import { h, icon, iconButton } from './dom';
import { ui } from './toolkit';
import { t } from './l10n';

export interface HeaderEvents {
  switchTo(id: string): void;
  create(): void;
  rename(id: string, title: string): void;
  remove(id: string): void;
  detachCache(): void;
  selectModel(): void;
}

type Field = HTMLElement & { value: string };

export class Header {
  readonly el: HTMLElement;
  private readonly picker: Field;
  private readonly bar: HTMLElement;
  private readonly chip: HTMLElement;
  private readonly confirm: HTMLElement;
  private readonly model: HTMLElement;
  private readonly modelWarning: HTMLElement;
  private current?: ConversationSummary;

  constructor(private readonly events: HeaderEvents) {
    this.picker = h(ui.dropdown, { id: 'conversation-picker', class: 'conversation-picker', 'aria-label': t('Conversation') }) as Field;
    this.picker.addEventListener('change', () => {
      if (this.picker.value && this.picker.value !== this.current?.id) this.events.switchTo(this.picker.value);
    });
    this.bar = h('div', { class: 'conversation-bar' },
      this.picker,
      iconButton('add', t('New Conversation'), () => this.events.create()),
      iconButton('edit', t('Rename Conversation'), () => this.startRename()),
      iconButton('trash', t('Delete Conversation'), () => this.askDelete()),
    );
    this.confirm = h('div', { class: 'confirm-bar', hidden: true, role: 'alertdialog', 'aria-label': t('Delete conversation') });
    this.chip = h('div', { class: 'cache-chip', hidden: true });
    this.model = h('div', { class: 'model-line', hidden: true });
    this.modelWarning = h('div', { class: 'model-warning', hidden: true, role: 'alert' });
    this.el = h('header', { class: 'header' }, this.bar, this.confirm, this.chip, this.model, this.modelWarning);
  }

  /** The model answers use, and a way out when the configured one is no longer offered. */
  setModel(info: ModelInfo | undefined): void {
    this.model.hidden = !info;
    this.modelWarning.hidden = !info?.unavailable;
    if (!info) return;
    const name = h('span', { class: 'model-name', title: info.id }, info.id);
    const change = iconButton('settings-gear', t('Select Model'), () => this.events.selectModel());
    const parts: Node[] = [icon('sparkle'), name];
    if (info.recommended) parts.push(h('span', { class: 'model-detail', title: t('kimi.model is empty: the recommended model your key can use') }, t('recommended')));
    if (info.detail) parts.push(h('span', { class: 'model-detail' }, info.detail));
    this.model.replaceChildren(...parts, change);
    // The details give way in a narrow side bar; the tooltip keeps them.
    this.model.title = [t('Answers come from {0}', info.id), info.recommended && t('recommended'), info.detail].filter(Boolean).join(' · ');
    if (info.unavailable) {
      const select = h(ui.button, { class: 'select-model' }, t('Select Model'));
      select.addEventListener('click', () => this.events.selectModel());
      this.modelWarning.replaceChildren(icon('warning'), h('span', {}, info.unavailable), select);
    } else {
      this.modelWarning.replaceChildren();
    }
  }

  set(conversations: ConversationSummary[], current: ConversationSummary, cache: CacheRef | undefined): void {
    this.current = current;
    const list = conversations.some((c) => c.id === current.id) ? conversations : [current, ...conversations];
    this.picker.replaceChildren(...list.map((c) => {
      const option = h(ui.option, { value: c.id }, c.title);
      if (c.id === current.id) option.setAttribute('selected', '');
      return option;
    }));
    // The toolkit dropdown settles its selection after its options change: set the value after that.
    queueMicrotask(() => (this.picker.value = current.id));
    this.confirm.hidden = true;
    this.renderChip(cache);
  }

  private renderChip(cache: CacheRef | undefined): void {
    this.chip.hidden = !cache;
    if (!cache) return this.chip.replaceChildren();
    const name = cacheRefName(cache);
    const tag = cache.kind === 'tag';
    this.chip.replaceChildren(
      icon(cache.kind === 'tag' ? 'tag' : 'database'),
      h('span', { class: 'cache-name', title: tag ? t('Answers use context tag {0}', cacheRefTarget(cache)) : t('Answers use context cache {0}', cacheRefTarget(cache)) }, tag ? t('tag: {0}', name) : t('cache: {0}', name)),
      iconButton('close', tag ? t('Detach tag {0}', name) : t('Detach cache {0}', name), () => this.events.detachCache()),
    );
  }

  private startRename(): void {
    const current = this.current;
    if (!current) return;
    const field = h(ui.textField, { class: 'rename-field', 'aria-label': t('Conversation title'), value: current.title }) as Field;
    let done = false;
    const finish = (save: boolean) => {
      if (done) return;
      done = true;
      const title = field.value.replace(/\s+/g, ' ').trim();
      field.replaceWith(this.picker);
      if (save && title && title !== current.title) this.events.rename(current.id, title);
    };
    field.addEventListener('keydown', (e: KeyboardEvent) => {
      if (e.key === 'Enter') finish(true);
      else if (e.key === 'Escape') finish(false);
      else return;
      e.preventDefault();
      e.stopPropagation();
    });
    field.addEventListener('focusout', () => finish(true));
    this.picker.replaceWith(field);
    requestAnimationFrame(() => field.focus());
  }

  private askDelete(): void {
    const current = this.current;
    if (!current) return;
    const yes = h(ui.button, { class: 'confirm-delete' }, t('Delete'));
    const no = h(ui.button, { appearance: 'secondary' }, t('Cancel'));
    yes.addEventListener('click', () => {
      this.confirm.hidden = true;
      this.events.remove(current.id);
    });
    no.addEventListener('click', () => (this.confirm.hidden = true));
    this.confirm.replaceChildren(h('span', {}, t('Delete “{0}”?', current.title)), yes, no);
    this.confirm.hidden = false;
    requestAnimationFrame(() => no.focus());
  }
}
