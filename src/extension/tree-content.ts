import * as vscode from 'vscode';
import path from 'node:path';
import { Disposable } from './lifecycle';
import { Schemes } from './ids';
import { type RunSession } from './run-session';
import { type FileChange, baselinePath, runPath } from '../core/file-change';
import { relativePathProblem } from '../core/relative-path';
import { type Evidence } from '../core/worksheet';

/** Read-only documents of the baseline's tree (and of the run's tree when the head is a commit, not the working tree). */
export const BASELINE_SCHEME = Schemes.baseline;
export const RUN_SCHEME = Schemes.run;
const EMPTY = 'empty';

/** `seb-baseline:/path/in/tree?<tree id>`; query "empty" = the side of an added or deleted file that does not exist. */
export function treeUri(scheme: string, tree: string, rel: string): vscode.Uri {
  return vscode.Uri.from({ scheme, path: '/' + rel, query: tree });
}

export function emptyUri(rel: string): vscode.Uri {
  return vscode.Uri.from({ scheme: BASELINE_SCHEME, path: '/' + rel, query: EMPTY });
}

/** Where each side of a change opens: the baseline from git, the run from disk when the head is the working tree. */
export function sideUris(session: RunSession, c: FileChange): { left: vscode.Uri; right: vscode.Uri } | undefined {
  const review = session.review;
  if (!review) return undefined;
  const base = baselinePath(c);
  const head = runPath(c);
  const left = base === undefined ? emptyUri(c.path) : treeUri(BASELINE_SCHEME, review.workspace.baselineTree, base);
  let right: vscode.Uri;
  if (head === undefined) right = emptyUri(c.path);
  else if (review.run.head.source.kind === 'working-tree') right = vscode.Uri.file(path.join(review.run.root, head));
  else right = treeUri(RUN_SCHEME, review.workspace.headTree, head);
  return { left, right };
}

/** Where a file of one side opens: the baseline from git; the run from disk when its head is the working tree. */
export function sideFileUri(session: RunSession, side: 'baseline' | 'run', rel: string): vscode.Uri | undefined {
  const review = session.review;
  if (!review) return undefined;
  if (side === 'baseline') return treeUri(BASELINE_SCHEME, review.workspace.baselineTree, rel);
  return review.run.head.source.kind === 'working-tree' ? vscode.Uri.file(path.join(review.run.root, rel)) : treeUri(RUN_SCHEME, review.workspace.headTree, rel);
}

/** Which tree an editor's document belongs to, and its path there; undefined when it is neither the run nor its baseline. */
export function locate(session: RunSession, uri: vscode.Uri): { side: Evidence['side']; path: string } | undefined {
  const review = session.review;
  if (!review) return undefined;
  if (uri.scheme === BASELINE_SCHEME && uri.query !== 'empty') return { side: 'baseline', path: uri.path.slice(1) };
  if (uri.scheme === RUN_SCHEME) return { side: 'run', path: uri.path.slice(1) };
  if (uri.scheme === 'file') {
    const rel = path.relative(review.run.root, uri.fsPath).split(path.sep).join('/');
    if (!relativePathProblem(rel)) return { side: 'run', path: rel };
  }
  return undefined;
}

/** The documents of both schemes. Registered with VS Code by the shell (extension.ts) at activation, which calls this. */
export class TreeContentProvider extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly session: RunSession) {
    super();
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    if (uri.query === EMPTY) return '';
    const review = this.session.review;
    if (!review) throw new Error(`No run is open: ${uri.path.slice(1)} cannot be read from ${uri.scheme === BASELINE_SCHEME ? 'the baseline' : 'the run'}`);
    const bytes = await review.workspace.blob(`${uri.query}:${uri.path.slice(1)}`);
    if (bytes.subarray(0, 8000).includes(0)) return `(binary file, ${bytes.length.toLocaleString()} bytes: not shown as text)`;
    return bytes.toString('utf8');
  }
}
