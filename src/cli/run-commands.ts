/** The commands that open a run with git (`info`, `diff`): dist/cli-run-commands.js, loaded when one of them runs. */
export { infoCommand } from './info';
export { diffCommand } from './diff';
