import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { Commands } from '../ids';
import { type RunSession } from '../run-session';
import { BASELINE_SCHEME, RUN_SCHEME, locate } from '../tree-content';
import { type AuthorityStore } from './authority-store';
import { wiringText } from './authority-view';
import { categoryTitle } from '../../core/authority/wiring';
import type { EntryItem, FileFindings, SideName } from '../../protocol/server/authority';
import { entryFinding, type FindingEvidence } from './finding-commands';

/**
 * The authority map where code is read: in run and baseline editors, and both sides of a diff editor, a gutter mark
 * on each entry point and write, a hover saying what it is, where it leads and whether it passes the declared
 * authority (with "Add as Evidence…"), and a CodeLens on each entry point ("reaches 3 writes · via X").
 */

type MarkKind = 'entryThrough' | 'entryBypass' | 'entryPlain' | 'write' | 'writeBypass';

const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: BASELINE_SCHEME }, { scheme: RUN_SCHEME }];

interface LineMark {
  kind: MarkKind;
  line: number;
}

/** Where the marks of a file's findings go: one per line, the strongest kind wins (a bypass over a plain mark). */
export function lineMarks(f: FileFindings): LineMark[] {
  const rank: Record<MarkKind, number> = { entryBypass: 5, writeBypass: 4, entryThrough: 3, write: 2, entryPlain: 1 };
  const at = new Map<number, MarkKind>();
  const put = (line: number, kind: MarkKind) => {
    const had = at.get(line);
    if (had === undefined || rank[kind] > rank[had]) at.set(line, kind);
  };
  for (const e of f.entries) {
    const kind: MarkKind = e.wiring === 'bypassing' ? 'entryBypass' : e.wiring === 'through' ? 'entryThrough' : 'entryPlain';
    if (e.file === f.path) put(e.line, kind);
    if (e.handler.file === f.path && e.handler.line !== e.line) put(e.handler.line, kind);
  }
  for (const w of f.writes) put(w.line, w.bypass ? 'writeBypass' : 'write');
  return [...at].map(([line, kind]) => ({ line, kind })).sort((a, b) => a.line - b.line);
}

function evidenceLink(label: string, f: FindingEvidence): string {
  return `[${label}](command:${Commands.addFindingAsEvidence}?${encodeURIComponent(JSON.stringify([f]))} "Add these lines as evidence for a rubric dimension")`;
}

function openLink(label: string, side: SideName, file: string, line: number): string {
  return `[${label}](command:${Commands.openFindingLocation}?${encodeURIComponent(JSON.stringify([{ side, path: file, line }]))})`;
}

/** Markdown with every string from the repository escaped: only our own links are live. */
function esc(text: string): string {
  return new vscode.MarkdownString(undefined, true).appendText(text).value;
}

