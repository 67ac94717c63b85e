import type { CalibrationReport, Disagreement, GraderEntry } from '../../core/calibration/types';
import { MAX_IMAGE_DATA_URL, PNG_DATA_URL_PREFIX, type EvidenceTarget } from '../../protocol/webview/calibration';

/**
 * What the Calibration panel does with the page's requests, decided without `vscode` (so it is tested in plain Node):
 * which lines a piece of evidence opens, or why it opens the worksheet instead; the bytes of an exported picture;
 * the names offered in the save dialogs.
 */

/** The run open in the window, as the evidence needs it: its id and the trees it reads. */
export interface OpenRun {
  runId: string;
  trees: { baseline: string; run: string };
}

export type EvidenceOpening =
  | { kind: 'lines'; side: 'baseline' | 'run'; path: string; startLine: number; endLine: number }
  /** The worksheet at the entry; `why` says why not the lines, when lines were asked for. */
  | { kind: 'worksheet'; file: string; dimension: string; why?: string };

/** The entry the page named, when the report has it (the page can only ask for what it was sent). */
export function findEntry(report: CalibrationReport, file: string, dimension: string): { disagreement: Disagreement; entry: GraderEntry } | undefined {
  for (const d of report.disagreements) {
    if (d.dimension !== dimension) continue;
    const entry = [d.candidate, ...d.references].find(e => e.file === file);
    if (entry) return { disagreement: d, entry };
  }
  return undefined;
}

const short = (tree: string) => tree.slice(0, 12);

/**
 * Where a piece of evidence opens: its lines in the open run's tree when that run is the one the worksheet scored (same
 * run id, and the side's tree is the one the grader read); otherwise the worksheet at its entry, with the reason.
 * Undefined when the report has no such entry or evidence.
 */
export function evidenceOpening(report: CalibrationReport, target: EvidenceTarget, open: OpenRun | undefined): EvidenceOpening | undefined {
  const found = findEntry(report, target.file, target.dimension);
  if (!found) return undefined;
  const { disagreement: d, entry } = found;
  const atEntry = (why?: string): EvidenceOpening => ({ kind: 'worksheet', file: entry.file, dimension: d.dimension, ...(why !== undefined ? { why } : {}) });
  if (target.index === undefined) return atEntry();
  const e = entry.evidence[target.index];
  if (!e) return undefined;
  const where = `${e.side} ${e.path}:${e.startLine === e.endLine ? e.startLine : `${e.startLine}-${e.endLine}`}`;
  const instead = `Opening ${entry.grader}'s worksheet at its ${d.title} entry instead.`;
  if (!open) return atEntry(`No run is open, so ${where} (run ${d.runId}) cannot be shown: open that run to follow its evidence. ${instead}`);
  if (open.runId !== d.runId) return atEntry(`The open run is ${open.runId}, not ${d.runId}: ${where} is evidence in ${d.runId}. ${instead}`);
  if (entry.trees === undefined) return atEntry(`${entry.grader}'s scores record no trees, so ${where} cannot be placed. ${instead}`);
  if (open.trees[e.side] !== entry.trees[e.side]) {
    return atEntry(`The open run's ${e.side} tree (${short(open.trees[e.side])}) is not the one ${entry.grader} scored (${short(entry.trees[e.side])}), ` +
      `so ${where} may not be the lines they meant. ${instead}`);
  }
  return { kind: 'lines', side: e.side, path: e.path, startLine: e.startLine, endLine: e.endLine };
}

/** The 0-based line of a dimension's entry in a worksheet's text, or 0 (a signed envelope carries its entries encoded). */
export function entryLine(text: string, dimension: string): number {
  const key = JSON.stringify(dimension);
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex(l => /"dimension"\s*:/.test(l) && l.includes(key));
  return Math.max(0, i);
}

/** The largest picture written (a bound on what the page can make the host write). */
export const MAX_IMAGE_BYTES = Math.floor((MAX_IMAGE_DATA_URL - PNG_DATA_URL_PREFIX.length) / 4) * 3;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The bytes of a PNG data URL, or why they are refused. */
export function pngBytes(dataUrl: string): { ok: true; bytes: Buffer } | { ok: false; why: string } {
  if (!dataUrl.startsWith(PNG_DATA_URL_PREFIX)) return { ok: false, why: 'not a PNG data URL' };
  const b64 = dataUrl.slice(PNG_DATA_URL_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return { ok: false, why: 'not base64' };
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length > MAX_IMAGE_BYTES) return { ok: false, why: `larger than ${MAX_IMAGE_BYTES} bytes` };
  // the signature, then the IHDR chunk first, as every PNG starts
  if (bytes.length < 33 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    return { ok: false, why: 'not a PNG image' };
  }
  return { ok: true, bytes };
}

/** "calibration-casey-lin-seb-1.0.csv": the candidate and the rubric, in characters every file system takes. */
export function exportName(report: CalibrationReport, ext: 'csv' | 'png'): string {
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 60) || 'grader';
  return `calibration-${slug(report.candidate.name)}-${slug(`${report.rubric.id}-${report.rubric.version}`)}.${ext}`;
}
