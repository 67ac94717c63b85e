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

type Parsed =
  | { kind: 'envelope'; file: string; text: string }
  | { kind: 'plain'; file: string; worksheet: Worksheet }
  | { kind: 'references'; file: string; value: ReturnType<typeof checkReferences> };

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
  if (isObject && 'payloadType' in v && 'signatures' in v) return { kind: 'envelope', file: input.file, text: input.text };
  if (isObject && v.format === 'seb-review/worksheet@1') {
    const checked = checkWorksheet(input.text);
    if (!checked.ok) {
      excluded.push({ file: input.file, reason: `a plain worksheet that does not check: ${formatProblems(checked.problems)}` });
      return undefined;
    }
    return { kind: 'plain', file: input.file, worksheet: checked.value };
  }
  if (isObject && 'profiles' in v) return { kind: 'references', file: input.file, value: checkReferences(input.text) };
  const why = 'is neither a signed worksheet (a DSSE envelope), a plain worksheet (format seb-review/worksheet@1) nor reference profiles (*.references.json)';
  if (input.named) throw new SebError('bad-manifest', `${input.file}: ${why}`, input.file);
  excluded.push({ file: input.file, reason: why });
  return undefined;
}

function fromWorksheet(file: string, ws: Worksheet, signed: boolean, grader: string): ScoredSheet {
  return {
    file, kind: 'worksheet', signed, grader, runId: ws.run.runId, total: ws.total,
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
  const excluded: Excluded[] = [];
  const parsed = inputs.map(i => classify(i, excluded)).filter((p): p is Parsed => p !== undefined);

  // the rubric every worksheet names (signed ones: what their payload says, verified or not)
  const named = new Map<string, { ref: { id: string; version: string; sha256: string }; files: string[] }>();
  const envelopes = parsed.filter(p => p.kind === 'envelope').map(p => {
    const verdict = options.allowedSigners !== undefined
      ? verifyEnvelope(p.text, { allowedSigners: options.allowedSigners, resolveRubric: options.resolveRubric })
      : undefined;
    return { p, verdict };
  });
  const note = (ref: { id: string; version: string; sha256: string }, file: string) => {
    const k = rubricKey(ref);
    const e = named.get(k) ?? { ref, files: [] };
    e.files.push(file);
    named.set(k, e);
  };
  for (const { p, verdict } of envelopes) {
    const ws = verdict?.worksheet ?? peekPredicate(p.text);
    if (ws) note(ws.rubric, p.file);
  }
  for (const p of parsed) if (p.kind === 'plain') note(p.worksheet.rubric, p.file);
  if (named.size > 1) {
    throw new SebError('bad-manifest', `the worksheets are not all on the same rubric (id, version and sha256 must match): ${[...named.values()]
      .map(g => `${rubricKey(g.ref)}: ${g.files.join(', ')}`).join('; ')}`);
  }
  const refs = parsed.filter(p => p.kind === 'references');
  let ref = [...named.values()][0]?.ref;
  if (ref === undefined) {
    // only reference profiles: the rubric they name
    const first = refs.find(r => r.value.ok);
    if (first?.value.ok) {
      const found = options.resolveRubric(first.value.value.rubric.id, first.value.value.rubric.version);
      if (found) ref = { id: found.rubric.id, version: found.rubric.version, sha256: found.sha256 };
    }
  }
  if (ref === undefined) throw new SebError('bad-manifest', `no worksheet found in ${inputs.length === 0 ? 'the given paths' : inputs.map(i => i.file).join(', ')}`);
  const rubric = options.resolveRubric(ref.id, ref.version);
  if (rubric === undefined) {
    throw new SebError('bad-manifest', `rubric ${ref.id} ${ref.version}, which the worksheets name, is neither packaged nor given: pass it with --rubric FILE`);
  }
  if (rubric.sha256 !== ref.sha256) {
    throw new SebError('bad-manifest', `the worksheets name rubric ${rubricKey(ref)}, but ${rubric.file} has sha256 ${rubric.sha256}: give the rubric they were scored on with --rubric FILE`, rubric.file);
  }

  const sheets: ScoredSheet[] = [];
  let failed = 0;
  for (const { p, verdict } of envelopes) {
    if (verdict === undefined) {
      failed++;
      excluded.push({ file: p.file, reason: 'a signed worksheet, but no allowed-signers file was given to verify it (--allowed-signers FILE): left out' });
    } else if (!verdict.ok || verdict.worksheet === undefined) {
      failed++;
      const bad = verdict.checks.filter(c => !c.ok).map(c => `${c.check}${c.field !== undefined ? ` ${c.field}` : ''}: ${c.message}`);
      excluded.push({ file: p.file, reason: `failed verification (${bad.slice(0, 3).join('; ')}${bad.length > 3 ? `; and ${bad.length - 3} more` : ''}): left out` });
    } else {
      sheets.push(fromWorksheet(p.file, verdict.worksheet, true, verdict.grader?.identity ?? verdict.worksheet.grader.name));
    }
  }
  for (const p of parsed) {
    if (p.kind !== 'plain') continue;
    const problems = checkWorksheetAgainstRubric(p.worksheet, rubric.rubric);
    if (problems.length > 0) {
      excluded.push({ file: p.file, reason: `a plain worksheet that does not check against ${rubric.rubric.id} ${rubric.rubric.version}: ${problems.map(q => `${q.field} ${q.message}`).join('; ')}` });
      continue;
    }
    sheets.push(fromWorksheet(p.file, p.worksheet, false, p.worksheet.grader.name));
  }
  for (const p of refs) {
    if (!p.value.ok) {
      excluded.push({ file: p.file, reason: `reference profiles that do not check: ${formatProblems(p.value.problems)}` });
      continue;
    }
    const r = p.value.value;
    if (r.rubric.id !== rubric.rubric.id || r.rubric.version !== rubric.rubric.version) {
      excluded.push({ file: p.file, reason: `reference profiles on rubric ${r.rubric.id} ${r.rubric.version}, not ${rubric.rubric.id} ${rubric.rubric.version}` });
      continue;
    }
    for (const profile of r.profiles) {
      // only scores the benchmark published are a grader's; reconstructed dimensions are not compared
      const dims = profile.dimensionScores === 'published' ? profile.dimensions ?? {} : {};
      sheets.push({
        file: p.file, kind: 'references', signed: false, grader: PUBLISHED_GRADER, runId: profile.id, total: profile.total,
        points: new Map(Object.entries(dims)), rationale: new Map(), evidence: new Map(),
      });
    }
  }
  return { set: { sheets: dropDuplicates(sheets, excluded), excluded, failed }, rubric };
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
