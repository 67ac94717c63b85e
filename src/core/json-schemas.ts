import * as z from 'zod';
import { RubricSchema } from './rubric';
import { ReferencesSchema } from './references';
import { RunManifestSchema } from './manifest';
import { DraftSchema, WorksheetSchema } from './worksheet';
import { EnvelopeSchema } from './attestation/dsse';
import { RulePackSchema } from './authority/rule-pack';

/**
 * JSON Schemas generated from the zod schemas, for the editor (package.json `jsonValidation`): structure, types and
 * completion. Cross-field rules (ceilings adding up to the total, scores adding up, paths inside the tree) cannot be
 * said in JSON Schema; the language server and `seb-review rubric check` apply the zod schemas in full.
 * scripts/build.mjs writes each to dist/schemas/<name>.schema.json.
 */
const SOURCES = {
  rubric: {
    schema: RubricSchema,
    title: 'SEB Review rubric',
    description: 'A rubric: dimensions with point ceilings that add up to the total, and the step points are given in.',
  },
  references: {
    schema: ReferencesSchema,
    title: 'SEB Review reference scores',
    description: 'Published score profiles on one rubric: totals, per-dimension scores where published, and graders\' totals where several graded.',
  },
  'run-manifest': {
    schema: RunManifestSchema,
    title: 'SEB Review run manifest (seb-run.json)',
    description: 'Describes a run: its id, the baseline it rewrote, the model, the plan, the test logs and the declared authority.',
  },
  worksheet: {
    schema: WorksheetSchema,
    title: 'SEB Review worksheet',
    description: 'A finished score of one run on one rubric: points, rationale and evidence per dimension, and the computed total.',
  },
  'signed-worksheet': {
    schema: EnvelopeSchema,
    title: 'SEB Review signed worksheet (DSSE envelope)',
    description: 'A DSSE envelope whose base64 payload is an in-toto Statement v1 with the worksheet as predicate, and Ed25519 signatures.',
  },
  'authority-pack': {
    schema: RulePackSchema,
    title: 'SEB Review authority rule pack',
    description: 'What counts as an entry point (routes, mounts, WebSocket and collab handlers, timers, queues) and as a write (SQL, ORM, Yjs, files) for one framework or task, as data.',
  },
  draft: {
    schema: DraftSchema,
    title: 'SEB Review draft',
    description: 'A reviewer\'s work in progress on one run: points as typed, rationale and evidence per dimension.',
  },
} satisfies Record<string, { schema: z.ZodType; title: string; description: string }>;

export type SchemaName = keyof typeof SOURCES;
export const SCHEMA_NAMES = Object.keys(SOURCES) as SchemaName[];

/** "urn:seb-review:schema:rubric". */
export function schemaId(name: SchemaName): string {
  return `urn:seb-review:schema:${name}`;
}

/** name -> JSON Schema (draft-07, the input side of each zod schema), each with $id, title and description. */
export function jsonSchemas(): Record<SchemaName, Record<string, unknown>> {
  const out = {} as Record<SchemaName, Record<string, unknown>>;
  for (const name of SCHEMA_NAMES) {
    const { schema, title, description } = SOURCES[name];
    const generated = JSON.parse(JSON.stringify(z.toJSONSchema(schema, { target: 'draft-07', io: 'input' }))) as Record<string, unknown>;
    const { $schema, ...rest } = generated;
    out[name] = { $schema, $id: schemaId(name), title, description, ...rest };
  }
  return out;
}
