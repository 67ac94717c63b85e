import type { SectionAuthority } from '../../protocol/webview/overview';
import type { FileFindings } from '../../protocol/server/authority';

/** What the Diff Overview says about a file, from the authority map's findings on each side. Imports no vscode. */

/** At most this many labels per list in a section's annotation. */
const MAX_LABELS = 5;

/** A section's annotation from the two sides' findings (pure): undefined when neither side has anything in the file. */
export function sectionAuthority(run: FileFindings | undefined, baseline: FileFindings | undefined): SectionAuthority | undefined {
  const out: SectionAuthority = {};
  if (run) {
    const own = run.entries.filter(e => e.file === run.path);
    if (own.length > 0 || run.writes.length > 0) {
      out.run = { entries: own.length, writes: run.writes.length, bypassing: own.filter(e => e.wiring === 'bypassing').map(e => e.label).slice(0, MAX_LABELS) };
    }
  }
  if (baseline) {
    const own = baseline.entries.filter(e => e.file === baseline.path);
    const byId = new Map(own.map(e => [e.id, e]));
    const lost = (baseline.fates ?? []).filter(f => (f.fate === 'deleted' || f.fate === 'unreachable') && (byId.get(f.id)?.writes.length ?? 0) > 0)
      .map(f => `${byId.get(f.id)?.label ?? f.id} (${f.fate})`);
    if (own.length > 0 || baseline.writes.length > 0) out.baseline = { entries: own.length, writes: baseline.writes.length, lost: lost.slice(0, MAX_LABELS) };
  }
  return out.run || out.baseline ? out : undefined;
}
