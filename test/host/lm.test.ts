// Kimi as a language-model provider, used the way VS Code's Chat and other extensions use it:
// vscode.lm.selectChatModels + sendRequest / countTokens in the real extension host (VS Code 1.139
// here), against the test server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KimiApi } from '../../src/extension';
import { estimateTokens, type MockServer } from '../server';
import { reasoningFor } from '../server/answers';
import { MODELS } from '../server/models';
import { connectToTestServer, disconnect, kimiApi, scripted, setUserSetting, TEST_KEY, waitFor, withPrompts } from './shell-support';

const CHAT = '/v1/chat/completions';
// @types/vscode follows engines.vscode (1.93), whose messages hold only strings; the running host
// (1.139) takes parts. These two build messages with parts.
type Parts = Array<vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart | vscode.LanguageModelToolResultPart>;
const userParts = (parts: Parts) => vscode.LanguageModelChatMessage.User(parts as unknown as string);
const assistantParts = (parts: Parts) => vscode.LanguageModelChatMessage.Assistant(parts as unknown as string);
const asRequestMessage = (m: vscode.LanguageModelChatMessage) => m as unknown as vscode.LanguageModelChatRequestMessage;
const hasApi = typeof (vscode.lm as { registerLanguageModelChatProvider?: unknown }).registerLanguageModelChatProvider === 'function';

type Body = { model: string; messages: Array<Record<string, unknown>>; tools?: unknown[]; tool_choice?: unknown; [k: string]: unknown };
const chatBodies = (server: MockServer) => server.requests.filter((r) => r.path === CHAT).map((r) => r.body as Body);

async function kimiModel(id: string): Promise<vscode.LanguageModelChat> {
  const [model] = await vscode.lm.selectChatModels({ vendor: 'kimi', id });
  assert.ok(model, `model ${id} is offered`);
  return model;
}

async function collect(response: vscode.LanguageModelChatResponse): Promise<unknown[]> {
  const parts: unknown[] = [];
  for await (const part of response.stream) parts.push(part);
  return parts;
}

