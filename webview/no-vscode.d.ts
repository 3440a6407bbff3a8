// The page has no `vscode` module: it reaches the host only through acquireVsCodeApi and the messages of
// src/chat/protocol.ts. webview/tsconfig.json maps 'vscode' to this file, which is no module, so that an
// import of it fails the type check instead of finding @types/vscode.
declare const noVscodeModuleInThePage: unique symbol;
