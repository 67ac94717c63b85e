import { parseJsonText } from '../manifest';
import { formatProblems } from '../rubric';
import { checkReferences } from '../references';
import { checkWorksheet, type Evidence, type Worksheet } from '../worksheet';
import { SebError } from '../errors';
import { checkWorksheetAgainstRubric, verifyEnvelope, type AllowedSigner, type ResolvedRubric, type RubricResolver } from '../attestation';
import { type Excluded, type GraderInfo, type SourceWorksheet } from './types';

/**
 * The worksheets a calibration or an agreement is computed from: signed worksheets (DSSE envelopes, verified against
 * the allowed signers; one that fails is left out with its reason, never used), plain worksheets (`*.predicate.json`,
 * marked unsigned everywhere) and published reference profiles (`*.references.json`, one run per profile, totals and
 * the dimensions the benchmark published). Pure: the texts come in, already read.
 */

/** One grader's scores for one run. */
export interface ScoredSheet {
  file: string;
  /** sha256 (hex) of the file's bytes, when read from a file. */
  sha256?: string;
  /** The grader's key id, for a signed worksheet. */
  keyId?: string;
  kind: 'worksheet' | 'references';
  signed: boolean;
  /** The verified signer's identity for a signed worksheet, else the worksheet's grader.name (or the references' label). */
  grader: string;
  runId: string;
  /** Points by dimension id: every dimension for a worksheet, the published ones for a reference profile. */
  points: Map<string, number>;
  total: number;
  rationale: Map<string, string>;
  evidence: Map<string, Evidence[]>;
  trees?: { baseline: string; run: string };
}

export interface WorksheetSet {
  sheets: ScoredSheet[];
  excluded: Excluded[];
  /** How many signed worksheets failed verification (or could not be verified). */
  failed: number;
}

export interface InputText {
  file: string;
  text: string;
  /** sha256 (hex) of the file's bytes, as read. */
  sha256?: string;
  /** Whether the file was named on its own (an unknown kind is then an error) or found in a folder. */
  named: boolean;
}

export interface ReadOptions {
  /** The allowed signers; without them a signed worksheet cannot be verified and is left out. */
  allowedSigners?: readonly AllowedSigner[];
  resolveRubric: RubricResolver;
}

/** The grader name of a published reference profile. */
export const PUBLISHED_GRADER = 'published reference';

type Parsed = { input: InputText } & (
  | { kind: 'envelope'; file: string; text: string }
  | { kind: 'plain'; file: string; worksheet: Worksheet }
  | { kind: 'references'; file: string; value: ReturnType<typeof checkReferences> });

function classify(input: InputText, excluded: Excluded[]): Parsed | undefined {
  const json = parseJsonText(input.text);
  if (!json.ok) {
    const why = `is not JSON (${formatProblems(json.problems)})`;
    if (input.named) throw new SebError('bad-manifest', `${input.file}: ${why}`, input.file);
    excluded.push({ file: input.file, reason: why });
    return undefined;
  }
  const v = json.value as Record<string, unknown> | null;
  const isObject = typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject && 'payloadType' in v && 'signatures' in v) return { input, kind: 'envelope', file: input.file, text: input.text };
  if (isObject && v.format === 'seb-review/worksheet@1') {
    const checked = checkWorksheet(input.text);
    if (!checked.ok) {
      excluded.push({ file: input.file, reason: `a plain worksheet that does not check: ${formatProblems(checked.problems)}` });
      return undefined;
    }
    return { input, kind: 'plain', file: input.file, worksheet: checked.value };
  }
  if (isObject && 'profiles' in v) return { input, kind: 'references', file: input.file, value: checkReferences(input.text) };
  const why = 'is neither a signed worksheet (a DSSE envelope), a plain worksheet (format seb-review/worksheet@1) nor reference profiles (*.references.json)';
  if (input.named) throw new SebError('bad-manifest', `${input.file}: ${why}`, input.file);
  excluded.push({ file: input.file, reason: why });
  return undefined;
}

function fromWorksheet(input: InputText, ws: Worksheet, signed: boolean, grader: string): ScoredSheet {
  return {
    file: input.file, ...(input.sha256 !== undefined ? { sha256: input.sha256 } : {}),
    ...(signed && ws.grader.keyId !== undefined ? { keyId: ws.grader.keyId } : {}), kind: 'worksheet', signed, grader, runId: ws.run.runId, total: ws.total,
    points: new Map(ws.entries.map(e => [e.dimension, e.points])),
    rationale: new Map(ws.entries.map(e => [e.dimension, e.rationale])),
    evidence: new Map(ws.entries.map(e => [e.dimension, e.evidence])),
    trees: { baseline: ws.run.baseline.tree, run: ws.run.head.tree },
  };
}

const rubricKey = (r: { id: string; version: string; sha256: string }) => `${r.id} ${r.version} (sha256 ${r.sha256.slice(0, 12)}…)`;

