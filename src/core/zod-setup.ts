import * as z from 'zod';

/**
 * zod compiles object parsers with `new Function` unless told not to, and its check for that touches `navigator`,
 * which Node 22+ logs as a migration error in the extension host. SEB Review parses small files: no need for it.
 */
z.config({ jitless: true });
