// Incremental Server-Sent Events parser (WHATWG "event stream interpretation"). Bytes may be split
// anywhere: inside a multi-byte UTF-8 character (the streaming TextDecoder carries it over), inside
// "data:" or between CR and LF (the unfinished line is kept). Lines end in LF, CRLF or CR. Comment
// lines (":...") are ignored; several data lines join with "\n". Line finding uses indexOf so the
// work per byte happens in native code.

export interface SseEvent {
  /** The `event:` field, 'message' when absent. */
  event: string;
  data: string;
  id?: string;
}

/** Receives each complete event; `event` is 'message' when the stream named none. */
export type SseSink = (data: string, event: string, id: string | undefined) => void;

export class SseParser {
  readonly #decoder = new TextDecoder('utf-8');
  /** The unfinished last line. */
  #rest = '';
  /** The previous input ended in CR: a LF at the start of the next one belongs to it. */
  #afterCR = false;
  /** The event's data lines so far, joined with LF; undefined before its first data line. */
  #data: string | undefined;
  #event = '';
  #id: string | undefined;
  #lastEventId: string | undefined;
  #sawBom = false;

  /** Feeds bytes; returns the events they complete. */
  push(bytes: Uint8Array): SseEvent[] {
    return this.pushText(this.#decoder.decode(bytes, { stream: true }));
  }

  /** Feeds already-decoded text; returns the events it completes. */
  pushText(chunk: string): SseEvent[] {
    const out: SseEvent[] = [];
    this.feedText(chunk, (data, event, id) => out.push(id === undefined ? { event, data } : { event, data, id }));
    return out;
  }

  /** Feeds bytes, calling `sink` for each event they complete (no intermediate arrays). */
  feed(bytes: Uint8Array, sink: SseSink): void {
    this.feedText(this.#decoder.decode(bytes, { stream: true }), sink);
  }

  feedText(chunk: string, sink: SseSink): void {
    let text = chunk;
    if (!this.#sawBom && text.length > 0) {
      this.#sawBom = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.#afterCR && text.length > 0) {
      this.#afterCR = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    if (this.#rest) text = this.#rest + text;
    const hasCR = text.indexOf('\r') !== -1;
    let pos = 0;
    const len = text.length;
    while (pos < len) {
      let end = text.indexOf('\n', pos);
      let next: number;
      if (hasCR) {
        const cr = text.indexOf('\r', pos);
        if (cr !== -1 && (end === -1 || cr < end)) {
          end = cr;
          if (cr + 1 < len) next = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
          else {
            next = len;
            this.#afterCR = true;
          }
        } else next = end + 1;
      } else next = end + 1;
      if (end === -1) break;
      this.#line(text, pos, end, sink);
      pos = next;
    }
    this.#rest = pos < len ? text.slice(pos) : '';
  }

  /** Ends the input. An event without its closing blank line is incomplete and dropped, per the standard. */
  end(): SseEvent[] {
    const tail = this.#decoder.decode();
    const out = tail ? this.pushText(tail) : [];
    this.#rest = '';
    this.#data = undefined;
    return out;
  }

  /** True when input is buffered that did not yet make a complete event. */
  get pending(): boolean {
    return this.#rest.length > 0 || this.#data !== undefined;
  }

  #addData(value: string): void {
    this.#data = this.#data === undefined ? value : `${this.#data}\n${value}`;
  }

  #line(text: string, start: number, end: number, sink: SseSink): void {
    if (start === end) {
      this.#dispatch(sink);
      return;
    }
    // Fast path for the common "data: ..." line.
    if (text.startsWith('data:', start)) {
      const from = text.charCodeAt(start + 5) === 32 ? start + 6 : start + 5;
      this.#addData(from >= end ? '' : text.slice(from, end));
      return;
    }
    if (text.charCodeAt(start) === 58 /* ':' */) return;
    const colon = text.indexOf(':', start);
    let field: string;
    let value: string;
    if (colon === -1 || colon >= end) {
      field = text.slice(start, end);
      value = '';
    } else {
      field = text.slice(start, colon);
      const from = text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1;
      value = from >= end ? '' : text.slice(from, end);
    }
    switch (field) {
      case 'data':
        this.#addData(value);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      default:
        // 'retry' and unknown fields do not matter to a one-shot request stream.
        break;
    }
  }

  #dispatch(sink: SseSink): void {
    if (this.#id !== undefined) this.#lastEventId = this.#id;
    this.#id = undefined;
    const data = this.#data;
    const event = this.#event || 'message';
    this.#event = '';
    if (data === undefined) return;
    this.#data = undefined;
    sink(data, event, this.#lastEventId);
  }
}
