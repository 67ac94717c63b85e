import { type EntryPoint, type Side } from './analysis';

/**
 * How entry points are wired to the declared authority: the one-glance answer to "do REST, agent, WebSocket and mark
 * writes all pass through the same authority?". Shared by the command line's wiring table, the language server and
 * the editor's views.
 */

/** Through the declared authority, bypassing it, writing with no authority to check, no write, dead. */
export type Wiring = 'through' | 'bypassing' | 'unchecked' | 'no-write' | 'dead';
export const WIRINGS: readonly Wiring[] = ['through', 'bypassing', 'unchecked', 'no-write', 'dead'];

export const WIRING_TITLES: Readonly<Record<Wiring, string>> = {
  through: 'through authority', bypassing: 'bypassing', unchecked: 'writes (no authority)', 'no-write': 'no write', dead: 'dead',
};

export function wiringOf(e: Pick<EntryPoint, 'reachable' | 'writes' | 'viaAuthority'>): Wiring {
  if (!e.reachable) return 'dead';
  if (e.writes.length === 0) return 'no-write';
  if (e.viaAuthority === true) return 'through';
  if (e.viaAuthority === false) return 'bypassing';
  return 'unchecked';
}

/** The categories the packs use, in the order a reviewer reads them; others sort after, by name. */
export const CATEGORY_ORDER = ['rest', 'agent', 'mark', 'websocket', 'collab', 'timer', 'queue', 'init'] as const;

const CATEGORY_TITLES: Readonly<Record<string, string>> = {
  rest: 'REST', agent: 'Agent', mark: 'Mark writes', websocket: 'WebSocket', collab: 'Collab hooks', timer: 'Timers',
  queue: 'Queues', init: 'Initialisation',
};

/** "REST", "Mark writes"; an unknown category (from a reviewer's pack) as written. */
export function categoryTitle(category: string): string {
  return CATEGORY_TITLES[category] ?? category;
}

export function categoryRank(c: string): number {
  const i = (CATEGORY_ORDER as readonly string[]).indexOf(c);
  return i < 0 ? CATEGORY_ORDER.length : i;
}

export function compareCategories(a: string, b: string): number {
  return categoryRank(a) - categoryRank(b) || a.localeCompare(b);
}

export type WiringCounts = Record<Wiring, number>;

export interface WiringMatrix {
  rows: Array<{ category: string; counts: WiringCounts }>;
  total: WiringCounts;
}

export function zeroCounts(): WiringCounts {
  return { through: 0, bypassing: 0, unchecked: 0, 'no-write': 0, dead: 0 };
}

/** A row per category (in reading order) and a total, a count per wiring. */
export function wiringMatrix(side: Pick<Side, 'entryPoints'>): WiringMatrix {
  const counts = new Map<string, WiringCounts>();
  const total = zeroCounts();
  for (const e of side.entryPoints) {
    const row = counts.get(e.category) ?? zeroCounts();
    const w = wiringOf(e);
    row[w]++;
    total[w]++;
    counts.set(e.category, row);
  }
  const rows = [...counts.keys()].sort(compareCategories).map(category => ({ category, counts: counts.get(category) ?? zeroCounts() }));
  return { rows, total };
}
