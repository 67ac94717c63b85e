import { webviewScope } from './messages';
import { object, oneOf, isString } from './guards';

/** The wiring matrix page: per side, a row per category and a column per wiring. Strings are shown as text. */

export type WiringColumn = 'through' | 'bypassing' | 'unchecked' | 'no-write' | 'dead';
export const WIRING_COLUMNS: readonly WiringColumn[] = ['through', 'bypassing', 'unchecked', 'no-write', 'dead'];

export interface WiringSideModel {
  rows: Array<{ category: string; title: string; counts: Record<WiringColumn, number> }>;
  total: Record<WiringColumn, number>;
}

export interface WiringModel {
  /** Undefined when no analysis is ready; `message` says why. */
  runId?: string;
  message: string;
  authority: Array<{ name: string; found: boolean; where?: string }>;
  run?: WiringSideModel;
  baseline?: WiringSideModel;
}

export const WiringScope = 'wiring';
const { command, notification } = webviewScope(WiringScope);

export const Wiring = {
  /** host -> page: the matrix to show. */
  show: notification<WiringModel>('show'),
  /** page -> host: list the entry points of one cell (the host offers them in a quick pick and opens the chosen one). */
  openCell: command<{ side: 'run' | 'baseline'; category: string; wiring: WiringColumn }>('openCell', object({
    side: oneOf('run', 'baseline'), category: isString, wiring: oneOf('through', 'bypassing', 'unchecked', 'no-write', 'dead'),
  })),
} as const;
