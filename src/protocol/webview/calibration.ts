import { webviewScope } from './messages';
import { isIndex, isString, isUndefined, object, optional, type Guard } from './guards';
import type { CalibrationReport } from '../../core/calibration/types';

/**
 * The Calibration view: one grader (the candidate) against reference graders, on one rubric. The host sends the report
 * the loader built; the page draws it (charts with a text table beside each) and asks the host to open evidence and to
 * save the numbers or the picture. Strings in the report come from worksheets anyone wrote: the page shows them as text.
 */

/** The exported picture: a PNG data URL, at most this long (about 12 MB of image). */
export const MAX_IMAGE_DATA_URL = 16 * 1024 * 1024;
export const PNG_DATA_URL_PREFIX = 'data:image/png;base64,';

/** A base64 PNG data URL of bounded size (the host checks the bytes too). */
export const isPngDataUrl: Guard<string> = (v): v is string =>
  typeof v === 'string' && v.length <= MAX_IMAGE_DATA_URL && v.startsWith(PNG_DATA_URL_PREFIX) && v.length > PNG_DATA_URL_PREFIX.length &&
  /^[A-Za-z0-9+/]+={0,2}$/.test(v.slice(PNG_DATA_URL_PREFIX.length));

/**
 * One grader's entry for one dimension in one worksheet (a worksheet scores one run): open the lines of its evidence
 * number `index`, or, without an index, the worksheet at that entry. The host opens only entries of the report it sent.
 */
export interface EvidenceTarget {
  file: string;
  dimension: string;
  index?: number;
}

export const CalibrationScope = 'calibration';
const { command, notification } = webviewScope(CalibrationScope);

export const Calibration = {
  /** host -> page: the report to show. */
  show: notification<CalibrationReport>('show'),
  /** page -> host: open one piece of evidence (or the worksheet at its entry). */
  openEvidence: command<EvidenceTarget>('openEvidence', object<EvidenceTarget>({ file: isString, dimension: isString, index: optional(isIndex) })),
  /** page -> host: save the numbers as CSV (the host asks where). */
  exportCsv: command<undefined>('exportCsv', isUndefined),
  /** page -> host: save the charts as one PNG (the host asks where). */
  exportImage: command<{ dataUrl: string }>('exportImage', object({ dataUrl: isPngDataUrl })),
} as const;
