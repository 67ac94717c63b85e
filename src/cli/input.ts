/** The command line reads files through core's bounded reader (shared with the editor's calibration). */
export * from '../core/input-files';
