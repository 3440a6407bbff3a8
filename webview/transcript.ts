// The conversation as a screen-reader friendly log: user turns as plain text, assistant turns as
// Markdown streamed through the renderer, each with its status, next steps and token usage.
import type { Conversation, ErrorAction, Turn } from '../src/chat/protocol';
import { decorateCodeBlocks } from './code-blocks';
import { h, icon } from './dom';
import { renderMarkdown } from './markdown';
import { firstShown, OlderTurns } from './older-turns';
import { createStreamRenderer, type StreamRenderer } from './stream-renderer';
import { ThinkingSection } from './thinking';
import { ui } from './toolkit';
import { renderUsage } from './usage';
import { t } from './l10n';

const ACTION_LABELS: Record<ErrorAction, string> = {
  setApiKey: t('Set API Key'),
  retry: t('Retry'),
  showLog: t('Show Log'),
  selectModel: t('Select Model'),
  detachCache: t('Detach Cache'),
};

export interface TranscriptEvents {
  regenerate(): void;
  editLast(text: string): void;
  continueLast(): void;
  action(action: ErrorAction): void;
}

interface LiveTurn {
  renderer: StreamRenderer;
  text: string;
  thinking?: ThinkingSection;
}

export class Transcript {
  /** The scroll container, role="log". */
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly live = new Map<string, LiveTurn>();
  private turns: Turn[] = [];
  private stickToBottom = true;
  private readonly older = new OlderTurns<Turn>((turn) => this.renderTurn(turn), (articles) => this.prepend(articles));

  constructor(private readonly events: TranscriptEvents) {
    this.list = h('div', { class: 'transcript-turns' });
    this.el = h('main', { id: 'transcript', class: 'transcript', role: 'log', 'aria-label': t('Conversation with Kimi'), tabindex: '0' }, this.list);
    // Follow the answer only while the reader is at the bottom; scrolling up stops following.
    this.el.addEventListener('scroll', () => {
      this.stickToBottom = this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight < 24;
    });
    new ResizeObserver(() => this.followIfAtBottom()).observe(this.list);
  }

  get isAtBottom(): boolean {
    return this.stickToBottom;
  }

  /**
   * Shows a whole conversation (on load, switch, or after the host changed its turns): the last turns
   * at once, the older ones above them in idle moments, so a long conversation opens at its end fast.
   */
  show(conversation: Conversation): void {
    // The old elements go: stop their Thinking clocks and the rendering of older turns.
    for (const live of this.live.values()) live.thinking?.done(undefined);
    this.live.clear();
    this.older.cancel();
    this.turns = [...conversation.turns];
    const first = firstShown(this.turns);
    this.list.replaceChildren(...this.turns.slice(first).map((t) => this.renderTurn(t)));
    if (!this.turns.length) this.list.append(welcome());
    this.refreshActions();
    this.stickToBottom = true;
    this.el.scrollTop = this.el.scrollHeight;
    this.older.start(this.turns.slice(0, first));
  }

  /** Puts older turns above the shown ones, keeping what the reader sees where it is. */
  private prepend(articles: HTMLElement[]): void {
    const fromBottom = this.el.scrollHeight - this.el.scrollTop;
    this.list.prepend(...articles);
    this.el.scrollTop = this.el.scrollHeight - fromBottom;
  }

  turnStart(user: Turn | undefined, assistant: Turn): void {
    this.list.querySelector('.welcome')?.remove();
    const index = this.turns.findIndex((t) => t.id === assistant.id);
    const shown = this.articleOf(assistant.id);
    if (index >= 0 && shown) {
      // Continue: the same answer streams on from where it was cut off.
      this.turns[index] = assistant;
      shown.replaceWith(this.renderTurn(assistant));
      this.refreshActions();
      this.followIfAtBottom();
      return;
    }
    for (const turn of user ? [user, assistant] : [assistant]) {
      this.turns.push(turn);
      this.list.append(this.renderTurn(turn));
    }
    // Sending a question scrolls to it, wherever the reader was.
    if (user) this.stickToBottom = true;
    this.refreshActions();
    this.followIfAtBottom();
  }

