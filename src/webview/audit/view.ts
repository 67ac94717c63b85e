import { type AuditDimension, type AuditModel } from '../../protocol/webview/audit';
import { h } from '../dom';
import { detailContent, type DecisionField, type DetailActions } from './detail';
import { codicon, isolated, num, plural, setText, srOnly } from './parts';

export interface ViewActions extends DetailActions {
  sign(): void;
  showLog(): void;
  expanded(dimension: string, open: boolean): void;
}

interface Row {
  final: HTMLElement;
  decision: DecisionField;
}

/** What makes the page be built anew (anything else is patched in place, so typing keeps its field and caret). */
export function structureKey(m: AuditModel): string {
  return JSON.stringify([m.runId, m.graders, m.dimensions.map(d => [d.id, d.title, d.ceiling, d.points, d.aggregate, d.sheets]), m.readOnly, m.verdict,
    m.notices, m.excluded, m.basis]);
}

function signedMark(signed: boolean): HTMLElement {
  return signed ? h('span', { class: 'signed', title: 'Signed, and the signature verified' }, codicon('verified-filled'), srOnly('(signed)'))
    : h('span', { class: 'unsigned', title: 'Not signed' }, codicon('unverified'), ' unsigned');
}

function gapCell(spread: number, disagreement: boolean, ceiling: number, share: number): HTMLElement {
  if (!disagreement) return h('td', { class: 'num gap' }, num(spread));
  return h('td', { class: 'num gap disagree', title: `The graders differ by ${num(spread)}: more than ${num(share * ceiling)} (${Math.round(share * 100)}% of ${num(ceiling)})` },
    codicon('warning'), ` differ by ${num(spread)}`);
}

function finalText(d: Pick<AuditDimension, 'check' | 'decision'>): Array<Node | string> {
  if (!d.check.ok) return [codicon('error'), ' ', d.check.final !== undefined ? num(d.check.final) : 'to fix', srOnly(': not valid yet')];
  return [num(d.check.final), d.check.departs ? h('span', { class: 'set-mark', title: 'Set by you' }, ' (set)') : ''];
}

function notices(m: AuditModel): HTMLElement[] {
  const icon = { info: 'info', warning: 'warning', error: 'error' } as const;
  return m.notices.map(n => h('p', { class: `notice ${n.kind}`, role: n.kind === 'info' ? 'status' : 'alert' }, codicon(icon[n.kind]), ' ', n.text));
}

function verdict(m: AuditModel, showLog: () => void): HTMLElement | null {
  const v = m.verdict;
  if (!v) return null;
  const log = h('button', { type: 'button', class: 'secondary' }, 'Show Log');
  log.addEventListener('click', showLog);
  return h('section', { class: `verdict ${v.ok ? 'good' : 'bad'}`, 'aria-label': 'Verdict', 'data-testid': 'verdict' },
    h('h2', {}, codicon(v.ok ? 'pass' : 'error'), v.ok ? ' Verified' : ' Not verified'),
    h('p', { class: 'verdict-file' }, isolated(v.file)),
    h('p', { class: 'headline' }, v.headline),
    h('ul', { class: 'checks' }, ...v.checks.map(c => h('li', { class: c.ok ? 'ok' : 'bad' },
      h('span', { class: 'mark', 'aria-hidden': 'true' }, c.ok ? '\u2714' : '\u2718'), srOnly(c.ok ? 'passed: ' : 'failed: '), ' ', c.text))),
    v.ok ? null : log);
}

/** The Audit page for one run: built once per structure, patched with each state the host sends. */
export class AuditView {
  readonly el: HTMLElement;
  readonly key: string;
  private readonly rows = new Map<string, Row>();
  private readonly totalFinal: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly problems: HTMLElement;
  private readonly sign: HTMLButtonElement;
  private readonly status: HTMLElement;

  constructor(m: AuditModel, expanded: ReadonlySet<string>, private readonly actions: ViewActions) {
    this.key = structureKey(m);
    const basis = m.basis === 'median' ? 'median' : 'mean';
    const cols = m.graders.length + 5;
    const graderHeads = m.graders.map((g, i) => h('th', { scope: 'col', class: 'grader-col', 'data-grader': String(i) },
      isolated(g.name, 'grader-name'), ' ',
      signedMark(g.signed)));
    const body = h('tbody', {});
    for (const d of m.dimensions) {
      const detailId = `detail-${d.id}`;
      const open = expanded.has(d.id);
      const toggle = h('button', { type: 'button', class: 'expand', 'aria-expanded': String(open), 'aria-controls': detailId },
        codicon(open ? 'chevron-down' : 'chevron-right'), ' ', d.title, h('span', { class: 'of' }, ` / ${num(d.ceiling)}`));
      const final = h('td', { class: 'num final' });
      const row = h('tr', { class: `dimension${d.disagreement ? ' disagree' : ''}`, 'data-dimension': d.id },
        h('th', { scope: 'row' }, toggle),
        ...d.points.map((p, i) => h('td', { class: 'num', 'data-grader': String(i) }, num(p))),
        h('td', { class: 'num aggregate' }, num(d.aggregate)),
        gapCell(d.spread, d.disagreement, d.ceiling, m.gapShare),
        final);
      const content = detailContent(d, m.graders, basis, this.actions);
      const detail = h('tr', { class: 'detail', id: detailId, 'data-dimension': d.id }, h('td', { colspan: String(cols) }, content.el));
      detail.hidden = !open;
      toggle.addEventListener('click', () => {
        const now = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', String(now));
        toggle.querySelector('.codicon')?.setAttribute('class', `codicon codicon-${now ? 'chevron-down' : 'chevron-right'}`);
        detail.hidden = !now;
        this.actions.expanded(d.id, now);
      });
      body.append(row, detail);
      this.rows.set(d.id, { final, decision: content.decision });
    }
    this.totalFinal = h('td', { class: 'num final' });
    const t = m.total;
    const table = h('table', { class: 'scores', 'data-testid': 'scores' },
      h('caption', {}, `Points by grader and dimension; the ${basis}, the gap between the highest and lowest, and the final points`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Dimension'), ...graderHeads,
        h('th', { scope: 'col', class: 'num' }, basis === 'median' ? 'Median' : 'Mean'), h('th', { scope: 'col', class: 'num' }, 'Gap'),
        h('th', { scope: 'col', class: 'num' }, 'Final'))),
      body,
      h('tfoot', {}, h('tr', { class: `total${t.disagreement ? ' disagree' : ''}` },
        h('th', { scope: 'row' }, 'Total', h('span', { class: 'of' }, ` / ${num(t.ceiling)}`)),
        ...t.points.map((p, i) => h('td', { class: 'num', 'data-grader': String(i) }, num(p))),
        h('td', { class: 'num aggregate' }, num(t.aggregate)),
        gapCell(t.spread, t.disagreement, t.ceiling, m.gapShare),
        this.totalFinal)));