/**
 * Reads every input; throws a SebError (exit 2) for a file named on its own that is not one of the three kinds, for
 * worksheets on different rubrics (naming the files of each), and for a rubric that cannot be found.
 */
export function readSheets(inputs: readonly InputText[], options: ReadOptions): { set: WorksheetSet; rubric: ResolvedRubric } {
  const groups = readSheetGroups(inputs, options);
  if (groups.length > 1) {
    throw new SebError('bad-manifest', `the worksheets are not all on the same rubric (id, version and sha256 must match): ${groups
      .map(g => `${rubricKey(g.ref)}: ${g.files.join(', ')}`).join('; ')}`);
  }
  const only = groups[0];
  if (only === undefined) throw new SebError('bad-manifest', `no worksheet found in ${inputs.length === 0 ? 'the given paths' : inputs.map(i => i.file).join(', ')}`);
  return only;
}

export interface SheetGroup {
  set: WorksheetSet;
  rubric: ResolvedRubric;
  ref: { id: string; version: string; sha256: string };
  /** The files that name this rubric. */
  files: string[];
}

/**
 * Reads every input and groups the sheets by the rubric they name (id, version, sha256); reference profiles join the
 * group of their rubric's id and version. Throws a SebError for a file named on its own that is not one of the three
 * kinds and for a rubric that cannot be found or whose file has another digest.
 */
export function readSheetGroups(inputs: readonly InputText[], options: ReadOptions): SheetGroup[] {
  const excluded: Excluded[] = [];
  const parsed = inputs.map(i => classify(i, excluded)).filter((p): p is Parsed => p !== undefined);
  const envelopes = parsed.filter(p => p.kind === 'envelope').map(p => {
    const verdict = options.allowedSigners !== undefined
      ? verifyEnvelope(p.text, { allowedSigners: options.allowedSigners, resolveRubric: options.resolveRubric })
      : undefined;
    return { p, verdict, ws: verdict?.worksheet ?? peekPredicate(p.text) };
  });
  // the rubric every worksheet names (signed ones: what their payload says, verified or not)
  const named = new Map<string, { ref: { id: string; version: string; sha256: string }; files: string[] }>();
  const keyOf = (ref: { id: string; version: string; sha256: string }, file: string): string => {
    const k = rubricKey(ref);
    const e = named.get(k) ?? { ref: { id: ref.id, version: ref.version, sha256: ref.sha256 }, files: [] };
    e.files.push(file);
    named.set(k, e);
    return k;
  };
  const envelopeKeys = envelopes.map(e => (e.ws ? keyOf(e.ws.rubric, e.p.file) : undefined));
  const plainKeys = new Map(parsed.filter(p => p.kind === 'plain').map(p => [p, keyOf(p.worksheet.rubric, p.file)] as const));
  const refs = parsed.filter(p => p.kind === 'references');
  if (named.size === 0) {
    // only reference profiles: the rubric they name
    for (const r of refs) {
      if (!r.value.ok) continue;
      const found = options.resolveRubric(r.value.value.rubric.id, r.value.value.rubric.version);
      if (found) keyOf({ id: found.rubric.id, version: found.rubric.version, sha256: found.sha256 }, r.file);
      break;
    }
  }
  if (named.size === 0) {
    if (envelopes.length > 0 || excluded.length > 0) {
      // nothing names a readable rubric: every input is left out, with its reason
      for (const e of envelopes) excluded.push({ file: e.p.file, reason: 'a signed worksheet whose payload is not a worksheet: left out' });
      throw new SebError('bad-manifest', `no worksheet could be used: ${excluded.map(e => `${e.file ?? ''} ${e.reason}`).join('; ')}`);
    }
    throw new SebError('bad-manifest', `no worksheet found in ${inputs.length === 0 ? 'the given paths' : inputs.map(i => i.file).join(', ')}`);
  }

  const groups: SheetGroup[] = [];
  const matchedRefs = new Set<string>();
  for (const [key, g] of named) {
    const rubric = options.resolveRubric(g.ref.id, g.ref.version);
    if (rubric === undefined) {
      throw new SebError('bad-manifest', `rubric ${g.ref.id} ${g.ref.version}, which ${g.files.join(', ')} name${g.files.length === 1 ? 's' : ''}, is neither packaged nor given: pass it with --rubric FILE`);
    }
    if (rubric.sha256 !== g.ref.sha256) {
      throw new SebError('bad-manifest', `${g.files.join(', ')} name${g.files.length === 1 ? 's' : ''} rubric ${rubricKey(g.ref)}, but ${rubric.file} has sha256 ${rubric.sha256}: give the rubric they were scored on with --rubric FILE`, rubric.file);
    }
    const sheets: ScoredSheet[] = [];
    const left: Excluded[] = groups.length === 0 ? [...excluded] : [];
    let failed = 0;
    envelopes.forEach(({ p, verdict }, i) => {
      if (envelopeKeys[i] !== key && !(envelopeKeys[i] === undefined && groups.length === 0)) return;
      if (verdict === undefined) {
        failed++;
        left.push({ file: p.file, reason: 'a signed worksheet, but no allowed-signers file was given to verify it (--allowed-signers FILE): left out' });
      } else if (!verdict.ok || verdict.worksheet === undefined) {
        failed++;
        const bad = verdict.checks.filter(c => !c.ok).map(c => `${c.check}${c.field !== undefined ? ` ${c.field}` : ''}: ${c.message}`);
        left.push({ file: p.file, reason: `failed verification (${bad.slice(0, 3).join('; ')}${bad.length > 3 ? `; and ${bad.length - 3} more` : ''}): left out` });
      } else {
        sheets.push(fromWorksheet(p.input, verdict.worksheet, true, verdict.grader?.identity ?? verdict.worksheet.grader.name));
      }
    });
    for (const [p, k] of plainKeys) {
      if (k !== key || p.kind !== 'plain') continue;
      const problems = checkWorksheetAgainstRubric(p.worksheet, rubric.rubric);
      if (problems.length > 0) {
        left.push({ file: p.file, reason: `a plain worksheet that does not check against ${rubric.rubric.id} ${rubric.rubric.version}: ${problems.map(q => `${q.field} ${q.message}`).join('; ')}` });
        continue;
      }
      sheets.push(fromWorksheet(p.input, p.worksheet, false, p.worksheet.grader.name));
    }
    for (const p of refs) {
      if (p.kind !== 'references') continue;
      if (!p.value.ok) {
        if (groups.length === 0) left.push({ file: p.file, reason: `reference profiles that do not check: ${formatProblems(p.value.problems)}` });
        continue;
      }
      const r = p.value.value;
      if (r.rubric.id !== rubric.rubric.id || r.rubric.version !== rubric.rubric.version) continue;
      matchedRefs.add(p.file);
      for (const profile of r.profiles) {
        // only scores the benchmark published are a grader's; reconstructed dimensions are not compared
        const dims = profile.dimensionScores === 'published' ? profile.dimensions ?? {} : {};
        sheets.push({
          file: p.file, kind: 'references', signed: false, grader: PUBLISHED_GRADER, runId: profile.id, total: profile.total,
          points: new Map(Object.entries(dims)), rationale: new Map(), evidence: new Map(),
        });
      }
    }
    groups.push({ set: { sheets: dropDuplicates(sheets, left), excluded: left, failed }, rubric, ref: g.ref, files: g.files });
  }
  for (const p of refs) {
    if (p.kind === 'references' && p.value.ok && !matchedRefs.has(p.file)) {
      groups[0]?.set.excluded.push({ file: p.file, reason: `reference profiles on rubric ${p.value.value.rubric.id} ${p.value.value.rubric.version}, which no worksheet here is on` });
    }
  }
  return groups;
}