  delta(turnId: string, text: string): void {
    const live = this.live.get(turnId);
    if (!live) return;
    live.thinking?.answerStarted();
    live.text += text;
    live.renderer.push(text);
  }

  reasoning(turnId: string, text: string): void {
    const live = this.live.get(turnId);
    const article = this.articleOf(turnId);
    if (!live || !article) return;
    if (!live.thinking) {
      live.thinking = ThinkingSection.live(() => this.followIfAtBottom());
      article.querySelector('.turn-body')!.before(live.thinking.el);
    }
    live.thinking.push(text);
  }

  webSearch(turnId: string, count: number): void {
    const article = this.articleOf(turnId);
    if (!article) return;
    article.querySelector('.web-search')?.remove();
    article.querySelector('.turn-body')!.before(webSearchNote(count, true));
  }

  turnEnd(turn: Turn): void {
    const index = this.turns.findIndex((t) => t.id === turn.id);
    const article = this.articleOf(turn.id);
    if (index < 0 || !article) return;
    this.turns[index] = turn;
    const live = this.live.get(turn.id);
    this.live.delete(turn.id);
    let thinking: ThinkingSection | undefined;
    if (live?.thinking && live.thinking.text === (turn.reasoning ?? '')) {
      live.thinking.done(turn.thinkingMs);
      thinking = live.thinking;
    } else {
      live?.thinking?.done(undefined);
    }
    if (live && live.text === turn.content) {
      live.renderer.finish();
    } else {
      // Deltas were missed (or never came): render the final text as the host has it.
      const body = article.querySelector<HTMLElement>('.turn-body')!;
      body.replaceChildren();
      const renderer = createStreamRenderer(body, { decorate: decorateCodeBlocks });
      renderer.push(turn.content);
      renderer.finish();
    }
    article.replaceWith(this.renderTurn(turn, article.querySelector<HTMLElement>('.turn-body')!, thinking));
    this.refreshActions();
    this.followIfAtBottom();
  }

  private articleOf(turnId: string): HTMLElement | null {
    return this.list.querySelector<HTMLElement>(`article[data-turn-id="${CSS.escape(turnId)}"]`);
  }

  private renderTurn(turn: Turn, existingBody?: HTMLElement, existingThinking?: ThinkingSection): HTMLElement {
    const isUser = turn.role === 'user';
    const label = isUser ? t('You') : turn.model ? t('Kimi ({0})', turn.model) : 'Kimi';
    const body = existingBody ?? h('div', { class: 'turn-body' });
    let thinking = existingThinking;
    if (!existingBody) {
      if (isUser) body.textContent = turn.content;
      else if (turn.status === 'streaming') thinking = this.startLive(turn, body);
      else body.append(decorated(renderMarkdown(turn.content)));
    }
    if (!isUser && !thinking && turn.reasoning) thinking = ThinkingSection.finished(turn.reasoning, turn.thinkingMs);
    const streaming = turn.status === 'streaming';
    const article = h('article', {
      class: `turn turn-${turn.role}`,
      'data-turn-id': turn.id,
      'data-status': turn.status ?? 'done',
      'aria-label': isUser ? t('Your question') : t('Answer from Kimi'),
      'aria-busy': turn.status === 'streaming' ? 'true' : undefined,
    },
      h('div', { class: 'turn-author' }, icon(isUser ? 'account' : 'sparkle'), h('span', {}, label)),
      turn.webSearches ? webSearchNote(turn.webSearches, streaming) : null,
      thinking?.el,
      !isUser && !streaming && !turn.content.trim() && turn.reasoning ? noAnswerNote(turn) : null,
      body,
      this.renderFooter(turn),
    );
    return article;
  }

  /** Starts rendering a streaming answer (with what it has so far, when Continue reopens it). */
  private startLive(turn: Turn, body: HTMLElement): ThinkingSection | undefined {
    const renderer = createStreamRenderer(body, { decorate: decorateCodeBlocks, onRender: () => this.followIfAtBottom() });
    if (turn.content) renderer.push(turn.content);
    const live: LiveTurn = { renderer, text: turn.content };
    if (turn.reasoning) {
      live.thinking = ThinkingSection.live(() => this.followIfAtBottom(), turn.reasoning);
      if (turn.content) live.thinking.answerStarted();
    }
    this.live.set(turn.id, live);
    return live.thinking;
  }

