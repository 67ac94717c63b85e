/** `keygen` and `sign`: dist/cli-signing-commands.js, loaded when one of them runs. */
export { keygenCommand } from './keygen';
export { signCommand } from './sign';
