import * as vscode from 'vscode';

/**
 * Providers the shell (extension.ts) registers at activation for what VS Code may ask about before the features bundle
 * has loaded; each hands over to the real provider from the features bundle. They import nothing else, so the shell
 * stays small.
 */

/** A tree view's provider: empty (the view's welcome content shows) until `attach` hands it the real one. */
export class LateTreeDataProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private target: vscode.TreeDataProvider<T> | undefined;
  private subscription: vscode.Disposable | undefined;
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | null>();
  readonly onDidChangeTreeData = this.changed.event;

  attach(target: vscode.TreeDataProvider<T>): void {
    this.subscription?.dispose();
    this.target = target;
    this.subscription = target.onDidChangeTreeData?.(e => this.changed.fire(e ?? undefined));
    this.changed.fire(undefined);
  }

  getChildren(element?: T): vscode.ProviderResult<T[]> {
    return this.target ? this.target.getChildren(element) : [];
  }

  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    // VS Code asks only about elements getChildren returned, and it returns none before the target is attached
    if (!this.target) throw new Error('no tree data provider yet');
    return this.target.getTreeItem(element);
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}

/** A text document content provider that loads the real one on the first document it is asked for. */
export class LateContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private subscription: vscode.Disposable | undefined;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly load: () => Promise<vscode.TextDocumentContentProvider>) {}

  attach(target: vscode.TextDocumentContentProvider): void {
    this.subscription?.dispose();
    this.subscription = target.onDidChange?.(uri => this.changed.fire(uri));
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string | null | undefined> {
    const target = await this.load();
    return target.provideTextDocumentContent(uri, token);
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}
