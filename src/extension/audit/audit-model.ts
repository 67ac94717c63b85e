/**
 * What the Audit view shows, computed from the aggregated run and the adjudicator's decisions: plain Node (no
 * 'vscode'), tested in test/unit/audit-model.test.ts. Points are checked as typed (src/core/scoring's checkPoints):
 * nothing is clamped or rounded, an invalid entry keeps its text and says why.
 */
import { aggregateOf, DEFAULT_GAP_SHARE, type RunAggregate } from '../../core/adjudication/aggregate';
import { type Adjudication, type Decision } from '../../core/adjudication/record';
import { type ScoredSheet } from '../../core/calibration/inputs';
import { escapeControls } from '../../core/escape';
import { isMultiple, type Rubric } from '../../core/rubric';
import { checkPoints } from '../../core/scoring';
import { type Evidence } from '../../core/worksheet';
import {
  type AuditDimension, type AuditEvidence, type AuditModel, type AuditNotice, type AuditRefused, type AuditVerdict, type DecisionCheck,
  type DecisionInput,
} from '../../protocol/webview/audit';

/**
 * Blind grading: whether this reviewer may see the other graders' worksheets of a run. `undefined`: allowed; a string:
 * the reason they may not, shown instead.
 */
export type MayShowOthers = (runId: string) => Promise<string | undefined>;

/** The default until blind grading decides: always allowed. */
export const showOthersAllowed: MayShowOthers = () => Promise.resolve(undefined);

/** The state to show, or the refusal when blind grading refuses the run's worksheets (then `build` is never called). */
export async function gated<T>(runId: string, mayShowOthers: MayShowOthers, build: () => T | Promise<T>): Promise<T | AuditRefused> {
  const refusal = await mayShowOthers(runId);
  return refusal !== undefined ? { kind: 'refused', runId, reason: refusal } : build();
}

export const acceptMean = (): DecisionInput => ({ mode: 'mean', points: '', rationale: '' });

const same = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** 2.5, 21.667: at most three decimals. */
export const fmt = (x: number): string => String(Number(x.toFixed(3)));

export interface DecisionsEvaluation {
  checks: Record<string, DecisionCheck>;
  method: 'mean' | 'adjudicated';
  /** The sum of the final points when every decision is valid. */
  total?: number;
  /** "End-to-end wiring: 12 is above the ceiling of 10", one per decision that cannot be signed. */
  problems: string[];
}

interface DimensionRef {
  id: string;
  title: string;
  ceiling: number;
  aggregate: number;
}

/**
 * Each dimension's decision checked: the mean accepted, or points as typed (valid or not, with the reason) and a
 * rationale wherever they depart from the mean. The record is `adjudicated` when any final departs from the mean, else
 * `mean`; an adjudicated record keeps the mean only where it is a multiple of the rubric's step.
 */
export function evaluateDecisions(dimensions: readonly DimensionRef[], step: number, inputs: Readonly<Record<string, DecisionInput | undefined>>): DecisionsEvaluation {
  const checks: Record<string, DecisionCheck> = {};
  for (const d of dimensions) {
    const input = inputs[d.id] ?? acceptMean();
    if (input.mode === 'mean') {
      checks[d.id] = { ok: true, final: d.aggregate, pointsInvalid: false, rationaleMissing: false, departs: false };
      continue;
    }
    const c = checkPoints(input.points, d, step);
    if (!c.ok) {
      const reason = c.kind === 'empty' ? 'no points yet: type them, or accept the mean' : c.reason;
      checks[d.id] = { ok: false, reason, pointsInvalid: c.kind !== 'empty', rationaleMissing: false, departs: false };
      continue;
    }
    const departs = !same(c.value, d.aggregate);
    const rationaleMissing = departs && input.rationale.trim() === '';
    checks[d.id] = {
      ok: !rationaleMissing, final: c.value, pointsInvalid: false, rationaleMissing, departs,
      ...(rationaleMissing ? { reason: `a rationale is required: ${fmt(c.value)} departs from the mean ${fmt(d.aggregate)}` } : {}),
    };
  }
  const method = dimensions.some(d => checks[d.id]?.departs) ? 'adjudicated' : 'mean';
  if (method === 'adjudicated') {
    for (const d of dimensions) {
      const c = checks[d.id];
      if (c?.ok && (inputs[d.id]?.mode ?? 'mean') === 'mean' && !isMultiple(d.aggregate, step)) {
        checks[d.id] = { ...c, ok: false, reason: `the mean ${fmt(d.aggregate)} is not a multiple of the rubric's step ${step}: a record that departs from the mean elsewhere needs points on the step here; set them` };
      }
    }
  }
  const problems = dimensions.flatMap(d => {
    const c = checks[d.id];
    return c && !c.ok ? [`${d.title}: ${c.reason ?? 'not valid'}`] : [];
  });
  const all = dimensions.map(d => checks[d.id]?.final);
  const total = problems.length === 0 && all.every((x): x is number => x !== undefined) ? all.reduce((n, x) => n + x, 0) : undefined;
  return { checks, method, problems, ...(total !== undefined ? { total } : {}) };
}

/** The decisions buildAdjudication takes: for an adjudicated record, every dimension whose points were set. */
export function adjudicationDecisions(inputs: Readonly<Record<string, DecisionInput | undefined>>, e: DecisionsEvaluation): Map<string, Decision> | undefined {
  if (e.method !== 'adjudicated') return undefined;
  const out = new Map<string, Decision>();
  for (const [id, input] of Object.entries(inputs)) {
    const final = e.checks[id]?.final;
    if (input?.mode === 'set' && final !== undefined) out.set(id, { points: final, rationale: input.rationale });
  }
  return out;
}

