import * as z from 'zod';
import { relativePathProblem } from './relative-path';
import { checkWith } from './rubric';
import { type ParseResult } from './parse-result';

const RelativePath = z.string().superRefine((p, ctx) => {
  const problem = relativePathProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: `path ${JSON.stringify(p)} ${problem}` });
});
const Sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'must be a full git object id');
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest');

/** Lines of one file of the baseline or of the run that back a score. */
export const EvidenceSchema = z
  .strictObject({
    side: z.enum(['baseline', 'run']),
    path: RelativePath,
    startLine: z.number().int().min(1),
    endLine: z.number().int().min(1),
    note: z.string().optional(),
  })
  .refine(e => e.endLine >= e.startLine, { message: 'endLine is before startLine', path: ['endLine'] });

export const GraderSchema = z.strictObject({
  name: z.string(),
  kind: z.enum(['human', 'model']),
  keyId: z.string().optional(),
});

const TreeRef = z.strictObject({ commit: Sha.optional(), tree: Sha });

/**
 * The authority analysis the worksheet's evidence drew from: its digest (core/authority/digest.ts) and the inputs it
 * covers, so a reader can run the same analysis (`seb-review analyze`) and compare. `edited`: run files analysed with
 * unsaved editor text at the time, when any.
 */
export const AnalysisRefSchema = z.strictObject({
  digest: Sha256,
  analyzer: z.string().min(1),
  packs: z.array(z.strictObject({ id: z.string().min(1), version: z.number().int(), sha256: Sha256 })),
  authority: z.array(z.string()),
  baselineTree: Sha,
  runTree: Sha,
  edited: z.array(RelativePath).optional(),
});
const RubricRef = z.strictObject({ id: z.string().min(1), version: z.string().min(1), sha256: Sha256 });

export const DraftEntrySchema = z.strictObject({
  /** As typed: kept even when invalid, never clamped. */
  points: z.string(),
  rationale: z.string(),
  evidence: z.array(EvidenceSchema),
});

/** A reviewer's work in progress, autosaved outside the run's tree. */
export const DraftSchema = z.strictObject({
  format: z.literal('seb-review/draft@1'),
  /** Bumped by every save; a window that finds a revision it did not write knows another window saved. */
  revision: z.number().int().min(0),
  writer: z.string(),
  rubric: RubricRef,
  run: z.strictObject({ runId: z.string().min(1), root: z.string(), baseline: TreeRef, head: TreeRef }),
  grader: GraderSchema,
  entries: z.record(z.string(), DraftEntrySchema),
  gaps: z.string(),
  analysis: AnalysisRefSchema.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** The finished worksheet: what is signed (issue: signed worksheets). Points are numbers; the total is computed. */
export const WorksheetSchema = z.strictObject({
  format: z.literal('seb-review/worksheet@1'),
  rubric: RubricRef,
  run: z.strictObject({ runId: z.string().min(1), baseline: TreeRef, head: TreeRef }),
  grader: GraderSchema.extend({ name: z.string().min(1) }),
  entries: z.array(z.strictObject({
    dimension: z.string().min(1),
    points: z.number().finite(),
    rationale: z.string().min(1),
    evidence: z.array(EvidenceSchema),
  })),
  gaps: z.string(),
  analysis: AnalysisRefSchema.optional(),
  total: z.number().finite(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/**
 * The worksheet inside a signed envelope: the grader is bound to a signing key. Verification requires a valid signature
 * by the key with this id, so the grader a worksheet names is always someone who signed it.
 */
export const SignedWorksheetSchema = WorksheetSchema.extend({
  grader: GraderSchema.extend({ name: z.string().min(1), keyId: z.string().min(1, 'is empty: a signed worksheet names its grader\'s key') }),
});

export type Evidence = z.infer<typeof EvidenceSchema>;
export type AnalysisRef = z.infer<typeof AnalysisRefSchema>;
export type Grader = z.infer<typeof GraderSchema>;
export type DraftEntry = z.infer<typeof DraftEntrySchema>;
export type Draft = z.infer<typeof DraftSchema>;
export type Worksheet = z.infer<typeof WorksheetSchema>;
export type SignedWorksheet = z.infer<typeof SignedWorksheetSchema>;

export function checkDraft(text: string): ParseResult<Draft> {
  return checkWith(DraftSchema, text);
}

export function checkWorksheet(text: string): ParseResult<Worksheet> {
  return checkWith(WorksheetSchema, text);
}

/** An empty entry for every dimension the draft lacks (a rubric can gain dimensions between versions). */
export function withAllDimensions(draft: Draft, dimensionIds: readonly string[]): Draft {
  const entries = { ...draft.entries };
  for (const id of dimensionIds) entries[id] ??= { points: '', rationale: '', evidence: [] };
  return { ...draft, entries };
}
