import { type Connection } from 'vscode-languageserver/node';
import type { Reply, RequestDef } from '../../protocol/server/defs';
import {
  AuthoritySummaryRequest, EntryPointsRequest, FatesRequest, FileBadgesRequest, FileFindingsRequest, WitnessRequest, type SideName,
} from '../../protocol/server/authority';
import { EvidenceRequest } from '../../protocol/server/evidence';
import { entryPoints, fates, fileBadges, fileFindings, summary, witness, type AuthorityIndex } from './queries';
import { type ReviewHost } from './review-host';

/**
 * The authority map's requests. Parameters come from another process: each is checked before use, and a request
 * that cannot be answered says why ({ok: false, reason}).
 */

type Params = Record<string, unknown>;

function on<P, R>(connection: Connection, def: RequestDef<P, Reply<R>>, answer: (params: Params) => Reply<R>): void {
  connection.onRequest(def.method, (p: unknown): unknown => answer(typeof p === 'object' && p !== null ? (p as Params) : {}));
}

const side = (v: unknown): SideName | undefined => (v === 'baseline' || v === 'run' ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function paging(p: Params, generation: number): { generation: number; cursor?: number; limit?: number } {
  const cursor = num(p['cursor']);
  const limit = num(p['limit']);
  return { generation, ...(cursor !== undefined ? { cursor } : {}), ...(limit !== undefined ? { limit } : {}) };
}

export function registerAuthorityRequests(connection: Connection, host: ReviewHost): void {
  const ready = (): AuthorityIndex | { ok: false; reason: string } => host.index ?? { ok: false, reason: `no analysis yet: ${host.status.message}` };
  const isIndex = (x: AuthorityIndex | { ok: false; reason: string }): x is AuthorityIndex => 'analysis' in x;

  on(connection, AuthoritySummaryRequest, () => {
    const ix = ready();
    return isIndex(ix) ? { ok: true, summary: summary(ix) } : ix;
  });
  on(connection, EntryPointsRequest, p => {
    const ix = ready();
    if (!isIndex(ix)) return ix;
    const s = side(p['side']);
    if (!s) return { ok: false, reason: 'side must be "baseline" or "run"' };
    return { ok: true, page: entryPoints(ix, s, str(p['category']), paging(p, ix.generation)) };
  });
  on(connection, FatesRequest, p => {
    const ix = ready();
    return isIndex(ix) ? { ok: true, page: fates(ix, str(p['fate']), paging(p, ix.generation)) } : ix;
  });
  on(connection, WitnessRequest, p => {
    const ix = ready();
    if (!isIndex(ix)) return ix;
    const s = side(p['side']);
    const entry = str(p['entry']);
    const write = str(p['write']);
    if (!s || entry === undefined || write === undefined) return { ok: false, reason: 'a witness request names a side, an entry point and a write' };
    if (num(p['generation']) !== ix.generation) return { ok: false, reason: 'the analysis changed since this entry point was listed: look again' };
    const w = witness(ix, s, entry, write);
    return w ? { ok: true, ...w } : { ok: false, reason: 'this entry point does not reach that write (or its path was not kept)' };
  });
  on(connection, FileFindingsRequest, p => {
    const ix = ready();
    if (!isIndex(ix)) return ix;
    const s = side(p['side']);
    const file = str(p['path']);
    if (!s || file === undefined) return { ok: false, reason: 'a file findings request names a side and a path' };
    return { ok: true, findings: fileFindings(ix, s, file) };
  });
  on(connection, FileBadgesRequest, p => {
    const ix = ready();
    return isIndex(ix) ? { ok: true, page: fileBadges(ix, paging(p, ix.generation)) } : ix;
  });
}

/** The evidence request: answered when the evidence is found (it may take seconds the first time). */
export function registerEvidenceRequest(connection: Connection, host: ReviewHost): void {
  connection.onRequest(EvidenceRequest.method, async (p: unknown): Promise<unknown> => {
    const o = typeof p === 'object' && p !== null ? (p as Params) : {};
    const t = o['trees'];
    let trees: { baseline: string; run: string } | undefined;
    if (t !== undefined) {
      const tt = typeof t === 'object' && t !== null ? (t as Params) : {};
      const baseline = str(tt['baseline']);
      const run = str(tt['run']);
      if (baseline === undefined || run === undefined) return { ok: false, reason: 'trees must name a baseline and a run tree' };
      trees = { baseline, run };
    }
    return host.evidence(trees);
  });
}
