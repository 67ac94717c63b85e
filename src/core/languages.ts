/** The language a file is counted under in the size summary, by its name. */
const BY_EXTENSION: Record<string, string> = {
  ts: 'TypeScript', tsx: 'TypeScript', mts: 'TypeScript', cts: 'TypeScript',
  js: 'JavaScript', jsx: 'JavaScript', mjs: 'JavaScript', cjs: 'JavaScript',
  json: 'JSON', jsonc: 'JSON', md: 'Markdown', markdown: 'Markdown', mdx: 'Markdown',
  css: 'CSS', scss: 'CSS', less: 'CSS', html: 'HTML', htm: 'HTML', svg: 'SVG',
  yml: 'YAML', yaml: 'YAML', toml: 'TOML', sql: 'SQL', sh: 'Shell', bash: 'Shell',
  py: 'Python', rs: 'Rust', go: 'Go', java: 'Java', kt: 'Kotlin', rb: 'Ruby', c: 'C', h: 'C',
  cc: 'C++', cpp: 'C++', hpp: 'C++', cs: 'C#', php: 'PHP', swift: 'Swift', log: 'Log', txt: 'Text',
};
const BY_NAME: Record<string, string> = { dockerfile: 'Dockerfile', makefile: 'Makefile' };

export function languageOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const byName = BY_NAME[base];
  if (byName) return byName;
  if (base.endsWith('.d.ts')) return 'TypeScript';
  const dot = base.lastIndexOf('.');
  return (dot > 0 && BY_EXTENSION[base.slice(dot + 1)]) || 'Other';
}
