/**
 * Three graders score the demo run: each a signed worksheet on the packaged rubric, bound to the demo run's trees, with
 * rationales and evidence in its real files. Two are the references, the third the candidate being calibrated.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { allowedSignersLine, generateSigningKey, serializeEnvelope, signWorksheet } from '../../src/core/attestation';
import { parseRubric } from '../../src/core/rubric';
import { type Evidence, type Worksheet } from '../../src/core/worksheet';
import { runTrees } from '../../src/cli/attestation-io';
import { ROOT } from '../harness/env';

export interface GradedDemo {
  candidate: string;
  reference: string;
  allowedSigners: string;
  /** The worksheet files, by grader. */
  files: Record<string, string>;
}

type Scores = Record<string, [number, string, Evidence[]]>;

const run = (p: string, startLine: number, endLine: number, note?: string): Evidence => ({ side: 'run', path: p, startLine, endLine, ...(note ? { note } : {}) });
const base = (p: string, startLine: number, endLine: number): Evidence => ({ side: 'baseline', path: p, startLine, endLine });

/** What each grader gives, by dimension: points, rationale, evidence. */
const GRADERS: Record<string, Scores> = {
  'ref-ana': {
    'invariant-plan': [17, 'The plan names one authority, applyDocumentWrite, and the writes it must own.', [run('docs/AUTHORITY_PLAN.md', 1, 20)]],
    simplification: [20, 'The projection repair loop is gone; derived views replace it.', [base('server/projection/repair.ts', 1, 30), run('server/authority/derive.ts', 1, 25)]],
    wiring: [8, 'REST, agent and mark routes call the authority; Y.Doc load still writes outside it.', [run('server/marks/marks.ts', 77, 81), run('server/authority/persistence.ts', 1, 30)]],
    'no-parallel-authority': [14, 'No second write path survives in the routes.', [run('server/routes/documents.ts', 1, 40)]],
    'correctness-incidents': [20, 'Both incident tests kept and run against the authority.', [run('test/incident-2026-02-duplicate-paragraphs.test.ts', 1, 30)]],
    'durability-lifecycle': [2, 'The update log is flushed on shutdown.', [run('server/authority/document-authority.ts', 150, 207)]],
  },
  'ref-ben': {
    'invariant-plan': [16, 'A clear invariant, stated before the code.', [run('docs/AUTHORITY_PLAN.md', 1, 12)]],
    simplification: [21, 'Fewer moving parts: one write function, derived views.', [run('server/authority/derive.ts', 1, 25)]],
    wiring: [9, 'Every route I traced reaches applyDocumentWrite.', [run('server/marks/marks.ts', 77, 81)]],
    'no-parallel-authority': [13, 'The repair job is gone, but the persistence load writes to Yjs on its own.', [run('server/authority/persistence.ts', 1, 30)]],
    'correctness-incidents': [19, 'Incident regressions kept; one test skips the WebSocket path.', [run('test/incident-2026-03-crash-on-reconnect.test.ts', 1, 30)]],
    'durability-lifecycle': [3, 'Lifecycle handled: flush and close.', [run('server/authority/document-authority.ts', 150, 207)]],
  },
  'model-cal': {
    'invariant-plan': [18, 'The plan is explicit and complete.', [run('docs/AUTHORITY_PLAN.md', 1, 74)]],
    simplification: [24, 'A large simplification.', [run('server/authority/document-authority.ts', 1, 60)]],
    wiring: [10, 'All writes go through the authority.', [run('server/marks/marks.ts', 77, 81), run('server/routes/agent.ts', 1, 30)]],
    'no-parallel-authority': [17, 'No parallel authority found.', [run('server/authority/document-authority.ts', 1, 40)]],
    'correctness-incidents': [15, 'Tests pass, but I could not tell which replay the incidents.', [run('test-results/final-run.log', 1, 20)]],
    'durability-lifecycle': [3, 'Shutdown flushes the log.', [run('server/authority/document-authority.ts', 150, 207)]],
  },
};

/** Writes the three graders' keys, signed worksheets and the allowed-signers file under `dir`. */
export async function gradeDemoRun(demoDir: string, dir: string): Promise<GradedDemo> {
  const rubricFile = path.join(ROOT, 'rubric', 'seb-v1.0.rubric.json');
  const bytes = readFileSync(rubricFile);
  const rubric = parseRubric(bytes.toString('utf8'), rubricFile);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const trees = await runTrees(demoDir, undefined);
  const candidate = path.join(dir, 'candidate');
  const reference = path.join(dir, 'reference');
  mkdirSync(candidate, { recursive: true });
  mkdirSync(reference, { recursive: true });
  const signers: string[] = [];
  const files: Record<string, string> = {};
  for (const [grader, scores] of Object.entries(GRADERS)) {
    const key = generateSigningKey();
    signers.push(allowedSignersLine(grader, key.publicKey));
    const entries = rubric.dimensions.map(d => {
      const s = scores[d.id];
      if (s === undefined) throw new Error(`no score for ${d.id} by ${grader}`);
      return { dimension: d.id, points: s[0], rationale: s[1], evidence: s[2] };
    });
    const ws: Worksheet = {
      format: 'seb-review/worksheet@1',
      rubric: { id: rubric.id, version: rubric.version, sha256 },
      run: { runId: trees.runId, baseline: { commit: trees.commits.baseline, tree: trees.baseline }, head: { commit: trees.commits.head, tree: trees.run } },
      grader: { name: grader, kind: grader.startsWith('model') ? 'model' : 'human', keyId: key.keyId },
      entries, gaps: '', total: entries.reduce((n, e) => n + e.points, 0),
      createdAt: '2026-11-30T09:00:00.000Z', updatedAt: '2026-11-30T09:30:00.000Z',
    };
    const file = path.join(grader.startsWith('model') ? candidate : reference, `${trees.runId}.${grader}.worksheet.json`);
    writeFileSync(file, serializeEnvelope(signWorksheet(ws, path.basename(rubricFile), key)));
    files[grader] = file;
  }
  const allowedSigners = path.join(dir, 'allowed_signers');
  writeFileSync(allowedSigners, signers.join('\n') + '\n');
  return { candidate, reference, allowedSigners, files };
}