/** "run server/marks/marks.ts:77–81" (the path's control characters escaped). */
export function evidenceLabel(e: Evidence): string {
  return `${e.side} ${escapeControls(e.path)}:${e.startLine}${e.endLine !== e.startLine ? `\u2013${e.endLine}` : ''}`;
}

const baseName = (f: string) => f.split(/[\\/]/).pop() ?? f;

export interface AuditInput {
  run: RunAggregate;
  rubric: Rubric;
  /** The run's worksheets, in the order of run.sources. */
  sheets: readonly ScoredSheet[];
  decisions: Readonly<Record<string, DecisionInput | undefined>>;
  excluded: ReadonlyArray<{ file?: string; runId?: string; reason: string }>;
  notices: readonly AuditNotice[];
  /** Why no adjudication can be signed from these worksheets at all (unsigned or failed sources). */
  blocked: readonly string[];
  readOnly: boolean;
  status?: AuditModel['status'];
  verdict?: AuditVerdict;
}

/** The view of an aggregated run with the adjudicator's decisions. */
export function auditModel(i: AuditInput): AuditModel {
  const { run, rubric } = i;
  const e = evaluateDecisions(run.dimensions, rubric.step, i.decisions);
  const byFile = new Map(i.sheets.map(s => [s.file, s]));
  const dimensions: AuditDimension[] = run.dimensions.map(d => ({
    id: d.id, title: d.title, ceiling: d.ceiling,
    points: run.sources.map(s => d.points.find(p => p.file === s.file)?.points ?? NaN),
    aggregate: d.aggregate, spread: d.spread, disagreement: d.disagreement,
    sheets: run.sources.map(s => {
      const sheet = byFile.get(s.file);
      return {
        rationale: sheet?.rationale.get(d.id) ?? '',
        evidence: (sheet?.evidence.get(d.id) ?? []).map((ev): AuditEvidence => ({ ...ev, path: ev.path, label: evidenceLabel(ev) })),
      };
    }),
    decision: i.decisions[d.id] ?? acceptMean(),
    check: e.checks[d.id] as DecisionCheck,
  }));
  return {
    kind: 'audit', runId: escapeControls(run.runId),
    rubric: { id: rubric.id, version: rubric.version, title: rubric.title, step: rubric.step },
    gapShare: DEFAULT_GAP_SHARE,
    graders: run.sources.map(s => ({ name: escapeControls(s.grader), file: escapeControls(baseName(s.file)), signed: s.signed, total: s.total })),
    dimensions,
    total: {
      ceiling: run.total.ceiling, points: run.sources.map(s => s.total), aggregate: run.total.aggregate, spread: run.total.spread,
      disagreement: run.total.disagreement, ...(e.total !== undefined ? { final: e.total } : {}),
    },
    method: e.method, basis: 'mean',
    problems: [...i.blocked, ...e.problems],
    excluded: i.excluded.map(x => ({ file: escapeControls(baseName(x.file ?? x.runId ?? '')), reason: escapeControls(x.reason) })),
    notices: [...i.notices],
    readOnly: i.readOnly,
    ...(i.status ? { status: i.status } : {}),
    ...(i.verdict ? { verdict: i.verdict } : {}),
  };
}

/**
 * The view of a signed record opened on its own: every source's points, the aggregate, the final points and their
 * rationales, read-only, with the verdict. The record keeps points, not the graders' rationales or evidence.
 */
export function recordModel(a: Adjudication, rubric: Rubric | undefined, verdict: AuditVerdict, notices: readonly AuditNotice[]): AuditModel {
  const step = rubric?.step ?? 0.5;
  const dims = a.dimensions.map(d => {
    const r = rubric?.dimensions.find(x => x.id === d.dimension);
    return { id: d.dimension, title: r?.title ?? d.dimension, ceiling: r?.ceiling ?? NaN, aggregate: d.aggregate };
  });
  const decisions: Record<string, DecisionInput> = Object.fromEntries(a.dimensions.map(d =>
    [d.dimension, same(d.final, d.aggregate) && (d.rationale ?? '') === '' ? acceptMean() : { mode: 'set', points: fmt(d.final), rationale: d.rationale ?? '' }]));
  const e = evaluateDecisions(dims, step, decisions);
  const spreadOf = (values: number[]) => (values.length > 0 ? Math.max(...values) - Math.min(...values) : 0);
  const dimensions: AuditDimension[] = dims.map(d => {
    const points = a.sources.map(s => s.points[d.id] ?? NaN);
    const spread = spreadOf(points);
    return {
      id: d.id, title: d.title, ceiling: d.ceiling, points, aggregate: d.aggregate, spread,
      disagreement: spread > DEFAULT_GAP_SHARE * d.ceiling + 1e-9,
      decision: decisions[d.id] ?? acceptMean(), check: e.checks[d.id] as DecisionCheck,
    };
  });
  const totals = a.sources.map(s => s.total);
  const ceiling = rubric?.total ?? NaN;
  return {
    kind: 'audit', runId: escapeControls(a.run.runId),
    rubric: { id: a.rubric.id, version: a.rubric.version, title: rubric?.title ?? `${a.rubric.id} ${a.rubric.version}`, step },
    gapShare: DEFAULT_GAP_SHARE,
    graders: a.sources.map(s => ({ name: escapeControls(s.grader), file: escapeControls(s.name), signed: true, total: s.total })),
    dimensions,
    total: { ceiling, points: totals, aggregate: aggregateOf(totals, a.method === 'median' ? 'median' : 'mean'), spread: spreadOf(totals),
      disagreement: spreadOf(totals) > DEFAULT_GAP_SHARE * ceiling + 1e-9, final: a.total },
    method: a.method, basis: a.method === 'median' ? 'median' : 'mean',
    problems: [], excluded: [], notices: [...notices], readOnly: true, verdict,
  };
}
