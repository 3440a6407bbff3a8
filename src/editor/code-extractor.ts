// Pulls the code out of a streamed Markdown answer: only the content of the first fenced code block
// reaches the editor; prose before it and everything after its closing fence is dropped.
// Pure (no vscode) so it is unit-tested in plain Node.

const OPENING_FENCE = /^( {0,3})(`{3,}|~{3,})([^`]*)$/;

export class CodeExtractor {
  private state: 'before' | 'inside' | 'after' = 'before';
  /** Text of the current, not yet finished line. */
  private line = '';
  private fence = '';
  private indent = 0;
  /** The newline ending the previous code line; held back so the block's last newline is dropped. */
  private heldNewline = '';
  private prose = '';
  /** Part of the current line was already emitted; the rest of it goes out verbatim. */
  private emittedPrefix = false;

  /** True once the first code block has been opened. */
  get foundCode(): boolean {
    return this.state !== 'before';
  }

  /** True once the first code block has been closed: nothing more will be emitted. */
  get done(): boolean {
    return this.state === 'after';
  }

  /** Text seen before any code block (for a helpful message when no code block ever arrives). */
  get proseBeforeCode(): string {
    return this.prose;
  }

  /** Feeds a delta; returns the code text that may be inserted now (possibly ''). */
  push(delta: string): string {
    if (this.state === 'after') return '';
    let out = '';
    let start = 0;
    for (;;) {
      const nl = delta.indexOf('\n', start);
      if (nl < 0) break;
      this.line += delta.slice(start, nl);
      out += this.endLine();
      start = nl + 1;
      if (this.done) return out;
    }
    this.line += delta.slice(start);
    // Emit a partial line at once unless it might still become the closing fence.
    if (this.state === 'inside' && this.line.length > 0 && !this.mayBeClosingFence(this.line)) {
      // A trailing \r may be half of a CRLF: keep it until the line ends.
      const keep = this.line.endsWith('\r') ? '\r' : '';
      const part = keep ? this.line.slice(0, -1) : this.line;
      out += this.heldNewline + (this.emittedPrefix ? part : this.stripIndent(part));
      this.heldNewline = '';
      this.emittedPrefix = true;
      this.line = keep;
    }
    return out;
  }

  /** Ends the stream; returns any code still held back (an unclosed block ends with the stream). */
  finish(): string {
    if (this.state !== 'inside') {
      if (this.state === 'before') this.prose += this.line;
      this.line = '';
      return '';
    }
    let out = '';
    if (this.emittedPrefix) {
      out = this.line.replace(/\r$/, '');
    } else if (this.line.length > 0 && !this.isClosingFence(this.line)) {
      out = this.heldNewline + this.stripIndent(this.line.replace(/\r$/, ''));
    }
    this.emittedPrefix = false;
    this.line = '';
    this.heldNewline = '';
    this.state = 'after';
    return out;
  }


  private endLine(): string {
    const raw = this.line;
    this.line = '';
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const newline = raw.endsWith('\r') ? '\r\n' : '\n';
    if (this.state === 'before') {
      const m = OPENING_FENCE.exec(text);
      if (m && !(m[2][0] === '`' && m[3].includes('`'))) {
        this.state = 'inside';
        this.indent = m[1].length;
        this.fence = m[2];
      } else {
        this.prose += raw + '\n';
      }
      return '';
    }
    if (this.emittedPrefix) {
      // The start of this line is already in the editor; the rest cannot be a fence.
      this.emittedPrefix = false;
      this.heldNewline = newline;
      return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    }
    if (this.isClosingFence(text)) {
      this.state = 'after';
      this.heldNewline = '';
      return '';
    }
    const out = this.heldNewline + this.stripIndent(text);
    this.heldNewline = newline;
    return out;
  }

  private isClosingFence(text: string): boolean {
    const t = text.replace(/\r$/, '');
    const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(t);
    return !!m && m[1][0] === this.fence[0] && m[1].length >= this.fence.length;
  }

  private mayBeClosingFence(partial: string): boolean {
    if (this.emittedPrefix) return false;
    const fenceChar = this.fence[0];
    // Up to three spaces, then only fence characters, then optional trailing blanks.
    const re = fenceChar === '`' ? /^ {0,3}`*[ \t]*\r?$/ : /^ {0,3}~*[ \t]*\r?$/;
    return re.test(partial);
  }

  private stripIndent(text: string): string {
    let i = 0;
    while (i < this.indent && text[i] === ' ') i++;
    return text.slice(i);
  }
}

/** Extracts the first code block of a whole answer at once (same rules as streaming). */
export function extractCode(answer: string): { code: string; found: boolean } {
  const extractor = new CodeExtractor();
  const code = extractor.push(answer) + extractor.finish();
  return { code, found: extractor.foundCode };
}