/** The predicate of an envelope whose signatures were not checked, only to name its rubric in a mixed-rubric message. */
function peekPredicate(text: string): Worksheet | undefined {
  try {
    const env = JSON.parse(text) as { payload?: unknown };
    if (typeof env.payload !== 'string') return undefined;
    const st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { predicate?: unknown };
    const ws = checkWorksheet(JSON.stringify(st.predicate));
    return ws.ok ? ws.value : undefined;
  } catch {
    return undefined;
  }
}

/** A grader with two worksheets for one run: neither is used (which one counts is not ours to guess). */
function dropDuplicates(sheets: ScoredSheet[], excluded: Excluded[]): ScoredSheet[] {
  const by = new Map<string, ScoredSheet[]>();
  for (const s of sheets) {
    const k = JSON.stringify([s.grader, s.runId]);
    by.set(k, [...(by.get(k) ?? []), s]);
  }
  const out: ScoredSheet[] = [];
  for (const group of by.values()) {
    const first = group[0];
    if (first === undefined) continue;
    if (group.length === 1) {
      out.push(first);
      continue;
    }
    for (const s of group) {
      excluded.push({ file: s.file, runId: s.runId,
        reason: `${s.grader} has ${group.length} worksheets for run ${s.runId} (${group.map(g => g.file).join(', ')}): none of them is used` });
    }
  }
  return out;
}

/** The graders of a set, each with whether all its worksheets are signed, sorted by name. */
export function gradersOf(sheets: readonly ScoredSheet[]): GraderInfo[] {
  const by = new Map<string, GraderInfo>();
  for (const s of sheets) {
    const g = by.get(s.grader) ?? { name: s.grader, signed: true, worksheets: 0 };
    g.worksheets++;
    g.signed &&= s.signed;
    by.set(s.grader, g);
  }
  return [...by.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function sourcesOf(sheets: readonly ScoredSheet[]): SourceWorksheet[] {
  return sheets.map(s => ({ file: s.file, runId: s.runId, grader: s.grader, signed: s.signed, kind: s.kind, total: s.total }));
}