/** The hover text for one line of a file: every entry point and write there. Undefined when there is none. */
export function hoverMarkdown(f: FileFindings, line: number): vscode.MarkdownString | undefined {
  const parts: string[] = [];
  for (const e of f.entries) {
    const here = (e.file === f.path && e.line === line) || (e.handler.file === f.path && e.handler.line === line);
    if (!here) continue;
    const icon = e.wiring === 'bypassing' ? '$(error)' : e.wiring === 'through' ? '$(pass)' : e.wiring === 'dead' ? '$(circle-slash)' : '$(circle-outline)';
    const lines = [`${icon} **${esc(e.label)}** · ${esc(categoryTitle(e.category))} entry point (${e.side})`, '', esc(wiringText(e))];
    if (e.paths.length > 1) lines.push('', `Also mounted at: ${esc(e.paths.slice(1).join(', '))}`);
    if (e.handler.file !== f.path || e.handler.line !== line) lines.push('', `Handler: ${openLink(esc(`${e.handler.name} (${e.handler.file}:${e.handler.line})`), e.side, e.handler.file, e.handler.line)}`);
    else if (e.file !== f.path || e.line !== line) lines.push('', `Registered at ${openLink(esc(`${e.file}:${e.line}`), e.side, e.file, e.line)}`);
    if (!e.reachable) lines.push('', esc(`Dead: ${e.why}`));
    const writes = e.writes.slice(0, 8).map(w => `- ${w.bypass ? '$(error) ' : ''}${openLink(esc(`${w.kind} ${w.target}`), e.side, w.file, w.line)} ${esc(`in ${w.function} (${w.file}:${w.line})`)}${w.bypass ? ' — without the authority' : ''}`);
    const more = e.writes.length - 8 + (e.writesOmitted ?? 0);
    if (writes.length > 0) lines.push('', 'Writes reached:', ...writes, ...(more > 0 ? [`- and ${more} more`] : []));
    lines.push('', evidenceLink('$(add) Add as Evidence…', entryFinding(e)));
    parts.push(lines.join('\n'));
  }
  for (const w of f.writes) {
    if (w.line !== line) continue;
    const lines = [`${w.bypass ? '$(error)' : '$(database)'} **${esc(`${w.kind} write`)}** to ${esc(w.target)} in ${esc(w.function)} (${f.side})`];
    if (w.reachedBy.length === 0) lines.push('', 'No entry point reaches it.');
    else {
      lines.push('', 'Reached from:');
      for (const r of w.reachedBy.slice(0, 8)) lines.push(`- ${r.bypass ? '$(error) ' : ''}${esc(r.label)}${r.bypass ? ' — without passing the authority' : ''}`);
      const more = w.reachedBy.length - 8 + (w.reachedByOmitted ?? 0);
      if (more > 0) lines.push(`- and ${more} more`);
    }
    const note = `${w.kind} write to ${w.target} in ${w.function} (${f.side})${w.bypass ? ', reached without passing the declared authority' : ''}; reached from ${w.reachedBy.map(r => r.label).slice(0, 3).join(', ') || 'no entry point'}.`;
    lines.push('', evidenceLink('$(add) Add as Evidence…', { side: f.side, path: f.path, startLine: w.line, endLine: w.line, note }));
    parts.push(lines.join('\n'));
  }
  for (const fate of f.fates ?? []) {
    if (fate.line !== line) continue;
    // what became of a baseline entry point comes first: it is what a reviewer reading the baseline asks
    parts.unshift(`$(history) In the run: **${esc(fate.fate)}** — ${esc(fate.note)}\n\n${evidenceLink('$(add) Add as Evidence…', {
      side: 'baseline', path: f.path, startLine: line, endLine: line, note: `Baseline entry point at ${f.path}:${line}: ${fate.fate} in the run (${fate.note}).`,
    })}`);
  }
  if (parts.length === 0) return undefined;
  const md = new vscode.MarkdownString(parts.join('\n\n---\n\n'), true);
  md.isTrusted = { enabledCommands: [Commands.addFindingAsEvidence, Commands.openFindingLocation] };
  return md;
}

/** "reaches 3 writes · via applyDocumentWrite": the inline hint after an entry point's line in a diff editor. */
export function entryHint(e: EntryItem): string {
  return `${e.wiring === 'bypassing' ? '✗' : e.wiring === 'through' ? '✓' : '·'} ${e.label} · ${wiringText(e)}`;
}

/** The documents shown as a side of a diff editor (where VS Code shows no CodeLens unless diffEditor.codeLens is on). */
function diffSides(): Set<string> {
  const out = new Set<string>();
  for (const group of vscode.window.tabGroups.all) {
    const input = group.activeTab?.input;
    if (input instanceof vscode.TabInputTextDiff) {
      out.add(input.original.toString());
      out.add(input.modified.toString());
    }
  }
  return out;
}

