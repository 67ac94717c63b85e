/**
 * Command handlers, by id. The shell (extension.ts) registers every contributed command with VS Code at activation as
 * a thin shim that loads the features bundle and then calls the handler put here; the handlers' modules are therefore
 * never loaded at activation.
 */
export type CommandHandler = (...args: never[]) => unknown;

export type RegisterCommand = (id: string, handler: CommandHandler) => void;

export class CommandTable {
  private readonly handlers = new Map<string, CommandHandler>();

  readonly register: RegisterCommand = (id, handler) => {
    if (this.handlers.has(id)) throw new Error(`command ${id} has two handlers`);
    this.handlers.set(id, handler);
  };

  has(id: string): boolean {
    return this.handlers.has(id);
  }

  run(id: string, args: readonly unknown[]): unknown {
    const handler = this.handlers.get(id) as ((...a: unknown[]) => unknown) | undefined;
    if (!handler) throw new Error(`command ${id} has no handler`);
    return handler(...args);
  }
}
