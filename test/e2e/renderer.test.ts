// The chat's stream renderer in real headless Chromium: streamed in random pieces it produces the
// same DOM as rendering the whole text at once; finished blocks are never rendered again; it
// renders at most once per animation frame; and no XSS payload runs or loads anything.
import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { CODE_ACTION_PAYLOADS, DOCUMENTS, XSS_PAYLOADS } from './renderer-corpus';
import { bundle, launchChromium, openWebviewPage, type WebviewPage } from './webview-page';

const ENTRY = `
import { createStreamRenderer } from './webview/stream-renderer';
import { renderMarkdown } from './webview/markdown';
import { codeActionOf, decorateCodeBlocks } from './webview/code-blocks';
(window as unknown as { kimi: unknown }).kimi = { createStreamRenderer, renderMarkdown, codeActionOf, decorateCodeBlocks };
`;

// Animation frames on demand: the test decides when "a frame" happens, so seeds cover renders at
// every possible point of the stream. (The real-rAF behaviour is tested separately below.)
const PRELUDE = `
window.__frames = new Map(); let __next = 1;
const realRAF = window.requestAnimationFrame.bind(window), realCAF = window.cancelAnimationFrame.bind(window);
window.__manual = false;
window.requestAnimationFrame = (cb) => { if (!window.__manual) return realRAF(cb); const id = __next++; window.__frames.set(id, cb); return id; };
window.cancelAnimationFrame = (id) => { window.__frames.delete(id); realCAF(id); };
window.__flushFrames = () => { const cbs = [...window.__frames.values()]; window.__frames.clear(); for (const cb of cbs) cb(performance.now()); return cbs.length; };
`;

interface StreamResult {
  streamed: string;
  whole: string;
  frames: number;
  /** Problems with what was replaced between frames (finished blocks must stay untouched). */
  violations: string[];
  created: number;
  finalElements: number;
}

/** Runs in the page: streams `doc` in random pieces with frames at random points; compares DOMs. */
function streamInPage([doc, seed]: [string, number]): StreamResult {
  type Kimi = {
    createStreamRenderer(root: HTMLElement): { push(d: string): void; finish(): void };
    renderMarkdown(src: string): DocumentFragment;
  };
  const w = window as unknown as { kimi: Kimi; __manual: boolean; __flushFrames(): number };
  w.__manual = true;
  let s = seed >>> 0;
  const random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const root = document.createElement('div');
  document.body.append(root);
  const renderer = w.kimi.createStreamRenderer(root);
  // Finished blocks sit in .md-chunk containers (a layout optimisation): look through them.
  const blocks = () => [...root.childNodes].flatMap((n) => ((n as Element).classList?.contains('md-chunk') ? [...n.childNodes] : [n]));
  const violations: string[] = [];
  let created = 0;
  let frames = 0;
  let before = blocks();
  const checkFrame = () => {
    const after = blocks();
    const removed = before.filter((n) => !after.includes(n));
    // Only a tail of the previous children may go (the open block, or the two last ones while
    // the last block's first line is incomplete), and every kept node stays in place.
    const firstRemoved = removed.length ? before.indexOf(removed[0]) : before.length;
    if (removed.some((n, i) => before.indexOf(n) !== firstRemoved + i) || firstRemoved + removed.length !== before.length) {
      violations.push(`frame ${frames}: removed nodes are not a tail`);
    }
    // (One block can give several elements: HTML like <details> inside a paragraph splits the <p>.)
    const removedElements = removed.filter((n) => n.nodeType === 1).length;
    if (removedElements > 4) violations.push(`frame ${frames}: ${removedElements} elements re-rendered`);
    for (let i = 0; i < firstRemoved; i++) if (after[i] !== before[i]) violations.push(`frame ${frames}: node ${i} moved`);
    created += after.filter((n) => !before.includes(n) && n.nodeType === 1).length;
    before = after;
  };
  let i = 0;
  while (i < doc.length) {
    const size = random() < 0.1 ? 1 + Math.floor(random() * 80) : 1 + Math.floor(random() * 8);
    renderer.push(doc.slice(i, i + size));
    i += size;
    if (random() < 0.35) {
      frames += w.__flushFrames() > 0 ? 1 : 0;
      checkFrame();
    }
  }
  renderer.finish();
  // With reference definitions, finish renders the whole answer once more (they may be used before
  // they are defined); otherwise finishing must leave the finished blocks alone too.
  if (!/^ {0,3}\[[^\]]+\]:/m.test(doc)) checkFrame();
  w.__flushFrames(); // a frame after finish must change nothing
  for (const chunk of root.querySelectorAll(':scope > .md-chunk')) chunk.replaceWith(...chunk.childNodes);
  const streamed = root.innerHTML;
  const reference = document.createElement('div');
  reference.append(w.kimi.renderMarkdown(doc));
  root.remove();
  w.__manual = false;
  return { streamed, whole: reference.innerHTML, frames, violations, created, finalElements: reference.children.length };
}

