/**
 * Where a named function, method, class or binding is defined in TypeScript/JavaScript source, found lexically.
 * Used to check that a run's declared authority (seb-run.json "authority") exists where the run says it does.
 */
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function definitionPatterns(symbol: string): RegExp[] {
  const n = escape(symbol);
  return [
    new RegExp(`^\\s*(?:export\\s+)?(?:default\\s+)?(?:async\\s+)?function\\s*\\*?\\s*${n}\\b`),
    new RegExp(`^\\s*(?:export\\s+)?(?:declare\\s+)?(?:const|let|var)\\s+${n}\\s*[=:]`),
    new RegExp(`^\\s*(?:export\\s+)?(?:default\\s+)?(?:abstract\\s+)?class\\s+${n}\\b`),
    new RegExp(`^\\s*(?:(?:public|private|protected|static|async|override|readonly)\\s+)*${n}\\s*(?:<[^>]*>)?\\s*\\([^)]*\\)?[^;]*\\{?\\s*$`),
  ];
}

/** 1-based line numbers of the definitions of `symbol` in `text` (comments are not excluded). */
export function findDefinitions(text: string, symbol: string): number[] {
  const patterns = definitionPatterns(symbol);
  const lines = text.split(/\r?\n/);
  const out: number[] = [];
  lines.forEach((line, i) => {
    if (/^\s*(?:\/\/|\*|\/\*)/.test(line)) return;
    if (/^\s*(?:if|for|while|switch|return|await|new)\b/.test(line)) return;
    if (patterns.some(p => p.test(line))) out.push(i + 1);
  });
  return out;
}
