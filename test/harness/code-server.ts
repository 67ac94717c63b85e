import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HOST, freePort, tools } from './env';
import { groupAlive } from './processes';
import { waitFor } from './wait';

export interface CodeServerOptions {
  /** Extra workbench settings. */
  settings?: Record<string, unknown>;
  /** Install this .vsix first (UI tests, main job). */
  vsix?: string;
  /** Enables the ?payload= URL that runs extension tests (integration tests). */
  smokeTestDriver?: boolean;
  /** Keep state here instead of a fresh scratch folder (main job). */
  stateDir?: string;
  port?: number;
  env?: Record<string, string>;
  /** Leave workspace trust on, so a folder opens in Restricted Mode until the user trusts it. */
  workspaceTrust?: boolean;
}

export interface CodeServer {
  origin: string;
  port: number;
  pid: number;
  stateDir: string;
  log(): string;
  stop(): Promise<void>;
  urlFor(folder: string, query?: string): string;
}

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.colorTheme': 'Dark Modern',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'git.enabled': false, // the built-in git extension must not run the reviewed repositories' configured programs either
  'git.autoRepositoryDetection': false,
  'git.openRepositoryInParentFolders': 'never',
};

/** Starts code-server on 127.0.0.1 with its own state; stop() kills its whole process group by pid. */
export async function startCodeServer(o: CodeServerOptions = {}): Promise<CodeServer> {
  const t = tools();
  const stateDir = o.stateDir ?? mkdtempSync(path.join(tmpdir(), 'seb-cs-'));
  const userData = path.join(stateDir, 'user-data');
  const extDir = path.join(stateDir, 'extensions');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(path.join(stateDir, 'config.yaml'), 'auth: none\n');
  const trust = o.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'always' } : {};
  writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...trust, ...o.settings }, null, 2));
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: stateDir, XDG_DATA_HOME: stateDir, TMPDIR: stateDir, ...o.env };
  const common = ['--config', path.join(stateDir, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', extDir];
  if (o.vsix) {
    execFileSync(t.node24, [t.codeServer, ...common, '--install-extension', o.vsix, '--force'], { env, stdio: 'pipe' });
  }
  const port = o.port ?? (await freePort());
  const args = [t.codeServer, ...common, '--bind-addr', `${HOST}:${port}`, '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened'];
  if (!o.workspaceTrust) args.push('--disable-workspace-trust');
  if (o.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const child: ChildProcess = spawn(t.node24, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const out: string[] = [];
  child.stdout?.on('data', d => out.push(String(d)));
  child.stderr?.on('data', d => out.push(String(d)));
  const origin = `http://${HOST}:${port}`;
  const pid = child.pid;
  if (!pid) throw new Error(`code-server did not start (${t.node24} ${t.codeServer})`);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try { process.kill(-pid, 'SIGTERM'); } catch { /* already gone */ }
    // let the group exit on its own (it writes its state) for at most 5 s, then kill whatever is left
    await waitFor(`code-server (pid ${pid}) to exit`, () => (groupAlive(pid) ? undefined : true), 5000, 50).catch(() => undefined);
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    if (!o.stateDir) rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    await waitFor('code-server /healthz', async () => {
      if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${out.join('')}`);
      try {
        return (await fetch(`${origin}/healthz`)).ok ? true : undefined;
      } catch {
        return undefined;
      }
    }, 60000);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    origin, port, pid, stateDir, stop,
    log: () => out.join(''),
    urlFor: (folder, query = '') => `${origin}/?folder=${encodeURIComponent(folder)}${query}`,
  };
}
