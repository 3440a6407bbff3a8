// `npm run mock`: starts the test server by hand so a person can point the extension at it.
//   node dist/test/server/cli.js [--port 8787] [--key sk-test-key] [--chunk-delay 20] [--cache-ready-after 300] [--current-models-only]
import { startMockServer, TEST_API_KEY } from './index';

function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return undefined;
  const arg = args[at];
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[at + 1];
}

function numberFlag(name: string, fallback: number): number {
  const text = flag(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`--${name} needs a non-negative number, got ${text}`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const key = flag('key') ?? TEST_API_KEY;
  const server = await startMockServer({
    port: numberFlag('port', 0),
    apiKeys: [key],
    chunkDelayMs: numberFlag('chunk-delay', 20),
    cacheReadyAfterMs: numberFlag('cache-ready-after', 300),
    currentModelsOnly: process.argv.includes('--current-models-only'),
  });
  console.log(`Kimi test server listening on ${server.url}`);
  console.log(`API key: ${key}`);
  console.log(`Point the extension at it: set "kimi.baseUrl": "${server.url}" and run "Kimi: Set API Key" with the key above.`);
  if (server.state.currentModelsOnly) console.log('Only the current models are listed; older ids answer 404.');
  console.log('Control: POST /__mock/faults, POST /__mock/models, POST /__mock/reset, GET /__mock/requests, GET /__mock/state. Ctrl+C stops.');
  const stop = (): void => {
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
