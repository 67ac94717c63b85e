import { RunDetails, type CommitModel, type FileExcerpt, type RunDetailsModel } from '../../protocol/webview/run-details';
import { h } from '../dom';
import { on, post, ready } from '../host';

function commitRows(label: string, c: CommitModel): HTMLElement {
  return h('section', { class: 'commit', 'aria-label': label },
    h('h2', {}, label),
    h('dl', {},
      h('dt', {}, 'Commit'), h('dd', {}, h('code', { 'data-testid': `${label.toLowerCase()}-commit` }, c.commit)),
      h('dt', {}, 'Tree'), h('dd', {}, h('code', {}, c.tree)),
      h('dt', {}, 'Subject'), h('dd', {}, c.subject),
      h('dt', {}, 'Date'), h('dd', {}, c.date),
      h('dt', {}, 'From'), h('dd', {}, c.source),
    ));
}

function fileLink(path: string): HTMLElement {
  const a = h('a', { href: '#', class: 'file-link', title: `Open ${path}` }, path);
  a.addEventListener('click', ev => {
    ev.preventDefault();
    post(RunDetails.openFile, { path });
  });
  return a;
}

function excerpt(title: string, f: FileExcerpt): HTMLElement {
  const size = f.bytes !== undefined ? ` (${f.bytes.toLocaleString()} bytes${f.truncated ? ', first part shown' : ''})` : '';
  return h('section', { class: 'excerpt' },
    h('h2', {}, title, ': ', f.problem ? f.path : fileLink(f.path), size),
    f.problem ? h('p', { class: 'problem', role: 'note' }, `${f.path}: ${f.problem}`) : h('pre', { tabindex: '0' }, f.text ?? ''));
}

function render(m: RunDetailsModel): void {
  const app = document.getElementById('app');
  if (!app) return;
  const manifest = h('section', { class: 'manifest', 'aria-label': 'Manifest' },
    h('h2', {}, 'Manifest'),
    m.manifestFile
      ? h('dl', {},
        h('dt', {}, 'File'), h('dd', {}, m.manifestFile),
        m.model ? h('dt', {}, 'Model') : null, m.model ? h('dd', {}, m.model.name + (m.model.config ? ` (${m.model.config})` : '')) : null,
        m.benchmark ? h('dt', {}, 'Benchmark') : null, m.benchmark ? h('dd', {}, `${m.benchmark.name} ${m.benchmark.version}`) : null,
        ...m.authority.flatMap(a => [h('dt', {}, 'Declared authority'), h('dd', {}, h('code', {}, a.symbol), ' in ', fileLink(a.path))]))
      : h('p', {}, 'No seb-run.json: the baseline is the repository\'s root commit and the run id is the folder name.'));
  const parts: Array<HTMLElement | null> = [
    h('header', {}, h('h1', { 'data-testid': 'run-id' }, m.runId), h('p', { class: 'root' }, m.root)),
    h('div', { class: 'commits' }, commitRows('Baseline', m.baseline), commitRows('Head', m.head)),
    manifest,
    m.plan ? excerpt('Plan', m.plan) : null,
    ...m.testLogs.map(l => excerpt('Test log', l)),
  ];
  app.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
}

on(RunDetails.show, render);
ready();
