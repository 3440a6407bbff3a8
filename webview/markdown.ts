// Markdown → safe DOM for the chat: marked (GFM) for structure, highlight.js (a fixed set of common
// languages, not all 190) for code, DOMPurify as the last word on what may reach the page.
// Model output is untrusted: nothing from it may run, and nothing from it may load (no images,
// frames, forms, styles or remote URLs), so the sanitizer works from allow-lists.
import DOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import lua from 'highlight.js/lib/languages/lua';
import makefile from 'highlight.js/lib/languages/makefile';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import plaintext from 'highlight.js/lib/languages/plaintext';
import powershell from 'highlight.js/lib/languages/powershell';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import scss from 'highlight.js/lib/languages/scss';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { Lexer, Marked, Parser, type Token, type Tokens, type TokensList } from 'marked';

const languages = {
  bash, c, cpp, csharp, css, diff, dockerfile, go, ini, java, javascript, json, kotlin, lua, makefile,
  markdown, php, plaintext, powershell, python, ruby, rust, scss, shell, sql, swift, typescript, xml, yaml,
};
for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The fence's first word, reduced to characters a language id can have. */
export function languageOf(info: string | undefined): string {
  return (info ?? '').trim().split(/\s+/)[0].replace(/[^\w+#.-]/g, '').toLowerCase();
}

export function highlightCode(code: string, language: string): string {
  // No auto-detection: it is slow and would flicker while a block streams in.
  if (language && hljs.getLanguage(language)) {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  }
  return escapeHtml(code);
}

// Code blocks from the Markdown source carry a mark the model cannot forge (a random class, kept by
// SAFE_CLASS, removed after sanitizing): only they get Copy / Insert / Replace, acting on the code
// token's text. Raw HTML <pre> from the model is shown, never offered as code to run.
const CODE_MARK = `kc${Array.from(crypto.getRandomValues(new Uint32Array(2)), (n) => n.toString(36)).join('')}-`;
const CODE_MARK_CLASS = new RegExp(`^${CODE_MARK}(\\d+)_$`);
/** The code of each block rendered by the current parse, by mark number. */
let parsedCode: string[] = [];
const codeOfPre = new WeakMap<Element, string>();

/** The code a block's buttons act on: its Markdown source text; undefined for raw HTML <pre>. */
export function codeSourceOf(pre: Element): string | undefined {
  return codeOfPre.get(pre);
}

const md = new Marked({ gfm: true, breaks: false });
md.use({
  renderer: {
    code({ text, lang }: Tokens.Code): string {
      const language = languageOf(lang);
      const cls = language ? `hljs language-${language}` : 'hljs';
      const code = text.replace(/\n$/, '');
      const mark = `${CODE_MARK}${parsedCode.push(code) - 1}_`;
      return `<pre class="${mark}"><code class="${cls}">${highlightCode(code, language)}</code></pre>\n`;
    },
    // Images never load: show their alt text (and the address as a tooltip) instead.
    image({ href, text }: Tokens.Image): string {
      return `<span class="md-image" title="${escapeHtml(href ?? '')}">[${escapeHtml(text || 'image')}]</span>`;
    },
    // A task-list box as text: no form controls from the model.
    checkbox({ checked }: Tokens.Checkbox): string {
      return checked ? '☑ ' : '☐ ';
    },
  },
});

const ALLOWED_TAGS = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'code', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's',
  'samp', 'small', 'span', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th',
  'thead', 'tr', 'u', 'ul', 'var',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'align', 'start', 'colspan', 'rowspan', 'open'];
// Only web and mail links; anything else (javascript:, data:, vscode:, command:, relative) is dropped.
const SAFE_URL = /^(?:https?:|mailto:)/i;
// Classes the model may keep: the ones our own renderer emits (so it cannot dress up as our UI).
const SAFE_CLASS = /^(?:hljs(?:-[\w-]+)?|language-[\w+#.-]+|md-image|[\w-]+_)$/;

let configured = false;
// Set once: DOMPurify then skips parsing its configuration on every call (one call per frame).
function configure(): void {
  if (configured) return;
  configured = true;
  DOMPurify.setConfig({
    ALLOWED_TAGS,
    ALLOWED_ATTR: [...ALLOWED_ATTR, 'rel'],
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOWED_URI_REGEXP: SAFE_URL,
    // DOMPurify checks every other allowed attribute against the URL pattern too: exempt these.
    ADD_URI_SAFE_ATTR: ['align', 'start', 'colspan', 'rowspan', 'open'],
    RETURN_DOM_FRAGMENT: true,
  });
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    if (!el.getAttribute) return;
    const cls = el.getAttribute('class');
    if (cls !== null) {
      const kept = cls.split(/\s+/).filter((c) => SAFE_CLASS.test(c));
      if (kept.length) el.setAttribute('class', kept.join(' '));
      else el.removeAttribute('class');
    }
    if (el.tagName === 'A') {
      const href = el.getAttribute('href');
      if (href !== null && !SAFE_URL.test(href.trim())) el.removeAttribute('href');
      // Links open through VS Code (which asks before leaving the editor), never in the webview.
      el.setAttribute('rel', 'noopener noreferrer');
    }
  });
}

/** Sanitizes HTML into a fragment of the current document. */
export function sanitize(html: string): DocumentFragment {
  configure();
  const fragment = DOMPurify.sanitize(html, { RETURN_DOM_FRAGMENT: true });
  for (const pre of fragment.querySelectorAll('pre')) cleanPre(pre);
  return fragment;
}

/** Parses with `parse`, then sanitizes, and links each marked <pre> to its code token's text. */
function renderSafe(parse: () => string): DocumentFragment {
  parsedCode = [];
  try {
    const fragment = sanitize(parse());
    for (const pre of fragment.querySelectorAll('pre')) {
      const n = CODE_MARK_CLASS.exec(pre.getAttribute('class') ?? '')?.[1];
      pre.removeAttribute('class');
      const code = n === undefined ? undefined : parsedCode[Number(n)];
      // What the buttons send must be exactly what the block shows.
      if (code !== undefined && pre.textContent === code) codeOfPre.set(pre, code);
    }
    return fragment;
  } finally {
    parsedCode = [];
  }
}

const PRE_SPAN_CLASS = /^(?:hljs-[\w-]+|[\w-]+_)$/;

/**
 * Inside <pre> only the highlighter's output may stay: one <code> and class-only <span>s. Anything
 * else (<details>, stacked <small>, links…) is unwrapped so that all of its text is plainly shown.
 */
function cleanPre(pre: Element): void {
  const elements = [...pre.querySelectorAll('*')].reverse(); // innermost first
  for (const el of elements) {
    const tag = el.tagName.toLowerCase();
    const classes = (el.getAttribute('class') ?? '').split(/\s+/).filter(Boolean);
    const keep =
      (tag === 'code' && el.parentElement === pre) ||
      (tag === 'span' && el.closest('pre') === pre && classes.length > 0 && classes.every((c) => PRE_SPAN_CLASS.test(c)));
    if (!keep) {
      el.replaceWith(...(tag === 'br' ? ['\n'] : el.childNodes));
      continue;
    }
    for (const attr of [...el.attributes]) if (attr.name !== 'class') el.removeAttribute(attr.name);
  }
}

/** Link reference definitions seen so far; shared by the lexing passes of one answer. */
export type LinkMap = TokensList['links'];

export function newLinkMap(): LinkMap {
  return Object.create(null) as LinkMap;
}

/** Block tokens of `src`, resolving references against `links` (definitions from earlier blocks). */
export function lexBlocks(src: string, links: LinkMap): Token[] {
  const lexer = new Lexer(md.defaults);
  Object.assign(lexer.tokens.links, links);
  return lexer.lex(src);
}

/** Adds the reference definitions among finished blocks to `links` (the first one wins, as in marked). */
export function collectLinks(tokens: Token[], links: LinkMap): void {
  for (const token of tokens) {
    if (token.type === 'def') {
      const def = token as Tokens.Def;
      if (!(def.tag in links)) links[def.tag] = { href: def.href, title: def.title };
    }
    if ('tokens' in token && Array.isArray(token.tokens)) collectLinks(token.tokens, links);
    if (token.type === 'list') collectLinks((token as Tokens.List).items, links);
  }
}

export function renderBlocks(tokens: Token[], links: LinkMap): DocumentFragment {
  const list = Object.assign([...tokens], { links }) as TokensList;
  return renderSafe(() => new Parser(md.defaults).parse(list));
}

/** The whole text at once: the reference the streaming renderer must match. */
export function renderMarkdown(src: string): DocumentFragment {
  return renderSafe(() => md.parse(src.replace(/\r\n?/g, '\n'), { async: false }));
}
