// A tiny element builder: h('button', { class: 'x', 'aria-label': 'Copy' }, child…).
import { ui } from './toolkit';

export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string | boolean | undefined>, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Record<string, string | boolean | undefined>, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === true) el.setAttribute(name, '');
    else if (typeof value === 'string') el.setAttribute(name, value);
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

/** A codicon span (decorative: the control around it carries the label). */
export function icon(name: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** A toolkit icon button with an accessible label and tooltip. */
export function iconButton(name: string, label: string, onClick: () => void): HTMLElement {
  const button = h(ui.button, { appearance: 'icon', 'aria-label': label, title: label }, icon(name));
  button.addEventListener('click', onClick);
  return button;
}
