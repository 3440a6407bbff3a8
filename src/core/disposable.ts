// One lifecycle for every long-lived object: children are registered as they are made and disposed
// once, newest first (a view before the service it uses). No vscode import, so plain Node tests it.

export interface Disposal {
  dispose(): unknown;
}

export class Disposable implements Disposal {
  private readonly children: Disposal[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Keeps `child` until this is disposed; a child registered after that is disposed at once. */
  register<T extends Disposal>(child: T): T {
    if (this.disposed) disposeQuietly(child);
    else this.children.push(child);
    return child;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const child of this.children.splice(0).reverse()) disposeQuietly(child);
  }
}

/** One child failing to dispose must not keep the others alive. */
function disposeQuietly(child: Disposal): void {
  try {
    child.dispose();
  } catch (e) {
    console.error('Kimi: a dispose() failed', e);
  }
}
