// The language-model provider's own overhead per streamed answer, next to the chat panel's path.
// A child process serves the same chat stream (--chunks deltas, ASCII/CJK/emoji) for
// every request; this process consumes it in interleaved rounds with
//   panel:    ChatRun (src/shared/answer-run.ts), the chat panel's streaming path;
//   provider: streamAnswer (src/lm/answer.ts), what provideLanguageModelChatResponse runs: VS Code
//             messages of a 10-turn conversation mapped, reasoning restored, the panel's model rules,
//             the answer accumulator, one text part object per delta.
// Prints the median CPU and wall time per answer and the provider/panel ratio (target within 10 %).
//   node dist/bench/lm.js [--rounds 15] [--chunks 5000]
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatRun } from '../src/shared/answer-run';
import { KimiClient } from '../src/kimi';
import { modelFacts } from '../src/kimi/model-facts';
import type { ChatMessage } from '../src/kimi/types';
import { streamAnswer } from '../src/lm/answer';
import { classifyByShape, ROLE, type RequestMessage } from '../src/lm/messages';
import { ReasoningStore } from '../src/lm/reasoning';
import { seeded } from '../test/support/random';
import { numberArg } from './args';

const MODEL = 'moonshot-v1-128k';
const WORDS = ['the ', 'stream ', 'Kimi ', 'function ', '{ x: 1 } ', '\n', '你好', '世界', '模型', '😀', '🚀 ', 'é', '"quoted" '];

function streamBody(chunks: number): { body: Buffer; text: string } {
  const random = seeded(42);
  const head = { id: 'cmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: MODEL };
  const parts = [`data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`];
  let text = '';
  for (let i = 0; i < chunks; i++) {
    let delta = '';
    for (let k = 1 + Math.floor(random() * 3); k > 0; k--) delta += WORDS[Math.floor(random() * WORDS.length)];
    text += delta;
    parts.push(`data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: { content: delta }, finish_reason: null }] })}\n\n`);
  }
  const usage = { prompt_tokens: 500, completion_tokens: chunks, total_tokens: chunks + 500 };
  parts.push(`data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: {}, finish_reason: 'stop', usage }] })}\n\n`, 'data: [DONE]\n\n');
  return { body: Buffer.from(parts.join('')), text };
}

/** Child process: serves the stream in 16 KiB writes until killed. */
function serve(chunks: number): void {
  const { body } = streamBody(chunks);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let at = 0; at < body.length; at += 16384) res.write(body.subarray(at, at + 16384));
      res.end();
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
}

/** The same 10-turn conversation, as the panel keeps it and as VS Code hands it to the provider. */
function conversation(): { api: ChatMessage[]; vscode: RequestMessage[] } {
  const api: ChatMessage[] = [];
  const vscode: RequestMessage[] = [];
  for (let i = 0; i < 10; i++) {
    const q = `Question ${i}: how does part ${i} of the parser work? `.repeat(5);
    const a = `Answer ${i}: it reads tokens and builds a tree. `.repeat(20);
    api.push({ role: 'user', content: q }, { role: 'assistant', content: a });
    vscode.push({ role: ROLE.user, content: [{ value: q }], name: undefined }, { role: ROLE.assistant, content: [{ value: a }], name: undefined });
  }
  api.push({ role: 'user', content: 'And the lexer?' });
  vscode.push({ role: ROLE.user, content: [{ value: 'And the lexer?' }], name: undefined });
  return { api, vscode };
}

class TextPart {
  constructor(readonly value: string) {}
}

const never = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };

async function measure(run: () => Promise<string>, expected: string): Promise<{ cpuUs: number; wallMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const text = await run();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (text !== expected) throw new Error(`the answer differs (${text.length} vs ${expected.length} chars)`);
  return { cpuUs: c.user + c.system, wallMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const rounds = numberArg('rounds', 15);
  const chunks = numberArg('chunks', 5000);
  const child: ChildProcess = fork(__filename, ['--serve', '--chunks', String(chunks)], { stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => child.once('message', (p) => resolve(p as number)));
  try {
    const client = new KimiClient({ apiKey: 'sk-bench', baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    const { text: expected } = streamBody(chunks);
    const conv = conversation();
    const facts = modelFacts(MODEL);
    const reasoning = new ReasoningStore();
    const panel = async () => {
      let text = '';
      await new ChatRun({ client, model: MODEL, messages: conv.api, maxTokens: 4096, onText: (t) => (text += t) }).start();
      return text;
    };
    const provider = async () => {
      let text = '';
      await streamAnswer({
        client, model: MODEL, facts, preferences: { thinking: 'auto', maxTokens: 4096 }, messages: conv.vscode, tools: [], toolRequired: false,
        classify: classifyByShape, reasoning, token: never, onToolCall: () => {},
        // What provider.ts does per delta (a text part for progress.report); the sink is the panel's.
        onText: (t) => (text += new TextPart(t).value),
      });
      return text;
    };
    const results = { panel: [] as { cpuUs: number; wallMs: number }[], provider: [] as { cpuUs: number; wallMs: number }[] };
    for (let i = 0; i < 3; i++) {
      await measure(panel, expected);
      await measure(provider, expected);
    }
    for (let i = 0; i < rounds; i++) {
      // Alternate the order so neither side always runs second.
      const order = i % 2 ? (['provider', 'panel'] as const) : (['panel', 'provider'] as const);
      for (const side of order) results[side].push(await measure(side === 'panel' ? panel : provider, expected));
    }
    await client.close();
    const row = (name: string, xs: { cpuUs: number; wallMs: number }[]) =>
      `| ${name} | ${(median(xs.map((x) => x.cpuUs)) / 1000).toFixed(1)} | ${median(xs.map((x) => x.wallMs)).toFixed(1)} |`;
    console.log(`${chunks} deltas per answer, ${rounds} interleaved rounds (after 3 warm-up rounds), medians:\n`);
    console.log('| path | CPU ms per answer | wall ms per answer |\n| --- | --- | --- |');
    console.log(row('chat panel (ChatRun)', results.panel));
    console.log(row('language-model provider (streamAnswer)', results.provider));
    const cpuRatio = median(results.provider.map((x) => x.cpuUs)) / median(results.panel.map((x) => x.cpuUs));
    const wallRatio = median(results.provider.map((x) => x.wallMs)) / median(results.panel.map((x) => x.wallMs));
    const ok = Math.abs(cpuRatio - 1) <= 0.1;
    console.log(`\nprovider/panel: CPU ${cpuRatio.toFixed(3)}, wall ${wallRatio.toFixed(3)} — target (CPU within 10 %): ${ok ? 'met' : 'NOT met'}`);
  } finally {
    child.kill();
  }
}

if (process.argv.includes('--serve')) serve(numberArg('chunks', 5000));
else
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
