/**
 * The commands over many worksheets and rubrics (`rubric`, `agreement`, `calibrate`, `aggregate`, `adjudicate`), with
 * the statistics they need: dist/cli-grading-commands.js, loaded when one of them runs.
 */
export { rubricCommand } from './rubric-check';
export { agreementCommand, calibrateCommand } from './calibration';
export { aggregateCommand } from './aggregate';
export { adjudicateCommand } from './adjudicate';