export class AuthorityAnnotations extends Disposable implements vscode.HoverProvider, vscode.CodeLensProvider {
  private readonly types: Record<MarkKind, vscode.TextEditorDecorationType>;
  private readonly hint = this._register(vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  }));
  private readonly lensesChanged = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensesChanged.event;

  constructor(private readonly session: RunSession, private readonly store: AuthorityStore, extensionUri: vscode.Uri) {
    super();
    const gutter = (name: string, ruler?: string): vscode.TextEditorDecorationType => this._register(vscode.window.createTextEditorDecorationType({
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'gutter', `${name}.svg`), gutterIconSize: '80%',
      ...(ruler !== undefined ? { overviewRulerColor: new vscode.ThemeColor(ruler), overviewRulerLane: vscode.OverviewRulerLane.Left } : {}),
    }));
    this.types = {
      entryThrough: gutter('entry-through', 'testing.iconPassed'),
      entryBypass: gutter('entry-bypass', 'editorError.foreground'),
      entryPlain: gutter('entry-plain'),
      write: gutter('write', 'editorInfo.foreground'),
      writeBypass: gutter('write-bypass', 'editorError.foreground'),
    };
    this._register(vscode.languages.registerHoverProvider(SELECTOR, this));
    this._register(vscode.languages.registerCodeLensProvider(SELECTOR, this));
    this._register(vscode.window.onDidChangeVisibleTextEditors(() => void this.decorateAll()));
    this._register(vscode.window.tabGroups.onDidChangeTabs(() => void this.decorateAll()));
    this._register(store.onDidChange(() => {
      void this.decorateAll();
      this.lensesChanged.fire();
    }));
    void this.decorateAll();
  }

  private findingsFor(doc: vscode.TextDocument): Promise<FileFindings | undefined> {
    const where = locate(this.session, doc.uri);
    if (!where) return Promise.resolve(undefined);
    return this.store.fileFindings(where.side, where.path);
  }

  /** Decorates every visible editor of the run or its baseline (both sides of a diff editor are visible editors). */
  async decorateAll(): Promise<void> {
    const sides = diffSides();
    await Promise.all(vscode.window.visibleTextEditors.map(async editor => {
      let marks: LineMark[] = [];
      let findings: FileFindings | undefined;
      try {
        findings = await this.findingsFor(editor.document);
        if (findings) marks = lineMarks(findings);
      } catch {
        marks = [];
      }
      const lines = editor.document.lineCount;
      for (const kind of Object.keys(this.types) as MarkKind[]) {
        const ranges = marks.filter(m => m.kind === kind && m.line <= lines).map(m => new vscode.Range(m.line - 1, 0, m.line - 1, 0));
        editor.setDecorations(this.types[kind], ranges);
      }
      // in a diff editor the CodeLens is off by default: the same words as an inline hint after the line
      const hints: vscode.DecorationOptions[] = [];
      if (findings && sides.has(editor.document.uri.toString())) {
        for (const e of findings.entries) {
          if (e.file !== findings.path || e.line > lines) continue;
          const end = editor.document.lineAt(e.line - 1).range.end;
          hints.push({ range: new vscode.Range(end, end), renderOptions: { after: { contentText: entryHint(e) } } });
        }
      }
      editor.setDecorations(this.hint, hints);
    }));
  }

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const f = await this.findingsFor(doc);
    const md = f && hoverMarkdown(f, pos.line + 1);
    return md ? new vscode.Hover(md, doc.lineAt(pos.line).range) : undefined;
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const f = await this.findingsFor(doc);
    if (!f) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const e of f.entries) {
      if (e.file !== f.path || e.line > doc.lineCount) continue;
      const range = new vscode.Range(e.line - 1, 0, e.line - 1, 0);
      const first = e.writes.find(w => w.bypass) ?? e.writes[0];
      const title = `${e.wiring === 'bypassing' ? '$(error) ' : e.wiring === 'through' ? '$(pass) ' : ''}${e.label} · ${wiringText(e)}`;
      lenses.push(new vscode.CodeLens(range, first
        ? { title, command: Commands.openFindingLocation, arguments: [{ side: e.side, path: first.file, line: first.line }], tooltip: `Go to ${first.kind} ${first.target} (${first.file}:${first.line})` }
        : { title, command: '' }));
    }
    return lenses;
  }
}
