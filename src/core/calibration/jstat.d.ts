/**
 * The part of jstat (1.9.6, untyped) that the calibration statistics use. Under CommonJS the package exports the
 * jStat function itself, which also carries itself as `jStat.jStat`, so `import { jStat } from 'jstat'` works both
 * under TypeScript's interop and in esbuild's bundles.
 */
declare module 'jstat' {
  interface JStat {
    /** The F distribution; `inv(p, df1, df2)` is its p quantile. */
    centralF: { inv(p: number, df1: number, df2: number): number };
    /** Student's t distribution; `inv(p, df)` is its p quantile. */
    studentt: { inv(p: number, df: number): number };
  }
  export const jStat: JStat;
}
