// Renders an answer while it streams. The text is cut into top-level Markdown blocks; a block is
// rendered once, when it is finished, and never again. Only the open (last) block is re-rendered,
// at most once per animation frame, however many deltas arrive in between.
import { collectLinks, lexBlocks, newLinkMap, renderBlocks, type LinkMap } from './markdown';
import type { Token } from 'marked';

export interface StreamRenderer {
  push(delta: string): void;
  finish(): void;
}

export interface StreamRendererOptions {
  /** Called with each freshly rendered (already sanitized) fragment before it is inserted. */
  decorate?(fragment: DocumentFragment): void;
  /** Called after the DOM changed (e.g. to keep the view scrolled to the bottom). */
  onRender?(): void;
}

/** Finished blocks per chunk: enough to keep the root's children few, small enough to skip well. */
const CHUNK_BLOCKS = 16;

/**
 * A container for finished blocks. Browsers re-lay out a parent by walking all its children, so
 * a flat list of a thousand blocks makes every frame slower as the answer grows; in contained
 * chunks (content-visibility: auto also skips the ones out of view) the cost stays flat.
 */
function newChunk(): HTMLElement {
  const chunk = document.createElement('div');
  chunk.className = 'md-chunk';
  chunk.style.contentVisibility = 'auto';
  chunk.style.containIntrinsicSize = 'auto 600px';
  return chunk;
}

export function createStreamRenderer(root: HTMLElement, options: StreamRendererOptions = {}): StreamRenderer {
  const links: LinkMap = newLinkMap();
  let chunk: HTMLElement | undefined;
  let chunkBlocks = 0;
  let text = ''; // the part not yet rendered for good: the open block and what follows it
  let source = ''; // the whole answer so far
  let heldCR = false; // a delta ended in "\r": wait to see whether "\n" follows
  let openNodes: ChildNode[] = [];
  let frame = 0;
  let finished = false;

  function insert(fragment: DocumentFragment): ChildNode[] {
    options.decorate?.(fragment);
    const nodes = [...fragment.childNodes];
    root.append(fragment);
    return nodes;
  }

  function commit(fragment: DocumentFragment): void {
    options.decorate?.(fragment);
    if (!chunk || chunkBlocks >= CHUNK_BLOCKS) {
      chunk = newChunk();
      chunkBlocks = 0;
      root.append(chunk);
    }
    chunkBlocks += fragment.children.length;
    chunk.append(fragment);
  }

  function render(final: boolean): void {
    frame = 0;
    const tokens = lexBlocks(text, links);
    const open = final ? tokens.length : openFrom(tokens);
    const done = tokens.slice(0, open);
    const consumed = done.reduce((n, t) => n + t.raw.length, 0);
    for (const node of openNodes) node.remove();
    openNodes = [];
    if (done.length && text.startsWith(done.map((t) => t.raw).join(''))) {
      collectLinks(done, links);
      commit(renderBlocks(done, links));
      text = text.slice(consumed);
      if (open < tokens.length) openNodes = insert(renderBlocks(tokens.slice(open), links));
    } else if (tokens.length) {
      // The tokens do not add up to the text (should not happen): keep it all open, stay correct.
      openNodes = insert(renderBlocks(tokens, links));
    }
    options.onRender?.();
  }

  return {
    push(delta: string): void {
      if (finished || !delta) return;
      if (heldCR) delta = '\r' + delta;
      heldCR = delta.endsWith('\r');
      if (heldCR) delta = delta.slice(0, -1);
      delta = delta.replace(/\r\n?/g, '\n');
      text += delta;
      source += delta;
      if (!frame) frame = requestAnimationFrame(() => render(false));
    },
    finish(): void {
      if (finished) return;
      finished = true;
      if (frame) cancelAnimationFrame(frame);
      if (heldCR) {
        text += '\n';
        source += '\n';
      }
      render(true);
      // A reference definition ([id]: url) may come after the blocks that use it, which were
      // rendered before it arrived: once, at the end, render the whole answer again.
      if (Object.keys(links).length) {
        root.replaceChildren();
        chunk = undefined;
        const all = newLinkMap();
        commit(renderBlocks(lexBlocks(source, all), all));
        options.onRender?.();
      }
    },
  };
}

/**
 * Index of the first block that may still change. That is the last non-blank block, or the one
 * before it while the last one's first line is incomplete: "#" or "***" starts a new block, but
 * "#tag" or "***bold***" would have continued the previous paragraph.
 */
function openFrom(tokens: Token[]): number {
  let last = lastBlock(tokens, tokens.length);
  if (last > 0 && !tokens[last].raw.includes('\n')) last = lastBlock(tokens, last);
  return Math.max(last, 0);
}

function lastBlock(tokens: Token[], before: number): number {
  for (let i = before - 1; i >= 0; i--) if (tokens[i].type !== 'space') return i;
  return -1;
}
