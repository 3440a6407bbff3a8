// Shared by the shell's host tests: the extension's test API, the test server pointed at by the user
// setting kimi.baseUrl, and scripted answers to the extension's dialogs.
import * as vscode from 'vscode';
import type { KimiApi } from '../../src/extension';
import type { Dialogs, StepOptions } from '../../src/core/dialogs';
import { startMockServer, type MockServer } from '../server';

export const EXTENSION_ID = 'kimi-vscode.kimi-vscode';
export const TEST_KEY = 'sk-test-key';

export async function kimiApi(): Promise<KimiApi> {
  const extension = vscode.extensions.getExtension<KimiApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  // The extension exports this API only in Test mode (extensionTestsPath in the host's payload).
  if (!api) throw new Error(`${EXTENSION_ID} exported nothing: the host does not run it in Test mode`);
  await api.ready;
  return api;
}

/** Starts a test server, points the user setting kimi.baseUrl at it and stores the test key. */
export async function connectToTestServer(api: KimiApi, options: Parameters<typeof startMockServer>[0] = {}): Promise<MockServer> {
  const server = await startMockServer({ cacheReadyAfterMs: 200, ...options });
  await setUserSetting('kimi.baseUrl', server.url, () => api.kimi.connection().baseUrl === server.url);
  const saved = await withPrompts(api, { info: async () => undefined, confirm: async () => true }, () => vscode.commands.executeCommand<boolean>('kimi.setApiKey', TEST_KEY));
  if (!saved) throw new Error('the test key was not saved');
  await waitFor(async () => (await api.kimi.apiKey())?.key === TEST_KEY, 'the stored key to be read back');
  return server;
}

export async function disconnect(api: KimiApi, server: MockServer | undefined): Promise<void> {
  await withPrompts(api, { info: async () => undefined }, () => vscode.commands.executeCommand('kimi.clearApiKey'));
  await setUserSetting('kimi.baseUrl', undefined, () => api.kimi.connection().baseUrl !== server?.url);
  await server?.close();
}

export async function setUserSetting(id: string, value: unknown, settled: () => boolean): Promise<void> {
  const dot = id.indexOf('.');
  await vscode.workspace.getConfiguration(id.slice(0, dot)).update(id.slice(dot + 1), value, vscode.ConfigurationTarget.Global);
  await waitFor(settled, `${id} to take effect`);
}

/** Records every message shown while `body` runs, and answers dialogs with the given functions. */
export async function withPrompts<T>(api: KimiApi, answers: Partial<Dialogs>, body: () => Thenable<T> | Promise<T>): Promise<T> {
  const saved = { ...api.dialogs };
  Object.assign(api.dialogs, answers);
  try {
    return await body();
  } finally {
    Object.assign(api.dialogs, saved);
  }
}

/** A step answer: the Back button of a multi-step input. */
export const BACK = { back: true } as const;

type Answer = string | undefined | typeof BACK;
/** A box's options; a step of a multi-step input also has step/totalSteps. */
type Box = vscode.InputBoxOptions & Partial<StepOptions>;

/**
 * A dialogs stand-in that answers input boxes (single ones and the steps of a multi-step input) from
 * one queue and records messages.
 */
export function scripted(inputs: Array<Answer | ((o: Box) => Answer)>, confirm = true) {
  const shown: { info: string[]; warn: string[]; error: string[]; inputs: Box[]; confirms: string[]; questions: string[] } = {
    info: [],
    warn: [],
    error: [],
    inputs: [],
    confirms: [],
    questions: [],
  };
  const answer = (o: Box): Answer => {
    shown.inputs.push(o);
    if (!inputs.length) throw new Error(`unexpected input box: ${o.title ?? o.prompt}`);
    const next = inputs.shift();
    return typeof next === 'function' ? next(o) : next;
  };
  const dialogs: Partial<Dialogs> = {
    input: async (o) => {
      const next = answer(o);
      if (typeof next === 'object') throw new Error(`Back answered to a single input box: ${o.title ?? o.prompt}`);
      return next;
    },
    step: async (o) => answer(o),
    confirm: async (message) => {
      shown.confirms.push(message);
      return confirm;
    },
    question: async (message, detail) => {
      shown.questions.push(`${message}\n${detail}`);
      return confirm;
    },
    info: async (m) => void shown.info.push(m),
    warn: async (m) => void shown.warn.push(m),
    error: async (m) => void shown.error.push(m),
  };
  return { dialogs, shown };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Closes every editor, reverting it first, so no document of an earlier test is counted or asks to be saved. */
export async function closeEditors(): Promise<void> {
  for (let i = 0; i < 20 && vscode.window.activeTextEditor; i++) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** A folder of the test workspace for one suite's files: `open` writes a file there and shows it. */
export function scratchFolder(name: string) {
  const dir = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, name);
  return {
    dir,
    create: () => vscode.workspace.fs.createDirectory(dir),
    remove: () => vscode.workspace.fs.delete(dir, { recursive: true }),
    async open(file: string, content: string): Promise<vscode.TextEditor> {
      const uri = vscode.Uri.joinPath(dir, file);
      await vscode.workspace.fs.writeFile(uri, Buffer.from(content));
      return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    },
  };
}
