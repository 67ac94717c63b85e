import { WIRING_COLUMNS, Wiring, type WiringColumn, type WiringModel, type WiringSideModel } from '../../protocol/webview/wiring';
import { h } from '../dom';
import { on, post, ready } from '../host';

/** The wiring matrix: a table per side, a row per category, a column per wiring; every cell with entries is a button. */

const TITLES: Record<WiringColumn, string> = {
  through: 'Through the authority', bypassing: 'Bypassing it', unchecked: 'Writes, no authority declared', 'no-write': 'No write', dead: 'Dead',
};
const ICONS: Record<WiringColumn, string> = {
  through: 'pass', bypassing: 'error', unchecked: 'warning', 'no-write': 'circle-outline', dead: 'circle-slash',
};

function cell(side: 'run' | 'baseline', category: string, title: string, col: WiringColumn, n: number): HTMLElement {
  if (n === 0) return h('td', { class: 'zero', 'data-col': col }, '0');
  const b = h('button', { class: `cell ${col}`, type: 'button', 'data-col': col, title: `${title}: ${n} ${TITLES[col].toLowerCase()} (${side}) — list them`,
    'aria-label': `${title}, ${TITLES[col]}: ${n}. List them.` },
  h('span', { class: `codicon codicon-${ICONS[col]}`, 'aria-hidden': 'true' }), ` ${n}`);
  b.addEventListener('click', () => post(Wiring.openCell, { side, category, wiring: col }));
  return h('td', { 'data-col': col }, b);
}

function table(side: 'run' | 'baseline', caption: string, m: WiringSideModel): HTMLElement {
  const cols = WIRING_COLUMNS.filter(c => c !== 'unchecked' || m.total.unchecked > 0);
  return h('table', { 'data-side': side },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Category'), ...cols.map(c => h('th', { scope: 'col', class: c },
      h('span', { class: `codicon codicon-${ICONS[c]}`, 'aria-hidden': 'true' }), ` ${TITLES[c]}`)))),
    h('tbody', {}, ...m.rows.map(r => h('tr', { 'data-category': r.category, class: r.counts.bypassing > 0 ? 'has-bypass' : '' },
      h('th', { scope: 'row' }, r.title), ...cols.map(c => cell(side, r.category, r.title, c, r.counts[c]))))),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, 'Total'), ...cols.map(c => h('td', { 'data-col': c }, String(m.total[c]))))));
}

function verdict(m: WiringSideModel): HTMLElement {
  const bypassing = m.rows.filter(r => r.counts.bypassing > 0).map(r => r.title);
  const unchecked = m.rows.filter(r => r.counts.unchecked > 0).map(r => r.title);
  if (bypassing.length > 0) {
    return h('p', { class: 'verdict bad', role: 'status' }, h('span', { class: 'codicon codicon-error', 'aria-hidden': 'true' }),
      ` Not every write passes the declared authority: ${bypassing.join(', ')} ${bypassing.length === 1 ? 'has' : 'have'} entry points that bypass it.`);
  }
  if (unchecked.length > 0) {
    return h('p', { class: 'verdict warn', role: 'status' }, h('span', { class: 'codicon codicon-warning', 'aria-hidden': 'true' }),
      ` No authority is declared for ${unchecked.join(', ')}: their writes cannot be checked.`);
  }
  return h('p', { class: 'verdict good', role: 'status' }, h('span', { class: 'codicon codicon-pass', 'aria-hidden': 'true' }),
    ' Every reachable entry point that writes passes the declared authority.');
}

function render(m: WiringModel): void {
  const app = document.getElementById('app');
  if (!app) return;
  if (!m.run || !m.baseline) {
    app.replaceChildren(h('p', { class: 'waiting', role: 'status' }, `No wiring yet: ${m.message}`));
    return;
  }
  const authority = m.authority.length === 0
    ? h('p', {}, 'No authority is declared (seb-run.json "authority").')
    : h('ul', { class: 'authority' }, ...m.authority.map(a => h('li', {}, h('code', {}, a.name), a.found ? ` — defined at ${a.where ?? '?'}` : ' — not found in the run')));
  app.replaceChildren(
    h('header', {}, h('h1', {}, `Wiring of ${m.runId ?? 'the run'}`), h('p', { class: 'sub' }, 'Do REST, agent, WebSocket and mark writes all pass through the same authority?')),
    h('section', { 'aria-label': 'Declared authority' }, h('h2', {}, 'Declared authority'), authority),
    verdict(m.run),
    table('run', 'The run: entry points by category and wiring', m.run),
    table('baseline', 'The baseline, for comparison', m.baseline),
  );
}

on(Wiring.show, render);
ready();
