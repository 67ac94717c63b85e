/**
 * The tables a piece of SQL text writes: INSERT, REPLACE, UPSERT-style INSERT, UPDATE, DELETE, MERGE, TRUNCATE and
 * schema changes (CREATE, DROP, ALTER). Reads (SELECT, PRAGMA) give nothing; neither does `SELECT … FOR UPDATE`.
 * Several statements in one text (a schema script) give each table once, in order. Template parts (`…`) are ignored.
 */

const STATEMENT = new RegExp(
  String.raw`^\s*(?:WITH\b[\s\S]*?\)\s*)?(?:` +
    String.raw`INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(?<insert>[\w."\x60\[\]]+)` +
    String.raw`|REPLACE\s+INTO\s+(?<replace>[\w."\x60\[\]]+)` +
    String.raw`|UPDATE\s+(?:OR\s+\w+\s+)?(?:ONLY\s+)?(?<update>[\w."\x60\[\]]+)\s+SET\b` +
    String.raw`|DELETE\s+FROM\s+(?:ONLY\s+)?(?<del>[\w."\x60\[\]]+)` +
    String.raw`|MERGE\s+INTO\s+(?<merge>[\w."\x60\[\]]+)` +
    String.raw`|TRUNCATE\s+(?:TABLE\s+)?(?<truncate>[\w."\x60\[\]]+)` +
    String.raw`|CREATE\s+(?:TEMP(?:ORARY)?\s+|VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<create>[\w."\x60\[\]]+)` +
    String.raw`|CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?[\w."\x60\[\]]+\s+ON\s+(?<index>[\w."\x60\[\]]+)` +
    String.raw`|DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?<drop>[\w."\x60\[\]]+)` +
    String.raw`|ALTER\s+TABLE\s+(?<alter>[\w."\x60\[\]]+)` +
  ')',
  'i',
);

function clean(name: string): string {
  return name.replace(/["`[\]]/g, '').toLowerCase();
}

export function sqlWriteTargets(text: string): string[] {
  const noComments = text.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
  const out: string[] = [];
  for (const statement of noComments.split(';')) {
    const m = STATEMENT.exec(statement);
    if (!m?.groups) continue;
    const name = Object.values(m.groups).find(v => v !== undefined);
    if (name && !name.includes('…')) {
      const t = clean(name);
      if (!out.includes(t)) out.push(t);
    }
  }
  return out;
}
