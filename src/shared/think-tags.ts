// Some answers put their reasoning into `content`, wrapped in <think>…</think> (MoonshotAI/Kimi-K3#45,
// open). The panel shows that part as reasoning, not as answer text. Only a leading block counts: a
// "<think>" later in an answer is the answer's own text (e.g. explaining these tags).
const OPEN = '<think>';
const CLOSE = '</think>';

export interface SplitText {
  content: string;
  reasoning: string;
}

export class ThinkTagSplitter {
  private state: 'start' | 'inside' | 'plain' = 'start';
  private held = '';
  /** Right after "</think>": the blank lines before the answer are dropped. */
  private trimming = false;

  /** Takes a content delta; returns what of it is answer and what is reasoning. */
  push(delta: string): SplitText {
    if (this.state === 'plain') return { content: this.trim(delta), reasoning: '' };
    this.held += delta;
    if (this.state === 'start') {
      const lead = this.held.trimStart();
      if (lead.length < OPEN.length && OPEN.startsWith(lead)) return { content: '', reasoning: '' };
      if (!lead.startsWith(OPEN)) return this.plain();
      this.state = 'inside';
      this.held = lead.slice(OPEN.length);
    }
    const end = this.held.indexOf(CLOSE);
    if (end >= 0) {
      const reasoning = this.held.slice(0, end);
      const rest = this.held.slice(end + CLOSE.length);
      this.held = '';
      this.state = 'plain';
      this.trimming = true;
      return { content: this.trim(rest), reasoning };
    }
    // Keep back what could be the start of "</think>".
    let keep = 0;
    for (let n = Math.min(CLOSE.length - 1, this.held.length); n > 0; n--) {
      if (CLOSE.startsWith(this.held.slice(-n))) {
        keep = n;
        break;
      }
    }
    const reasoning = this.held.slice(0, this.held.length - keep);
    this.held = this.held.slice(this.held.length - keep);
    return { content: '', reasoning };
  }

  /** The stream ended: whatever was held back. */
  finish(): SplitText {
    const held = this.held;
    this.held = '';
    if (this.state === 'inside') return { content: '', reasoning: held };
    this.state = 'plain';
    return { content: held, reasoning: '' };
  }

  private trim(text: string): string {
    if (!this.trimming) return text;
    const out = text.replace(/^\s+/, '');
    if (out) this.trimming = false;
    return out;
  }

  private plain(): SplitText {
    const content = this.held;
    this.held = '';
    this.state = 'plain';
    return { content, reasoning: '' };
  }
}
