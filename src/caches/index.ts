// The "Context Caches" view: tree, virtual documents and commands.
import * as vscode from 'vscode';
import type { KimiService } from '../core/service';
import { Views } from '../core/ids';
import { registerCacheCommands } from './commands';
import { CACHE_SCHEME, CacheDocumentProvider } from './document';
import { CacheNode, CacheTreeProvider } from './tree';

export interface CachesHandle {
  tree: CacheTreeProvider;
  view: vscode.TreeView<CacheNode>;
}

export function registerCaches(context: vscode.ExtensionContext, kimi: KimiService): CachesHandle {
  const tree = new CacheTreeProvider(kimi);
  const view = vscode.window.createTreeView(Views.caches, { treeDataProvider: tree, showCollapseAll: true });
  tree.view = view;
  context.subscriptions.push(tree, view, vscode.workspace.registerTextDocumentContentProvider(CACHE_SCHEME, new CacheDocumentProvider(kimi)));
  registerCacheCommands(context, kimi, tree);

  // Another key or endpoint means other caches; a model or temperature change does not.
  context.subscriptions.push(kimi.onDidChangeAccount(() => tree.reset()));
  return { tree, view };
}
