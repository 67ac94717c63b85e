/**
 * The adjudicator's decisions on one disputed run, autosaved as a draft in the extension's storage: one JSON file per
 * run and set of source worksheets (the run id and the sorted sha256s of their files), written atomically, so the
 * same worksheets audited again find their decisions. A draft that cannot be read is moved aside and reported, never
 * silently dropped or overwritten. Plain Node (no 'vscode'): tested in test/unit/audit-draft.test.ts.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { describeIssues, parseJsonText } from '../../core/manifest';
import { formatProblems } from '../../core/rubric';
import { writeAtomically } from '../drafts/draft-file';
import { type DecisionInput } from '../../protocol/webview/audit';

export const AUDIT_DRAFT_FORMAT = 'seb-review/audit-draft@1';

const DraftSchema = z.strictObject({
  format: z.literal(AUDIT_DRAFT_FORMAT),
  runId: z.string().min(1),
  /** The sha256 of each source worksheet's file, sorted. */
  sources: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
  /** As typed: points kept even when invalid, never clamped. */
  decisions: z.record(z.string(), z.strictObject({ mode: z.enum(['mean', 'set']), points: z.string(), rationale: z.string() })),
  /** Where the signed record was written, once it was. */
  exported: z.strictObject({ file: z.string(), at: z.string() }).optional(),
  updatedAt: z.string(),
});
export type AuditDraft = z.infer<typeof DraftSchema>;

/** The key of a draft: the run and exactly these source files' bytes. */
export function auditDraftName(runId: string, sha256s: readonly string[]): string {
  const sources = [...sha256s].sort();
  const digest = createHash('sha256').update(JSON.stringify([runId, sources])).digest('hex').slice(0, 24);
  const safe = runId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 60) || 'run';
  return `${safe}.${digest}.audit.json`;
}

export interface LoadedAuditDraft {
  draft?: AuditDraft;
  /** Why the draft file could not be used (it was moved aside, named here). */
  problem?: string;
}

export class AuditDraftStore {
  constructor(readonly dir: string) {}

  fileFor(runId: string, sha256s: readonly string[]): string {
    return path.join(this.dir, auditDraftName(runId, sha256s));
  }

  /** The draft for this run and these sources; nothing when there is none; the problem when it cannot be read. */
  async load(runId: string, sha256s: readonly string[]): Promise<LoadedAuditDraft> {
    const file = this.fileFor(runId, sha256s);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      return { problem: `The saved decisions ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); starting from the mean.` };
    }
    const json = parseJsonText(text);
    const parsed = json.ok ? DraftSchema.safeParse(json.value) : undefined;
    const why = !json.ok ? formatProblems(json.problems) : parsed && !parsed.success ? formatProblems(describeIssues(parsed.error)) : undefined;
    const sources = [...sha256s].sort();
    const mismatch = parsed?.success && (parsed.data.runId !== runId || JSON.stringify(parsed.data.sources) !== JSON.stringify(sources))
      ? 'it is for other worksheets' : undefined;
    if (parsed?.success && mismatch === undefined) return { draft: parsed.data };
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const moved = await rename(file, aside).then(() => true, () => false);
    return { problem: `The saved decisions ${file} could not be used (${why ?? mismatch ?? 'unknown'})${moved ? `; kept as ${path.basename(aside)}` : ''}; starting from the mean.` };
  }

  /** Writes the draft atomically (temporary file, flush, rename). */
  async save(runId: string, sha256s: readonly string[], decisions: Readonly<Record<string, DecisionInput>>, exported?: AuditDraft['exported']): Promise<AuditDraft> {
    const draft: AuditDraft = {
      format: AUDIT_DRAFT_FORMAT, runId, sources: [...sha256s].sort(), decisions: { ...decisions },
      ...(exported ? { exported } : {}), updatedAt: new Date().toISOString(),
    };
    await mkdir(this.dir, { recursive: true });
    await writeAtomically(this.fileFor(runId, sha256s), JSON.stringify(draft, null, 2) + '\n');
    return draft;
  }
}
