// Types for vsix.mjs, which test/e2e/installed-package.spec.ts imports.
export declare function listVsix(file: string): Array<{ path: string; size: number; compressedSize: number }>;