  private renderFooter(turn: Turn): HTMLElement {
    const footer = h('div', { class: 'turn-footer' });
    if (turn.status === 'stopped') {
      footer.append(h('div', { class: 'turn-status stopped', role: 'status' }, icon('circle-slash'), h('span', {}, t('Stopped'))));
    }
    if (turn.status === 'error' && turn.error) {
      const buttons = turn.error.actions.map((action) => {
        const b = h(ui.button, { appearance: 'secondary', 'data-action': action }, ACTION_LABELS[action]);
        b.addEventListener('click', () => this.events.action(action));
        return b;
      });
      footer.append(h('div', { class: 'turn-status error', role: 'alert' }, icon('error'), h('span', { class: 'error-message' }, turn.error.message), ...buttons));
    }
    if (turn.status === 'done' && turn.finishReason === 'length') {
      footer.append(h('div', { class: 'turn-status cut-off', role: 'status' }, icon('warning'), h('span', {}, t('Cut off at the token limit'))));
    }
    if (turn.usage) footer.append(renderUsage(turn.usage));
    footer.append(h('div', { class: 'turn-actions' }));
    return footer;
  }

  /** Regenerate goes on the last answer, Edit & Resend on the last question, once nothing streams. */
  private refreshActions(): void {
    for (const el of this.list.querySelectorAll('.turn-actions')) el.replaceChildren();
    if (this.turns.some((t) => t.status === 'streaming')) return;
    const lastUser = [...this.turns].reverse().find((t) => t.role === 'user');
    const last = this.turns.at(-1);
    for (const b of this.list.querySelectorAll('.continue-answer')) b.remove();
    if (last?.role === 'assistant') {
      const article = this.articleOf(last.id);
      article?.querySelector('.turn-actions')?.append(
        actionButton('refresh', 'regenerate', t('Regenerate this answer'), () => this.events.regenerate()));
      if (last.status === 'done' && last.finishReason === 'length') {
        const more = h(ui.button, { class: 'continue-answer', appearance: 'secondary', title: t('Continue this answer where it was cut off') }, t('Continue'));
        more.addEventListener('click', () => this.events.continueLast());
        article?.querySelector('.turn-status.cut-off')?.append(more);
      }
    }
    if (lastUser) {
      this.articleOf(lastUser.id)?.querySelector('.turn-actions')?.append(
        actionButton('edit', 'edit', t('Edit and resend this question'), () => this.events.editLast(lastUser.content)));
    }
  }

  private followIfAtBottom(): void {
    if (this.stickToBottom) this.el.scrollTop = this.el.scrollHeight;
  }
}

function decorated(fragment: DocumentFragment): DocumentFragment {
  decorateCodeBlocks(fragment);
  return fragment;
}

function actionButton(iconName: string, name: string, label: string, onClick: () => void): HTMLElement {
  const b = h(ui.button, { appearance: 'icon', 'aria-label': label, title: label, class: `turn-action-${name}` }, icon(iconName));
  b.addEventListener('click', onClick);
  return b;
}

function webSearchNote(count: number, live: boolean): HTMLElement {
  const text = live ? t('Searching the web…') : count > 1 ? t('Searched the web ({0} searches)', count) : t('Searched the web');
  return h('div', { class: 'web-search', role: 'status' }, icon('globe'), h('span', {}, text));
}

/** An answer that ended while the model was still reasoning: say so instead of showing nothing. */
function noAnswerNote(turn: Turn): HTMLElement {
  const why = turn.finishReason === 'length'
    ? t('Kimi spent the whole token limit reasoning and wrote no answer. Continue, or raise kimi.maxTokens.')
    : t('Kimi reasoned but wrote no answer. Open “Thinking” to read its reasoning.');
  return h('div', { class: 'no-answer', role: 'note' }, icon('info'), h('span', {}, why));
}

function welcome(): HTMLElement {
  return h('div', { class: 'welcome' },
    h('p', {}, t('Ask Kimi about your code.')),
    h('p', { class: 'hint' }, t('Enter sends · Shift+Enter adds a line · Esc stops an answer')));
}
