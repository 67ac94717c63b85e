/**
 * The SEB Review language server: hosts src/analysis for the editor, in its own process. Features, one module each:
 * diagnostics for run manifests (manifest-diagnostics.ts); the authority map of the open run's two trees
 * (authority/review-host.ts holds it, authority/queries.ts answers the client's requests in pages).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DiagnosticSeverity,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type TreeReader } from '../core/tree-read';
import { workingTreeReader } from '../git/tree-reader';
import { manifestDiagnostics } from './manifest-diagnostics';
import { ReviewHost } from './authority/review-host';
import { registerAuthorityRequests, registerEvidenceRequest } from './authority/requests';
import type { NotificationDef } from '../protocol/server/defs';
import { AnalysisStatusToClient, ReviewCancelToServer, ReviewCloseToServer, ReviewOpenToServer } from '../protocol/server/review';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

function notify<P>(c: Connection, def: NotificationDef<P>, params: P): void {
  void c.sendNotification(def.method, params);
}

const host = new ReviewHost({
  status: s => notify(connection, AnalysisStatusToClient, s),
  beginProgress: async (title, cancel) => {
    const reporter = await connection.window.createWorkDoneProgress();
    reporter.begin(title, undefined, 'opening the run', true);
    const sub = reporter.token.onCancellationRequested(cancel);
    return {
      report: message => reporter.report(message),
      done: () => {
        sub.dispose();
        reporter.done();
      },
    };
  },
  log: m => connection.console.info(m),
  error: m => connection.console.error(m),
});

/** The run folder a seb-run.json sits in, read through the tree reader (no links out of it, no FIFOs, sizes capped). */
function treeBeside(manifestUri: string): TreeReader {
  return workingTreeReader(path.dirname(fileURLToPath(manifestUri)));
}

async function validate(doc: TextDocument): Promise<void> {
  if (!doc.uri.startsWith('file:') || !doc.uri.endsWith('/seb-run.json')) return;
  const version = doc.version;
  const found = await manifestDiagnostics(doc.getText(), treeBeside(doc.uri));
  if (documents.get(doc.uri)?.version !== version) return; // superseded by a newer edit
  const diagnostics: Diagnostic[] = found.map(d => ({
    range: { start: doc.positionAt(d.start), end: doc.positionAt(d.end) },
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'SEB Review',
    code: d.field,
    message: d.message,
  }));
  await connection.sendDiagnostics({ uri: doc.uri, diagnostics });
}

function filePath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

function documentChanged(uri: string, text: string | undefined): void {
  const file = filePath(uri);
  if (file === undefined) return;
  host.documentChanged(file, text).catch(e => connection.console.error(`editing ${file}: ${String(e)}`));
}

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
  serverInfo: { name: 'seb-review-server' },
}));
connection.onNotification(ReviewOpenToServer.method, (p: unknown) => {
  const params = p as { target?: unknown; baseline?: unknown; gitPath?: unknown; trees?: { baseline?: unknown; run?: unknown } };
  if (typeof params?.target !== 'string') {
    connection.console.error('seb/review/open without a target: ignored');
    return;
  }
  const trees = params.trees && typeof params.trees.baseline === 'string' && typeof params.trees.run === 'string'
    ? { trees: { baseline: params.trees.baseline, run: params.trees.run } } : {};
  void host.open({
    target: params.target,
    ...(typeof params.baseline === 'string' ? { baseline: params.baseline } : {}),
    ...(typeof params.gitPath === 'string' ? { gitPath: params.gitPath } : {}),
    ...trees,
  }).then(() => {
    // documents already open in the editor count from the start
    for (const d of documents.all()) documentChanged(d.uri, d.getText());
  });
});
connection.onNotification(ReviewCloseToServer.method, () => void host.close());
connection.onNotification(ReviewCancelToServer.method, () => host.cancel());
registerAuthorityRequests(connection, host);
registerEvidenceRequest(connection, host);

documents.onDidChangeContent(e => {
  void validate(e.document).catch(err => connection.console.error(String(err)));
  documentChanged(e.document.uri, e.document.getText());
});
documents.onDidClose(e => {
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  documentChanged(e.document.uri, undefined);
});
connection.onShutdown(() => host.dispose());
documents.listen(connection);
connection.listen();