const textOf = (parts: unknown[]) =>
  parts.filter((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart).map((p) => p.value).join('');

const WEATHER: vscode.LanguageModelChatTool = {
  name: 'get_weather',
  description: 'The weather in a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

(hasApi ? describe : describe.skip)('lm: Kimi in vscode.lm (language-model chat provider)', () => {
  let api: KimiApi;
  let server: MockServer;

  before(async () => {
    api = await kimiApi();
    server = await connectToTestServer(api);
    await setUserSetting('kimi.maxTokens', 8000, () => api.kimi.settings().maxTokens === 8000);
  });

  after(async () => {
    await setUserSetting('kimi.maxTokens', undefined, () => api.kimi.settings().maxTokens !== 8000);
    await disconnect(api, server);
  });

  beforeEach(() => server.reset());

  it('registers the provider in this VS Code', () => {
    assert.ok(api.languageModels, 'registered');
  });

  it('offers the server\'s chat models with their token limits and capabilities', async () => {
    const models = await vscode.lm.selectChatModels({ vendor: 'kimi' });
    assert.deepEqual(models.map((m) => m.id).sort(), MODELS.map((m) => m.id).sort());
    for (const listed of MODELS) {
      const m = models.find((x) => x.id === listed.id)!;
      assert.equal(m.vendor, 'kimi');
      // The output reserve is the answer length the request sends (kimi.maxTokens here).
      assert.equal(m.maxInputTokens, listed.context_length! - Math.min(8000, listed.context_length!), listed.id);
      assert.ok(m.name.length > 0 && m.family.length > 0 && m.version.length > 0);
      const caps = (m as unknown as { capabilities: { supportsImageToText: boolean; supportsToolCalling: boolean } }).capabilities;
      assert.equal(caps.supportsImageToText, listed.supports_image_in === true, `${listed.id} image input`);
      assert.equal(caps.supportsToolCalling, true, `${listed.id} tool calling`);
    }
    assert.equal(models.find((m) => m.id === 'moonshot-v1-8k')!.name, 'Moonshot v1 8K');
  });

  it('streams the answer as text parts while the server is still sending', async () => {
    server.fault({ match: CHAT, kind: 'slow', chunkDelayMs: 30 });
    const model = await kimiModel('moonshot-v1-8k');
    const words = 'one two three four five six seven eight nine ten eleven twelve';
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(`echo:${words}`)], {});
    const parts: string[] = [];
    let openWhenFirstArrived: number | undefined;
    for await (const part of response.stream) {
      assert.ok(part instanceof vscode.LanguageModelTextPart);
      openWhenFirstArrived ??= server.state.openStreams;
      parts.push(part.value);
    }
    assert.equal(parts.join(''), words);
    assert.equal(openWhenFirstArrived, 1, 'the first text arrived before the server finished');
    const [body] = chatBodies(server);
    assert.equal(body.stream, true);
    assert.deepEqual(body.messages, [{ role: 'user', content: `echo:${words}` }]);
    assert.equal(body.max_tokens, 8000);
  });

  it('round-trips a tool call: the call comes out whole, its result goes back as role "tool" with the same id', async () => {
    const model = await kimiModel('moonshot-v1-8k');
    const ask = vscode.LanguageModelChatMessage.User('call:get_weather {"city": "Beijing"}');
    const first = await collect(await model.sendRequest([ask], { tools: [WEATHER] }));
    const calls = first.filter((p): p is vscode.LanguageModelToolCallPart => p instanceof vscode.LanguageModelToolCallPart);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.name, 'get_weather');
    assert.deepEqual(calls[0]!.input, { city: 'Beijing' });
    const sentTools = chatBodies(server)[0]!.tools;
    assert.deepEqual(sentTools, [{ type: 'function', function: { name: 'get_weather', description: 'The weather in a city', parameters: WEATHER.inputSchema } }]);

    const second = await collect(
      await model.sendRequest(
        [
          ask,
          assistantParts([calls[0]!]),
          userParts([new vscode.LanguageModelToolResultPart(calls[0]!.callId, [new vscode.LanguageModelTextPart('sunny, 21 °C')])]),
        ],
        { tools: [WEATHER] },
      ),
    );
    assert.equal(textOf(second), 'The tool get_weather answered: sunny, 21 °C');
    const sent = chatBodies(server)[1]!.messages;
    assert.deepEqual(sent.slice(1), [
      { role: 'assistant', content: '', tool_calls: [{ id: calls[0]!.callId, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Beijing"}' } }] },
      { role: 'tool', tool_call_id: calls[0]!.callId, content: 'sunny, 21 °C' },
    ]);
  });

  it('reports malformed tool arguments as a clear error', async () => {
    const model = await kimiModel('moonshot-v1-8k');
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('call:get_weather {"city": Beijing')], { tools: [WEATHER] });
    await assert.rejects(collect(response), /get_weather.*not valid JSON/);
  });

  it('cancelling stops the HTTP request at once: the server sees the socket close', async () => {
    server.fault({ match: CHAT, kind: 'slow', chunkDelayMs: 40 });
    const model = await kimiModel('moonshot-v1-8k');
    const cts = new vscode.CancellationTokenSource();
    const long = `echo:${'word '.repeat(600)}`;
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(long)], {}, cts.token);
    let received = '';
    const reading = (async () => {
      for await (const part of response.stream) if (part instanceof vscode.LanguageModelTextPart) received += part.value;
    })().catch((e: unknown) => e);
    await waitFor(() => received.length > 0, 'the first text');
    assert.equal(server.state.openStreams, 1);
    cts.cancel();
    await waitFor(() => server.state.openStreams === 0, 'the server to see the disconnect');
    await reading;
    assert.ok(received.length < long.length - 5, 'the answer stopped early');
    // The prompt is longer than the 8K model's maxInputTokens: the answer was shortened to fit, not refused.
    const prompt = estimateTokens([{ role: 'user', content: long }]);
    assert.equal(chatBodies(server)[0]!.max_tokens, 8192 - prompt);
  });

  it('counts tokens with the estimate endpoint, once per text, and estimates huge texts locally', async () => {
    const model = await kimiModel('moonshot-v1-8k');
    const text = 'How many tokens does this sentence have?';
    const counts = () => server.requests.filter((r) => r.path === '/v1/tokenizers/estimate-token-count');
    assert.equal(await model.countTokens(text), estimateTokens([{ role: 'user', content: text }]));
    assert.equal(await model.countTokens(text), estimateTokens([{ role: 'user', content: text }]));
    assert.equal(counts().length, 1, 'the second count came from the cache');
    const huge = 'x'.repeat(250_000);
    assert.equal(await model.countTokens(huge), 250_000 / 4);
    assert.equal(counts().length, 1, 'the huge text was not sent');
  });

  it('keeps the reasoning of a thinking model\'s tool-call turn and sends it back on the next request', async () => {
    const model = await kimiModel('kimi-k2-thinking');
    const ask = vscode.LanguageModelChatMessage.User('call:get_weather {"city": "Paris"}');
    const first = await collect(await model.sendRequest([ask], { tools: [WEATHER] }));
    const call = first.find((p): p is vscode.LanguageModelToolCallPart => p instanceof vscode.LanguageModelToolCallPart)!;
    assert.ok(call, 'a tool call');
    assert.equal(textOf(first), '', 'the reasoning is not shown as answer text');
    await collect(
      await model.sendRequest(
        [ask, assistantParts([call]), userParts([new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelTextPart('rain')])])],
        { tools: [WEATHER] },
      ),
    );
    const assistant = chatBodies(server)[1]!.messages.find((m) => m.role === 'assistant');
    assert.ok(assistant, 'the tool-call turn was sent back as an assistant message (not folded for lack of reasoning)');
    assert.equal(assistant.reasoning_content, 'The user asked a question of 3 words. I will answer it in Markdown.');
  });

  it('replays a preserved-thinking model\'s reasoning on every earlier answer (the server refuses a turn without it)', async () => {
    const model = await kimiModel('kimi-k2.7-code');
    const ask = vscode.LanguageModelChatMessage.User('echo:first answer');
    const first = await collect(await model.sendRequest([ask], {}));
    assert.equal(textOf(first), 'first answer', 'only the answer is shown, not the reasoning');
    const again = vscode.LanguageModelChatMessage.User('echo:second answer');
    const second = await collect(await model.sendRequest([ask, vscode.LanguageModelChatMessage.Assistant(textOf(first)), again], {}));
    assert.equal(textOf(second), 'second answer');
    const [sentFirst, sentSecond] = chatBodies(server);
    assert.deepEqual(sentSecond!.messages[1], {
      role: 'assistant',
      content: 'first answer',
      reasoning_content: reasoningFor(sentFirst!.messages as never),
    });
  });

  it('estimates locally where the estimate endpoint does not know the model (kimi-k3)', async () => {
    const model = await kimiModel('kimi-k3');
    const text = 'Count me for the newest model, please.';
    assert.equal(await model.countTokens(text), Math.ceil(text.length / 4));
    const counted = server.requests.filter((r) => r.path === '/v1/tokenizers/estimate-token-count');
    assert.equal(counted.length, 1, 'asked once, then the local estimate');
    assert.equal(await model.countTokens('another text for kimi-k3'), Math.ceil('another text for kimi-k3'.length / 4));
    assert.equal(server.requests.filter((r) => r.path === '/v1/tokenizers/estimate-token-count').length, 1, 'not asked again');
  });

  it('reports a used-up balance as Blocked and a model the platform refuses as NotFound, with the next step', async () => {
    const model = await kimiModel('moonshot-v1-8k');
    const failure = async () => {
      const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('hi')], {});
      return collect(response).then(() => undefined, (e: unknown) => e as vscode.LanguageModelError);
    };
    server.fault({ match: CHAT, kind: 'status', status: 429, type: 'exceeded_current_quota_error', message: 'You exceeded your current token quota: 0' });
    const blocked = await failure();
    assert.equal(blocked?.code, 'Blocked', String(blocked));
    assert.match(blocked!.message, /top up/);
    server.fault({ match: CHAT, kind: 'status', status: 404, type: 'resource_not_found_error', message: 'Not found the model moonshot-v1-8k or Permission denied' });
    const notFound = await failure();
    assert.equal(notFound?.code, 'NotFound', String(notFound));
    assert.match(notFound!.message, /choose another model/);
  });

  it('as the Chat view\'s management command, Set API Key asks for the key (the vendor id it is given is not one)', async () => {
    const { dialogs, shown } = scripted([undefined]);
    await withPrompts(api, dialogs, () => vscode.commands.executeCommand('kimi.setApiKey', 'kimi'));
    assert.equal(shown.inputs.length, 1, 'the key was asked for');
    assert.equal((await api.kimi.apiKey())?.key, TEST_KEY, 'the stored key is unchanged');
  });

  it('without a key: no models (silently), a NoPermissions error on send, and the model list changes', async () => {
    const provider = api.languageModels!;
    const [info] = await provider.provideLanguageModelChatInformation({ silent: true }, new vscode.CancellationTokenSource().token);
    assert.ok(info, 'a model while the key is set');
    const changed = new Promise<void>((resolve) => {
      const sub = vscode.lm.onDidChangeChatModels(() => {
        sub.dispose();
        resolve();
      });
    });
    const quiet = { info: async () => undefined, confirm: async () => true };
    await withPrompts(api, quiet, () => vscode.commands.executeCommand('kimi.clearApiKey'));
    try {
      await waitFor(async () => !(await api.kimi.hasApiKey()), 'the key to be gone');
      await changed;
      assert.deepEqual(await vscode.lm.selectChatModels({ vendor: 'kimi' }), []);
      const before = server.requests.length;
      await assert.rejects(
        provider.provideLanguageModelChatResponse(info, [asRequestMessage(vscode.LanguageModelChatMessage.User('hi'))], { toolMode: vscode.LanguageModelChatToolMode.Auto }, { report: () => {} }, new vscode.CancellationTokenSource().token),
        (e: unknown) => e instanceof vscode.LanguageModelError && e.code === 'NoPermissions' && /Set API Key/.test(e.message),
      );
      assert.equal(server.requests.length, before, 'nothing was sent');
    } finally {
      await withPrompts(api, quiet, () => vscode.commands.executeCommand('kimi.setApiKey', TEST_KEY));
    }
  });
});
