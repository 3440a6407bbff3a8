// The "Thinking" section of an answer: the model's reasoning, streamed live through the same
// incremental renderer (and so the same sanitizer and once-per-frame budget) as the answer, with the
// time spent. It closes by itself when the answer starts; the reader can open it again.
import { decorateCodeBlocks } from './code-blocks';
import { h, icon } from './dom';
import { renderMarkdown } from './markdown';
import { createStreamRenderer, type StreamRenderer } from './stream-renderer';
import { t } from './l10n';

export function formatSeconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? t('{0} s', s) : t('{0} min {1} s', Math.floor(s / 60), s % 60);
}

export class ThinkingSection {
  readonly el: HTMLDetailsElement;
  private readonly label: HTMLElement;
  private readonly body: HTMLElement;
  private renderer: StreamRenderer | undefined;
  private timer = 0;
  private readonly startedAt = performance.now();
  /** The reasoning received so far (live sections). */
  text = '';

  /** A finished section (from a saved turn): closed, with the time it took. */
  static finished(reasoning: string, thinkingMs: number | undefined): ThinkingSection {
    const section = new ThinkingSection(false);
    section.body.append(decorated(renderMarkdown(reasoning)));
    section.text = reasoning;
    section.done(thinkingMs);
    return section;
  }

  /** A live section; `onRender` follows the growing text. */
  static live(onRender: () => void, already = ''): ThinkingSection {
    const section = new ThinkingSection(true);
    section.renderer = createStreamRenderer(section.body, { decorate: decorateCodeBlocks, onRender });
    if (already) section.push(already);
    section.tick();
    section.timer = window.setInterval(() => section.tick(), 1000);
    return section;
  }

  private constructor(open: boolean) {
    this.label = h('span', { class: 'thinking-label' });
    this.body = h('div', { class: 'thinking-body', role: 'region', 'aria-label': t('Reasoning') });
    this.el = h('details', { class: 'thinking' }, h('summary', {}, icon('lightbulb'), this.label), this.body);
    this.el.open = open;
  }

  get live(): boolean {
    return this.renderer !== undefined;
  }

  push(text: string): void {
    this.text += text;
    this.renderer?.push(text);
  }

  /** The answer started: close the reasoning (still re-openable) and stop the clock. */
  answerStarted(): void {
    // Only once: a reader who opens it again while the answer streams keeps it open.
    if (!this.timer) return;
    this.stopClock(performance.now() - this.startedAt);
    this.el.open = false;
  }

  /** The turn ended: render the rest and show the time the host measured. */
  done(thinkingMs: number | undefined): void {
    const wasLive = this.timer !== 0;
    this.renderer?.finish();
    this.renderer = undefined;
    this.stopClock(thinkingMs);
    if (wasLive) this.el.open = false;
  }

  private stopClock(ms: number | undefined): void {
    window.clearInterval(this.timer);
    this.timer = 0;
    this.label.textContent = ms !== undefined ? t('Thought for {0}', formatSeconds(ms)) : t('Thinking');
    this.el.dataset.state = 'done';
  }

  private tick(): void {
    this.label.textContent = t('Thinking… {0}', formatSeconds(performance.now() - this.startedAt));
    this.el.dataset.state = 'live';
  }
}

function decorated(fragment: DocumentFragment): DocumentFragment {
  decorateCodeBlocks(fragment);
  return fragment;
}
