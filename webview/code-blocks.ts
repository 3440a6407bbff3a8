// Copy / Insert at Cursor / Replace Selection on every code block of an answer. The buttons are
// added after sanitizing (so the model cannot forge them) and are plain <button>s: in the tab order,
// and Enter/Space activate them.
import type { CodeAction } from '../src/chat/protocol';
import { h, icon } from './dom';
import { codeSourceOf } from './markdown';
import { t } from './l10n';

const ACTIONS: { action: CodeAction; icon: string; label: string }[] = [
  { action: 'copy', icon: 'copy', label: t('Copy') },
  { action: 'insert', icon: 'insert', label: t('Insert at Cursor') },
  { action: 'replace', icon: 'replace', label: t('Replace Selection') },
];

/** Wraps each code block of a freshly rendered fragment in a block with its toolbar (not raw HTML <pre>). */
export function decorateCodeBlocks(fragment: DocumentFragment): void {
  for (const pre of fragment.querySelectorAll('pre')) {
    const code = pre.querySelector('code');
    if (!code || codeSourceOf(pre) === undefined) continue;
    const language = /(?:^|\s)language-([\w+#.-]+)/.exec(code.className)?.[1] ?? '';
    const toolbar = h('div', { class: 'code-toolbar', role: 'toolbar', 'aria-label': language ? t('{0} code', language) : t('Code') },
      h('span', { class: 'code-language' }, language));
    for (const a of ACTIONS) {
      toolbar.append(h('button', { class: 'code-action', type: 'button', 'data-code-action': a.action, 'aria-label': a.label, title: a.label }, icon(a.icon)));
    }
    const block = h('div', { class: 'code-block' });
    pre.replaceWith(block);
    block.append(toolbar, pre);
  }
}

/**
 * The code-block action a click landed on, with the code it applies to: the code as the Markdown
 * source gives it (never the DOM's text, which raw HTML could pad with text the user never saw).
 */
export function codeActionOf(target: EventTarget | null): { action: CodeAction; code: string; language?: string } | undefined {
  const button = target instanceof Element ? target.closest<HTMLElement>('button[data-code-action]') : null;
  const pre = button?.closest('.code-block')?.querySelector(':scope > pre');
  const source = pre ? codeSourceOf(pre) : undefined;
  const code = pre?.querySelector('code');
  if (!button || !code || source === undefined) return undefined;
  const action = button.dataset.codeAction as CodeAction;
  const language = /(?:^|\s)language-([\w+#.-]+)/.exec(code.className)?.[1];
  return language ? { action, code: source, language } : { action, code: source };
}
