/**
 * The SEB Review language server. It hosts src/analysis for the editor. Today: diagnostics for run manifests
 * (seb-run.json), field by field, and for what the manifest points at in the run's tree.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DiagnosticSeverity,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type TreeReader } from '../core/tree-read';
import { workingTreeReader } from '../git/tree-reader';
import { manifestDiagnostics } from './manifest-diagnostics';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

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

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
  serverInfo: { name: 'seb-review-server' },
}));
documents.onDidChangeContent(e => void validate(e.document).catch(err => connection.console.error(String(err))));
documents.onDidClose(e => void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));
documents.listen(connection);
connection.listen();
