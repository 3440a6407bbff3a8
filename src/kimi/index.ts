// Public surface of the Kimi API client.
export { KimiClient, DEFAULT_MAX_RETRIES } from './client';
export {
  InvokeError,
  InvokeConnectionError,
  InvokeTimeoutError,
  InvokeServerUnavailableError,
  InvokeRateLimitError,
  InvokeAuthorizationError,
  InvokeBadRequestError,
  isQuotaError,
  isAbortError,
} from './errors';
export { DEFAULT_BASE_URL } from './transport';
export * from './types';
export {
  modelFacts,
  recommendedModel,
  PREFERRED_MODELS,
  type ModelFacts,
  type ThinkingMode,
  type ThinkingControl,
  type PriceTier,
} from './model-facts';
export {
  chatParams,
  DEFAULT_MAX_TOKENS,
  DEFAULT_MAX_TOKENS_THINKING,
  type ChatPreferences,
  type ThinkingPreference,
  type ReasoningEffort,
  type ModelChatParams,
} from './chat-params';
export { messagesFor, FOLDED_HISTORY_INTRO, type HistoryOptions } from './history';
export {
  AnswerAccumulator,
  readAnswer,
  answerUsage,
  type Answer,
  type AnswerDelta,
  type AnswerUsage,
} from './answer';
