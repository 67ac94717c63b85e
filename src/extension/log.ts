import * as vscode from 'vscode';
import { Commands, OUTPUT_CHANNEL_NAME } from './ids';
import { errorMessage } from '../core/errors';

/** The one log channel. Errors shown to the user carry a "Show Log" action. */
export class Log implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(message: string, e?: unknown): void {
    this.channel.error(e === undefined ? message : `${message}: ${e instanceof Error && e.stack ? e.stack : errorMessage(e)}`);
  }

  /** Logs and shows an error with a "Show Log" action. Does not wait for the user: commands finish at once. */
  showError(message: string, e?: unknown): void {
    this.error(message, e);
    void vscode.window.showErrorMessage(message, 'Show Log').then(action => {
      if (action === 'Show Log') void vscode.commands.executeCommand(Commands.showLog);
    });
  }

  dispose(): void {
    this.channel.dispose();
  }
}
