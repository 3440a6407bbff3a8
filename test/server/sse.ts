// Writes a chat stream as server-sent events (`data: <json>\n\n` … `data: [DONE]\n\n`) and acts out
// the stream faults: cut, error object, stall, slow pacing, awkward fragments. Stops all work as soon
// as the client disconnects.
import type { ServerResponse } from 'node:http';
import type { Fault } from './faults';
import { isGone, pause, writePieces } from './wire';

export class SseStream {
  /** Data events written so far (not counting [DONE]). */
  private sent = 0;
  private over = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly fault: Fault | undefined,
    private readonly chunkDelayMs: number,
  ) {}

  open(headers: Record<string, string>): void {
    this.res.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    this.res.flushHeaders();
  }

  /** False once the stream is over: the client left, or a fault ended it. Callers then stop. */
  get alive(): boolean {
    return !this.over && !isGone(this.res);
  }

  async event(data: unknown): Promise<boolean> {
    if (!this.alive) return false;
    const fault = this.fault;
    if (fault && 'afterChunks' in fault && this.sent === fault.afterChunks) {
      if (fault.kind === 'cut') return this.cut();
      if (fault.kind === 'streamError') return this.error(fault.errorType, fault.message);
      if (fault.kind === 'stall' && !(await pause(this.res, fault.delayMs))) return false;
    }
    const delay = fault?.kind === 'slow' ? fault.chunkDelayMs : this.chunkDelayMs;
    if (this.sent > 0 && delay > 0 && !(await pause(this.res, delay))) return false;
    this.sent++;
    return this.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends with `data: [DONE]` unless a cut or error fault still has to happen. */
  async done(): Promise<void> {
    if (!this.alive) return;
    if (this.fault?.kind === 'cut') {
      await this.cut();
      return;
    }
    if (this.fault?.kind === 'streamError') {
      await this.error(this.fault.errorType, this.fault.message);
      return;
    }
    if (await this.write('data: [DONE]\n\n')) this.res.end();
    this.over = true;
  }

  private write(text: string): Promise<boolean> {
    return writePieces(this.res, Buffer.from(text, 'utf8'), this.fault?.kind === 'fragment' ? this.fault.pieces : undefined);
  }

  /** The connection drops without [DONE] (no final chunk of the chunked encoding either). */
  private async cut(): Promise<false> {
    this.over = true;
    const socket = this.res.socket;
    // Let what was already written reach the client first; only the rest is lost.
    for (let turn = 0; socket && !socket.destroyed && socket.writableLength > 0 && turn < 1000; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    socket?.destroy();
    return false;
  }

  private async error(type: string, message: string): Promise<false> {
    this.over = true;
    if (await this.write(`data: ${JSON.stringify({ error: { message, type } })}\n\n`)) this.res.end();
    return false;
  }
}
