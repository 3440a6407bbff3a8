// Style sheets imported for their side effect: esbuild bundles them into dist/webview/chat.css.
declare module '*.css';
