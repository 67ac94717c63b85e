import * as z from 'zod';
import '../zod-setup';

/**
 * The authority map of a review (`seb-review/analysis@1`): for each side (baseline, run) every entry point with its
 * mounted paths, reachability, the writes it reaches and whether it passes the declared authority; every write; and
 * the fate of each baseline entry point in the run. The issue that introduced it fixes this shape; fields beyond it
 * are additions.
 */

export const ANALYSIS_FORMAT = 'seb-review/analysis@1';

export const FATES = ['kept', 'moved', 'renamed', 'hollowed', 'deleted', 'unreachable'] as const;
export type Fate = (typeof FATES)[number];

const Loc = z.object({ file: z.string(), line: z.number().int().min(1) });

/** One step of a witness path: a function (or the registration) on the way from an entry point to a write. */
export const WitnessStepSchema = z.object({
  file: z.string(),
  line: z.number().int().min(1),
  name: z.string(),
  /** How this step was reached from the previous one: a call, a reference, a hook dispatch, a dynamic import. */
  via: z.string().optional(),
});
export type WitnessStep = z.infer<typeof WitnessStepSchema>;

export const EntryPointSchema = z.object({
  id: z.string(),
  kind: z.string(),
  category: z.string(),
  file: z.string(),
  line: z.number().int().min(1),
  method: z.string().optional(),
  path: z.string().optional(),
  paths: z.array(z.string()),
  /** The event or hook name (ws "message", Hocuspocus "onChange", a queue's name). */
  event: z.string().optional(),
  handler: Loc.extend({ name: z.string(), endLine: z.number().int().min(1).optional() }),
  reachable: z.boolean(),
  why: z.string(),
  writes: z.array(z.string()),
  /** true: every path to a write passes the declared authority; false: some bypass it; null: no write or no authority. */
  viaAuthority: z.boolean().nullable(),
  /** Writes reached without passing the declared authority, each with one witness path (entry -> ... -> write). */
  bypasses: z.array(z.object({ write: z.string(), path: z.array(WitnessStepSchema) })).optional(),
  /** One witness path per write reached (for the first 64 writes by id; the rest are counted in witnessesOmitted). */
  witnesses: z.record(z.string(), z.array(WitnessStepSchema)).optional(),
  witnessesOmitted: z.number().int().min(1).optional(),
  /** MinHash of the handler's tokens: how renamed routes are matched across trees. */
  signature: z.array(z.number().int()).optional(),
  /** The rule pack that found it. */
  pack: z.string().optional(),
});
export type EntryPoint = z.infer<typeof EntryPointSchema>;

export const WriteSchema = z.object({
  id: z.string(),
  kind: z.string(),
  target: z.string(),
  file: z.string(),
  line: z.number().int().min(1),
  function: z.string(),
  /** The function's line (for links), and whether the function is itself a declared authority or inside one. */
  functionLine: z.number().int().min(1).optional(),
  pack: z.string().optional(),
});
export type Write = z.infer<typeof WriteSchema>;

export const SkippedSchema = z.object({ file: z.string(), reason: z.string() });

export const SideSchema = z.object({
  tree: z.string(),
  files: z.number().int().min(0),
  lines: z.number().int().min(0),
  skipped: z.array(SkippedSchema),
  entryPoints: z.array(EntryPointSchema),
  writes: z.array(WriteSchema),
  /** The declared authority as found in this tree: each name with where it is defined, or why it was not found. */
  authority: z.array(z.object({ name: z.string(), file: z.string().optional(), line: z.number().int().optional(), found: z.boolean() })).optional(),
});
export type Side = z.infer<typeof SideSchema>;

export const FateSchema = z.object({
  baseline: z.string(),
  fate: z.enum(FATES),
  run: z.array(z.string()),
  lostWrites: z.array(z.string()),
  gainedWrites: z.array(z.string()).optional(),
  note: z.string(),
});
export type FateRecord = z.infer<typeof FateSchema>;

export const AnalysisSchema = z.object({
  format: z.literal(ANALYSIS_FORMAT),
  analyzer: z.object({ version: z.string(), packs: z.array(z.object({ id: z.string(), version: z.number(), sha256: z.string() })) }).optional(),
  authority: z.array(z.string()).optional(),
  baseline: SideSchema,
  run: SideSchema,
  fates: z.array(FateSchema),
});
export type Analysis = z.infer<typeof AnalysisSchema>;