    const disagreeing = m.dimensions.filter(d => d.disagreement);
    const gist = disagreeing.length === 0
      ? h('p', { class: 'gist agree' }, codicon('pass'), ` The graders agree within ${Math.round(m.gapShare * 100)}% of each dimension\u2019s ceiling.`)
      : h('p', { class: 'gist disagree' }, codicon('warning'),
        ` The graders disagree on ${plural(disagreeing.length, 'dimension')}: ${disagreeing.map(d => `${d.title} (differ by ${num(d.spread)})`).join(', ')}.`);
    this.summary = h('p', { class: 'summary', 'data-testid': 'summary' });
    this.problems = h('ul', { class: 'problems', 'data-testid': 'problems' });
    this.sign = h('button', { type: 'button', class: 'primary', 'data-testid': 'sign' }, codicon('workspace-trusted'), ' Sign and Export\u2026');
    this.sign.addEventListener('click', () => this.actions.sign());
    this.status = h('p', { class: 'status', 'data-testid': 'status', role: 'status' });

    const sources = h('section', { class: 'sources', 'aria-label': 'Worksheets' },
      h('h2', {}, 'Worksheets'),
      h('ul', {}, ...m.graders.map((g, i) => h('li', { 'data-grader': String(i) }, isolated(g.name, 'grader-name'), ' ', signedMark(g.signed),
        ` total ${num(g.total)} \u00b7 `, isolated(g.file, 'file')))));
    const excluded = m.excluded.length === 0 ? null : h('section', { class: 'excluded', 'aria-label': 'Left out' },
      h('h2', {}, `Left out: ${plural(m.excluded.length, 'file')}`),
      h('ul', {}, ...m.excluded.map(x => h('li', {}, isolated(x.file, 'file'), ': ', x.reason))));

    this.el = h('div', { class: 'audit' },
      h('header', {},
        h('h1', {}, m.dimensions.every(d => d.sheets === undefined) ? 'Adjudication of ' : 'Audit of ', isolated(m.runId)),
        h('p', { class: 'sub' }, `${m.rubric.title} (${m.rubric.id} ${m.rubric.version}) \u00b7 ${plural(m.graders.length, 'grader')} \u00b7 graders differ where their points are more than ${Math.round(m.gapShare * 100)}% of a dimension\u2019s ceiling apart`)),
      ...notices(m),
      verdict(m, () => this.actions.showLog()),
      m.readOnly ? h('p', { class: 'banner', role: 'note' }, codicon('lock'), ' Read-only: this is the signed adjudication.') : null,
      gist,
      h('div', { class: 'table-wrap' }, table),
      h('p', { class: 'help' }, 'Expand a dimension to read each grader\u2019s rationale and evidence side by side, and to decide its points.'),
      h('section', { class: 'adjudication', 'aria-label': 'Adjudication' },
        h('h2', {}, 'Adjudication'),
        this.summary,
        this.problems,
        m.readOnly ? null : h('div', { class: 'actions' }, this.sign),
        this.status),
      sources,
      excluded);
  }

  update(m: AuditModel): void {
    for (const d of m.dimensions) {
      const row = this.rows.get(d.id);
      if (!row) continue;
      row.final.replaceChildren(...finalText(d));
      row.final.classList.toggle('invalid', !d.check.ok);
      row.decision.update(d, m.readOnly);
    }
    this.totalFinal.replaceChildren(m.total.final !== undefined ? num(m.total.final) : '\u2014');
    const departing = m.dimensions.filter(d => d.check.departs).length;
    const method = m.method === 'adjudicated'
      ? `adjudicated: ${plural(departing, 'dimension departs', 'dimensions depart')} from the mean`
      : m.method === 'median' ? 'median: every dimension takes the median' : 'mean: every dimension takes the mean';
    setText(this.summary, m.total.final !== undefined
      ? `Final total ${num(m.total.final)} / ${num(m.total.ceiling)} (the ${m.basis} is ${num(m.total.aggregate)}). Method: ${method}.`
      : `Final total: not yet (${plural(m.problems.length, 'thing')} to settle). Method: ${method}.`);
    this.problems.replaceChildren(...m.problems.map(p => h('li', {}, codicon('error'), ' ', p)));
    this.problems.hidden = m.problems.length === 0;
    this.sign.disabled = m.problems.length > 0;
    this.sign.title = m.problems.length > 0 ? 'Settle every dimension first' : 'Sign the adjudication with your key and save it';
    setText(this.status, m.status?.text ?? '');
    this.status.className = `status ${m.status?.kind ?? ''}`;
  }
}
