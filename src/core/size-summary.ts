import { languageOf } from './languages';

export interface SizedFile {
  path: string;
  bytes: number;
  /** undefined = binary */
  lines: number | undefined;
}

export interface LanguageSize {
  language: string;
  baselineFiles: number;
  baselineLines: number;
  runFiles: number;
  runLines: number;
}

/** The evidence behind "simplification outcome": how big each side is, by language, and what came and went. */
export interface SizeSummary {
  baseline: { files: number; lines: number; bytes: number };
  run: { files: number; lines: number; bytes: number };
  netLines: number;
  filesAdded: number;
  filesDeleted: number;
  languages: LanguageSize[];
  largestBaseline: SizedFile[];
  largestRun: SizedFile[];
}

const total = (files: readonly SizedFile[]) => ({
  files: files.length,
  lines: files.reduce((n, f) => n + (f.lines ?? 0), 0),
  bytes: files.reduce((n, f) => n + f.bytes, 0),
});

function largest(files: readonly SizedFile[], n: number): SizedFile[] {
  return [...files].sort((a, b) => (b.lines ?? -1) - (a.lines ?? -1) || b.bytes - a.bytes || a.path.localeCompare(b.path)).slice(0, n);
}

/** Files are "added"/"deleted" by path: a rename counts as one of each, as the trees' file lists differ that way. */
export function summariseSizes(baseline: readonly SizedFile[], run: readonly SizedFile[], top = 5): SizeSummary {
  const langs = new Map<string, LanguageSize>();
  const row = (language: string) => {
    let r = langs.get(language);
    if (!r) langs.set(language, (r = { language, baselineFiles: 0, baselineLines: 0, runFiles: 0, runLines: 0 }));
    return r;
  };
  for (const f of baseline) {
    const r = row(languageOf(f.path));
    r.baselineFiles++;
    r.baselineLines += f.lines ?? 0;
  }
  for (const f of run) {
    const r = row(languageOf(f.path));
    r.runFiles++;
    r.runLines += f.lines ?? 0;
  }
  const basePaths = new Set(baseline.map(f => f.path));
  const runPaths = new Set(run.map(f => f.path));
  const b = total(baseline);
  const r = total(run);
  return {
    baseline: b,
    run: r,
    netLines: r.lines - b.lines,
    filesAdded: run.filter(f => !basePaths.has(f.path)).length,
    filesDeleted: baseline.filter(f => !runPaths.has(f.path)).length,
    languages: [...langs.values()].sort((x, y) => Math.max(y.baselineLines, y.runLines) - Math.max(x.baselineLines, x.runLines)
      || x.language.localeCompare(y.language)),
    largestBaseline: largest(baseline, top),
    largestRun: largest(run, top),
  };
}
