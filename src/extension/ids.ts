/**
 * Every command, view, context key and setting id the extension contributes, in one place.
 * test/unit/manifest-contributions.test.ts checks these against package.json both ways.
 * This file imports nothing, so plain-Node tests can read it.
 */
export const Commands = {
  openRun: 'sebReview.openRun',
  closeRun: 'sebReview.closeRun',
  refreshRun: 'sebReview.refreshRun',
  showRunDetails: 'sebReview.showRunDetails',
  showLog: 'sebReview.showLog',
  openChange: 'sebReview.openChange',
  openCounterpart: 'sebReview.openCounterpart',
  filterChanges: 'sebReview.filterChanges',
  clearChangesFilter: 'sebReview.clearChangesFilter',
  sortChanges: 'sebReview.sortChanges',
  nextUnviewed: 'sebReview.nextUnviewed',
  previousUnviewed: 'sebReview.previousUnviewed',
  showOverview: 'sebReview.showOverview',
  addEvidence: 'sebReview.addEvidence',
  openEvidence: 'sebReview.openEvidence',
  chooseRubric: 'sebReview.chooseRubric',
  showDraftFile: 'sebReview.showDraftFile',
  createSigningKey: 'sebReview.createSigningKey',
  importSigningKey: 'sebReview.importSigningKey',
  copyPublicKey: 'sebReview.copyPublicKey',
  exportWorksheet: 'sebReview.exportWorksheet',
  verifyWorksheet: 'sebReview.verifyWorksheet',
  cosignWorksheet: 'sebReview.cosignWorksheet',
  auditDisputedRun: 'sebReview.auditDisputedRun',
  openAdjudication: 'sebReview.openAdjudication',
  closeSignedWorksheet: 'sebReview.closeSignedWorksheet',
  restartServer: 'sebReview.restartServer',
  cancelAnalysis: 'sebReview.cancelAnalysis',
  refreshAuthority: 'sebReview.refreshAuthority',
  addFindingAsEvidence: 'sebReview.addFindingAsEvidence',
  openFindingLocation: 'sebReview.openFindingLocation',
  showWiringMatrix: 'sebReview.showWiringMatrix',
  calibrateGrader: 'sebReview.calibrateGrader',
} as const;

export const Views = {
  container: 'sebReview',
  run: 'sebReview.run',
  changes: 'sebReview.changes',
  rubric: 'sebReview.rubric',
  authority: 'sebReview.authority',
} as const;

export const ContextKeys = {
  runOpen: 'sebReview.runOpen',
  changesFiltered: 'sebReview.changesFiltered',
  showingSigned: 'sebReview.showingSigned',
  analysisReady: 'sebReview.analysisReady',
} as const;

export const Settings = {
  section: 'sebReview',
  openRunOnStartup: 'openRunOnStartup',
  gitPath: 'gitPath',
  draftsFolder: 'draftsFolder',
  graderName: 'graderName',
  worksheetsFolder: 'worksheetsFolder',
  allowedSignersFile: 'allowedSignersFile',
  signatureThreshold: 'signatureThreshold',
  blindGrading: 'blindGrading',
} as const;

export const WebviewTypes = {
  runDetails: 'sebReview.runDetails',
  audit: 'sebReview.audit',
  overview: 'sebReview.overview',
  wiring: 'sebReview.wiring',
  calibration: 'sebReview.calibration',
} as const;

export const StorageKeys = {
  lastRun: 'sebReview.lastRun',
  changesFilter: 'sebReview.changesFilter',
  changesSort: 'sebReview.changesSort',
  overviewLayout: 'sebReview.overviewLayout',
  rubricChoice: 'sebReview.rubricChoice',
  rubricFormView: 'sebReview.rubricFormView',
  /** Runs for which this reviewer exported (or verified) a worksheet signed with their own key: runId → key ids. */
  ownSignedRuns: 'sebReview.ownSignedRuns',
} as const;

/** Read-only documents of the baseline's tree, and of the run's tree when the head is a commit (tree-content.ts). */
export const Schemes = {
  baseline: 'seb-baseline',
  run: 'seb-run',
} as const;

/** Files the editor opens with a verdict: a signed worksheet shows in the rubric form, an adjudication in the Audit panel. */
export const WORKSHEET_SUFFIX = '.worksheet.json';
export const ADJUDICATION_SUFFIX = '.adjudication.json';

export const LANGUAGE_CLIENT_ID = 'sebReviewServer';
export const OUTPUT_CHANNEL_NAME = 'SEB Review';
