// Types for server.mjs, which test/e2e/workbench.ts imports.
import type { Browser } from 'playwright-core';

export declare const quietSettings: Record<string, unknown>;

export declare function vscodePaths(root: string): { node: string; server: string };

export interface VSCodeServerOptions {
  root: string;
  profileDir?: string;
  workspace?: string;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  port?: number;
  onOutput?: (text: string) => void;
  extensionsDir?: string;
  testDriver?: boolean;
}

export interface VSCodeServer {
  url: string;
  port: number;
  host: string;
  authority: string;
  tempDir: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  stop(): Promise<void>;
  output(): string;
}

export declare function startVSCodeServer(options: VSCodeServerOptions): Promise<VSCodeServer>;

export declare function workbenchUrl(
  server: VSCodeServer,
  options?: { folder?: string; extensionDevelopmentPath?: string; extensionTestsPath?: string },
): string;

export declare function launchChromium(options?: { headless?: boolean }): Promise<Browser>;

export declare function installVsix(options: { root: string; vsix: string; extensionsDir: string }): Promise<string>;
