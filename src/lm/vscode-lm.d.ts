// The part of VS Code's language-model chat provider API (finalized in 1.104) that src/lm uses.
// Declared here, not taken from a newer @types/vscode, because engines.vscode stays ^1.95 (the forks
// built on older VS Code) and vsce refuses @types/vscode newer than engines. The register function is
// typed as possibly undefined, so every caller has to check that the running VS Code has it.
// Shapes as in VS Code 1.139's vscode.d.ts, trimmed to what is used.
declare module 'vscode' {
  export interface LanguageModelChatCapabilities {
    readonly imageInput?: boolean;
    /** true, or the largest number of tools the model takes. */
    readonly toolCalling?: boolean | number;
  }

  export interface LanguageModelChatInformation {
    readonly id: string;
    readonly name: string;
    readonly family: string;
    readonly version: string;
    readonly tooltip?: string;
    readonly detail?: string;
    readonly maxInputTokens: number;
    readonly maxOutputTokens: number;
    readonly capabilities: LanguageModelChatCapabilities;
  }

  export interface PrepareLanguageModelChatModelOptions {
    /** true: the user did not ask, so show no UI (no key prompt). */
    readonly silent: boolean;
  }

  export interface ProvideLanguageModelChatResponseOptions {
    readonly modelOptions?: { readonly [name: string]: unknown };
    readonly tools?: readonly LanguageModelChatTool[];
    readonly toolMode: LanguageModelChatToolMode;
  }

  /** What the provider receives: parts are text, tool calls, tool results and (since 1.105) data parts. */
  export interface LanguageModelChatRequestMessage {
    readonly role: LanguageModelChatMessageRole;
    readonly content: ReadonlyArray<unknown>;
    readonly name: string | undefined;
  }

  // Tool calling (finalized in 1.95): engines.vscode is ^1.93 (the oldest tested VS Code), so these
  // come from here too. At run time they exist wherever the provider API does (1.104+).
  export class LanguageModelTextPart {
    value: string;
    constructor(value: string);
  }

  export class LanguageModelToolCallPart {
    callId: string;
    name: string;
    input: object;
    constructor(callId: string, name: string, input: object);
  }

  export class LanguageModelToolResultPart {
    callId: string;
    content: unknown[];
    constructor(callId: string, content: unknown[]);
  }

  export enum LanguageModelChatToolMode {
    Auto = 1,
    Required = 2,
  }

  export interface LanguageModelChatTool {
    name: string;
    description: string;
    inputSchema?: object;
  }

  export interface LanguageModelChatRequestOptions {
    tools?: LanguageModelChatTool[];
    toolMode?: LanguageModelChatToolMode;
  }

  export interface LanguageModelChatResponse {
    stream: AsyncIterable<LanguageModelTextPart | LanguageModelToolCallPart | unknown>;
  }

  export type LanguageModelResponsePart = LanguageModelTextPart | LanguageModelToolCallPart;

  export interface LanguageModelChatProvider<T extends LanguageModelChatInformation = LanguageModelChatInformation> {
    readonly onDidChangeLanguageModelChatInformation?: Event<void>;
    provideLanguageModelChatInformation(options: PrepareLanguageModelChatModelOptions, token: CancellationToken): ProviderResult<T[]>;
    provideLanguageModelChatResponse(
      model: T,
      messages: readonly LanguageModelChatRequestMessage[],
      options: ProvideLanguageModelChatResponseOptions,
      progress: Progress<LanguageModelResponsePart>,
      token: CancellationToken,
    ): Thenable<void>;
    provideTokenCount(model: T, text: string | LanguageModelChatRequestMessage, token: CancellationToken): Thenable<number>;
  }

  export namespace lm {
    /** Undefined before VS Code 1.104 (and in forks on older bases). */
    export const registerLanguageModelChatProvider: ((vendor: string, provider: LanguageModelChatProvider) => Disposable) | undefined;
  }
}
