/** The optional run manifest at a run's root. Its own module, so code that only needs the name loads no schema. */
export const MANIFEST_FILE = 'seb-run.json';