describe('webview: stream renderer (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let files: Map<string, Uint8Array>;

  before(async () => {
    files = await bundle(ENTRY);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  describe('streamed in random pieces gives the same DOM as the whole text', () => {
    let view: WebviewPage;
    before(async () => {
      view = await openWebviewPage(browser, files, { prelude: PRELUDE });
    });
    after(async () => view?.close());

    for (const [name, doc] of Object.entries(DOCUMENTS)) {
      it(`${name} (60 seeds)`, async () => {
        for (let seed = 1; seed <= 60; seed++) {
          const r = await view.page.evaluate(streamInPage, [doc, seed * 7919 + name.length] as [string, number]);
          assert.ok(r.whole.length > 0, 'the reference rendering is not empty');
          assert.equal(r.streamed, r.whole, `seed ${seed}: streamed DOM differs from the whole-text DOM`);
          assert.deepEqual(r.violations, [], `seed ${seed}`);
        }
      });
    }

    it('renders code highlighted, tables, task lists and CJK/emoji text', async () => {
      const r = await view.page.evaluate(streamInPage, [DOCUMENTS.mixed + DOCUMENTS.cjkEmoji + DOCUMENTS.lists, 42] as [string, number]);
      assert.equal(r.streamed, r.whole);
      assert.match(r.whole, /<pre><code class="hljs language-ts"><span class="hljs-keyword">export<\/span>/);
      assert.match(r.whole, /<table>[\s\S]*<th align="right">Value<\/th>/);
      assert.match(r.whole, /☐ task open/);
      assert.match(r.whole, /<h2>你好，世界 🌏<\/h2>/);
      assert.match(r.whole, /👩‍💻 🧑🏽‍🚀 🇯🇵/);
      assert.match(r.whole, /<p>Paragraph right after.\n#hashtag is not a heading\n<em><strong>bold italic<\/strong><\/em> is not a rule<\/p>/);
    });

    it('renders each finished block once: element creations stay near the final count', async () => {
      // A long answer in 1–8 character pieces with a frame after most pieces: if finished blocks were
      // re-rendered, creations would grow with (frames × blocks) rather than (frames + blocks).
      const doc = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} with some **bold** words.\n\n\`\`\`js\nconst x${i} = ${i};\n\`\`\`\n`).join('\n');
      const r = await view.page.evaluate(streamInPage, [doc, 5] as [string, number]);
      assert.equal(r.streamed, r.whole);
      assert.deepEqual(r.violations, []);
      assert.ok(r.frames > 50, `many frames (${r.frames})`);
      assert.ok(r.created <= r.finalElements + 2 * r.frames, `${r.created} elements created for ${r.finalElements} final ones over ${r.frames} frames`);
    });
  });

  describe('animation frames (real requestAnimationFrame)', () => {
    let view: WebviewPage;
    before(async () => {
      view = await openWebviewPage(browser, files);
    });
    after(async () => view?.close());

    it('renders at most once per frame however many deltas arrive', async () => {
      const result = await view.page.evaluate(async () => {
        type Kimi = { createStreamRenderer(root: HTMLElement, o: { onRender(): void }): { push(d: string): void; finish(): void } };
        const kimi = (window as unknown as { kimi: Kimi }).kimi;
        const root = document.createElement('div');
        document.body.append(root);
        let renders = 0;
        const renderer = kimi.createStreamRenderer(root, { onRender: () => renders++ });
        const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
        for (let i = 0; i < 500; i++) renderer.push(`word${i} `);
        const beforeFrame = renders;
        const textBeforeFrame = root.textContent;
        await nextFrame();
        await nextFrame();
        const afterOneBurst = renders;
        let frames = 0;
        for (let f = 0; f < 10; f++) {
          for (let i = 0; i < 20; i++) renderer.push(`x${f}.${i} `);
          await nextFrame();
          frames++;
        }
        const afterFrames = renders;
        renderer.finish();
        return { beforeFrame, textBeforeFrame, afterOneBurst, afterFrames, frames, finalText: root.textContent ?? '' };
      });
      assert.equal(result.beforeFrame, 0, 'pushing renders nothing synchronously');
      assert.equal(result.textBeforeFrame, '');
      assert.equal(result.afterOneBurst, 1, '500 deltas before a frame: one render');
      assert.ok(result.afterFrames - result.afterOneBurst <= result.frames, `${result.afterFrames - result.afterOneBurst} renders in ${result.frames} frames`);
      assert.ok(result.finalText.includes('word499') && result.finalText.includes('x9.19'));
    });
  });

  describe('untrusted output: XSS payloads run nothing and load nothing', () => {
    let view: WebviewPage;
    // No CSP on this page: only the renderer's own sanitizing stands between a payload and the page.
    before(async () => {
      view = await openWebviewPage(browser, files, { prelude: PRELUDE, csp: false });
    });
    after(async () => view?.close());

    it('the detectors work: an unsanitized payload sets the flag and is seen loading', async () => {
      await view.page.evaluate(() => {
        const div = document.createElement('div');
        div.innerHTML = '<img src="http://evil.test/canary.png" onerror="window.__xss = 99">';
        document.body.append(div);
      });
      await view.page.waitForFunction(() => (window as unknown as { __xss?: number }).__xss === 99, undefined, { timeout: 5000 });
      assert.ok(view.foreignRequests.some((u) => u.includes('evil.test/canary.png')));
      await view.page.evaluate(() => {
        delete (window as unknown as { __xss?: number }).__xss;
        document.body.replaceChildren();
      });
      view.foreignRequests.length = 0;
    });

    for (const [index, payload] of XSS_PAYLOADS.entries()) {
      it(`payload ${index}: ${payload.slice(0, 60).replace(/\n/g, '⏎')}`, async () => {
        const findings = await view.page.evaluate(async ([text, seed]) => {
          type Kimi = { createStreamRenderer(root: HTMLElement): { push(d: string): void; finish(): void } };
          const w = window as unknown as { kimi: Kimi; __manual: boolean; __flushFrames(): number; __xss?: number };
          const root = document.createElement('div');
          document.body.append(root);
          // Streamed in pieces of 1–5 characters with a frame after each: every partial state of the
          // payload gets rendered (an unclosed tag, half an attribute…), then the finished text.
          w.__manual = true;
          const renderer = w.kimi.createStreamRenderer(root);
          let step = seed;
          for (let i = 0; i < text.length; ) {
            const size = 1 + (step++ % 5);
            renderer.push(text.slice(i, i + size));
            i += size;
            w.__flushFrames();
          }
          renderer.finish();
          w.__manual = false;
          // The renderer's own containers for finished blocks are not model output: look inside them.
          for (const chunk of root.querySelectorAll(':scope > .md-chunk')) chunk.replaceWith(...chunk.childNodes);
          // Give anything that slipped through time to fire (onerror, onload, ontoggle, autofocus).
          for (const el of root.querySelectorAll<HTMLElement>('*')) el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
          await new Promise((r) => setTimeout(r, 250));
          const problems: string[] = [];
          const forbidden = 'script,iframe,frame,img,svg,math,style,link,object,embed,form,input,button,video,audio,source,meta,base,template,noscript,marquee,textarea,select';
          for (const el of root.querySelectorAll(forbidden)) problems.push(`element <${el.tagName.toLowerCase()}>`);
          for (const el of root.querySelectorAll('*')) {
            for (const attr of el.attributes) {
              if (/^on/i.test(attr.name)) problems.push(`event handler ${attr.name}`);
              if (['style', 'src', 'srcset', 'background', 'poster', 'action', 'ping', 'target', 'data', 'srcdoc'].includes(attr.name)) problems.push(`attribute ${attr.name}`);
              if (attr.name === 'href' && !/^(https?:|mailto:)/i.test(attr.value)) problems.push(`href ${attr.value}`);
            }
          }
          const flag = w.__xss;
          root.remove();
          return { flag, problems, text: root.textContent ?? '' };
        }, [payload, index + 1] as [string, number]);
        assert.equal(findings.flag, undefined, 'the payload executed');
        assert.deepEqual(findings.problems, []);
        assert.deepEqual(view.foreignRequests, [], 'the payload made the page load something');
        assert.deepEqual(await view.cspViolations(), []);
      });
    }

    it('code blocks show payloads as text', async () => {
      const text = await view.page.evaluate(() => {
        type Kimi = { renderMarkdown(src: string): DocumentFragment };
        const div = document.createElement('div');
        div.append((window as unknown as { kimi: Kimi }).kimi.renderMarkdown('```html\n<script>alert(1)</script>\n```'));
        return div.querySelector('pre code')?.textContent;
      });
      assert.equal(text, '<script>alert(1)</script>');
    });
  });

  describe('code-block buttons act on the Markdown source, never on hidden HTML', () => {
    let view: WebviewPage;
    before(async () => {
      view = await openWebviewPage(browser, files, { prelude: PRELUDE });
    });
    after(async () => view?.close());

    for (const payload of CODE_ACTION_PAYLOADS) {
      it(payload.name, async () => {
        const r = await view.page.evaluate(([text]) => {
          type Kimi = {
            createStreamRenderer(root: HTMLElement, o: { decorate(f: DocumentFragment): void }): { push(d: string): void; finish(): void };
            decorateCodeBlocks(f: DocumentFragment): void;
            codeActionOf(t: EventTarget | null): { action: string; code: string } | undefined;
          };
          const w = window as unknown as { kimi: Kimi; __manual: boolean; __flushFrames(): number };
          const root = document.createElement('div');
          document.body.append(root);
          w.__manual = true;
          const renderer = w.kimi.createStreamRenderer(root, { decorate: w.kimi.decorateCodeBlocks });
          for (let i = 0; i < text.length; i += 3) {
            renderer.push(text.slice(i, i + 3));
            w.__flushFrames();
          }
          renderer.finish();
          w.__manual = false;
          // content-visibility: auto on the chunks would hide their text from innerText: unwrap them.
          for (const chunk of root.querySelectorAll(':scope > .md-chunk')) chunk.replaceWith(...chunk.childNodes);
          const blocks = [...root.querySelectorAll('.code-block')].map((block) => {
            const acts = ['copy', 'insert', 'replace'].map((a) => w.kimi.codeActionOf(block.querySelector(`button[data-code-action="${a}"]`)));
            return { codes: acts.map((a) => a?.code), actions: acts.map((a) => a?.action), shown: (block.querySelector('pre code') as HTMLElement).innerText };
          });
          // Inside any <pre>: nothing but <code> and the highlighter's spans.
          const foreign = [...root.querySelectorAll('pre *')].filter((el) => !['CODE', 'SPAN'].includes(el.tagName)).map((el) => el.tagName);
          const shown = root.innerText;
          root.remove();
          return { blocks, foreign, shown };
        }, [payload.markdown] as [string]);
        assert.deepEqual(r.blocks.map((b) => b.codes[0]), payload.codes, 'the code the buttons act on');
        for (const b of r.blocks) {
          assert.deepEqual(b.actions, ['copy', 'insert', 'replace']);
          assert.ok(b.codes.every((c) => c === b.codes[0]), 'all three buttons act on the same code');
          assert.equal(b.codes[0], b.shown, 'what the buttons send is exactly what the block shows');
        }
        assert.deepEqual(r.foreign, [], 'only <code> and spans inside <pre>');
        if (payload.shown) assert.ok(r.shown.includes(payload.shown), `the hidden text is shown: ${JSON.stringify(r.shown)}`);
      });
    }
  });
});
