/**
 * The main job (npm start): code-server on 127.0.0.1 with the packaged SEB Review installed and the demo run opened.
 * Prints the URL and runs until stopped (Ctrl+C or SIGTERM), then stops code-server by its process id.
 * Usage: node out/test/harness/serve.js [--port N] [--fresh]
 *   --fresh  rebuild the demo run and forget the editor state kept in .cache/main-job
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startCodeServer } from './code-server';
import { ROOT } from './env';
import { buildDemoRun } from './fixtures';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: process.env.PORT ?? '8080' }, fresh: { type: 'boolean' } } });
  const state = path.join(ROOT, '.cache', 'main-job');
  if (values.fresh) rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
  const demoDir = path.join(ROOT, '.cache', 'fixtures', 'demo-run');
  const demo = values.fresh || !existsSync(path.join(demoDir, '.git')) ? await buildDemoRun(demoDir) : { dir: demoDir };
  const server = await startCodeServer({
    vsix: path.join(ROOT, 'out', 'seb-review.vsix'),
    stateDir: state,
    port: Number(values.port),
    settings: { 'workbench.colorTheme': 'Dark Modern' },
  });
  const url = server.urlFor(demo.dir);
  console.log(`\nSEB Review is running in VS Code (code-server, pid ${server.pid}) with the demo run opened:\n\n  ${url}\n\nStop with Ctrl+C.`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping code-server (pid ${server.pid})`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await new Promise(() => undefined);
}

main().catch(e => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
