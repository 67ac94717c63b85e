import type { Rubric } from '../../core/rubric';
import type { Evaluation } from '../../core/scoring';
import type { Evidence } from '../../core/worksheet';

/** Text the rubric form shows, computed from what the host sent. No DOM here. */

/** "63 / 100", "62.5 / 100": the host has already rounded the total to the rubric's step. */
export function totalText(e: Pick<Evaluation, 'total' | 'max'>): string {
  return `${e.total} / ${e.max}`;
}

/** The dimensions' titles, or "every dimension" when all are listed (a fresh draft: a long list says nothing more). */
function titles(rubric: Rubric, ids: readonly string[]): string {
  if (rubric.dimensions.length > 1 && rubric.dimensions.every(d => ids.includes(d.id))) return 'every dimension';
  return ids.map(id => rubric.dimensions.find(d => d.id === id)?.title ?? id).join(', ');
}

/** "v1.0" after the title, unless the title already ends with its version ("…, version 1.0", "… v1.0"). */
export function versionSuffix(rubric: Pick<Rubric, 'title' | 'version'>): string {
  const { title, version } = rubric;
  return title.endsWith(` ${version}`) || title.endsWith(` v${version}`) ? '' : `v${version}`;
}

/** "Complete", or "Missing: points for Wiring, Durability; rationale for every dimension". */
export function completenessText(rubric: Rubric, e: Evaluation): string {
  if (e.complete) return 'Complete';
  const parts: string[] = [];
  if (e.unscored.length > 0) parts.push(`points for ${titles(rubric, e.unscored)}`);
  if (e.withoutRationale.length > 0) parts.push(`rationale for ${titles(rubric, e.withoutRationale)}`);
  return `Missing: ${parts.join('; ')}`;
}

/** "src/authority.ts:12-30", or "src/authority.ts:12" for a single line. */
export function evidenceLocation(e: Pick<Evidence, 'path' | 'startLine' | 'endLine'>): string {
  return e.startLine === e.endLine ? `${e.path}:${e.startLine}` : `${e.path}:${e.startLine}-${e.endLine}`;
}

/** The share of the bar a valid entry fills, in percent (0 for anything that does not count). */
export function barPercent(value: number | undefined, ceiling: number): number {
  if (value === undefined || ceiling <= 0) return 0;
  return Math.max(0, Math.min(100, (value / ceiling) * 100));
}
