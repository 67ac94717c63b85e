import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { checkManifest, fieldPath } from '../core/manifest';
import { checkManifestReferences, type TreeReader } from '../analysis/manifest-references';

export interface ManifestDiagnostic {
  /** Offsets into the document text. */
  start: number;
  end: number;
  field: string;
  message: string;
  severity: 'error' | 'warning';
}

/** The value a field path points at (or its key, with onKey); else the nearest existing parent. */
function locate(root: Node | undefined, path: ReadonlyArray<PropertyKey>, onKey = false): { start: number; end: number } {
  if (!root) return { start: 0, end: 0 };
  const segs = path.map(p => (typeof p === 'number' ? p : String(p)));
  for (let n = segs.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, segs.slice(0, n));
    if (!node) continue;
    const keyNode = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    const target = onKey && n === segs.length && keyNode ? keyNode : node;
    return { start: target.offset, end: target.offset + target.length };
  }
  return { start: root.offset, end: root.offset + 1 };
}

/** Every problem in a seb-run.json: syntax, schema (field by field), then what it points at in the run's tree. */
export async function manifestDiagnostics(text: string, tree: TreeReader): Promise<ManifestDiagnostic[]> {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0) {
    return errors.map(e => ({
      start: e.offset,
      end: e.offset + Math.max(1, e.length),
      field: '(root)',
      message: `seb-run.json is not valid JSON: ${printParseErrorCode(e.error)}`,
      severity: 'error' as const,
    }));
  }
  const checked = checkManifest(text);
  if (!checked.ok) {
    return checked.problems.map(p => ({ ...locate(root, p.path, p.onKey), field: p.field, message: `${p.field}: ${p.message}`, severity: 'error' as const }));
  }
  const refs = await checkManifestReferences(checked.value, tree);
  return refs.map(p => ({ ...locate(root, p.path), field: fieldPath(p.path), message: `${fieldPath(p.path)}: ${p.message}`, severity: p.severity }));
}
