import { allowedSignersLine, generateSigningKey, identityProblem, privateKeyPem } from '../core/attestation';
import { writeNew, parseOrUsage } from './attestation-io';
import { type Output } from './output';
import { EXIT_OK, UsageError } from './usage';

/**
 * `seb-review keygen --identity NAME --out FILE`: a new Ed25519 key, written as unencrypted PKCS#8 PEM readable by
 * its owner only (0600), never over an existing file. Prints the key's allowed-signers line on stdout (append it to
 * the allowed-signers file) and where the key went on stderr.
 */
export function keygenCommand(argv: string[], io: Output): number {
  const parsed = parseOrUsage(argv, { identity: { type: 'string' }, out: { type: 'string' } });
  const [extra] = parsed.positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument: ${extra}`);
  const { identity, out } = parsed.values;
  if (identity === undefined) throw new UsageError('keygen needs --identity NAME (who signs, as the allowed-signers file names them)');
  if (out === undefined) throw new UsageError('keygen needs --out FILE (where the private key is written)');
  const problem = identityProblem(identity);
  if (problem !== undefined) throw new UsageError(`--identity ${JSON.stringify(identity)} ${problem}`);
  const key = generateSigningKey();
  writeNew(out, privateKeyPem(key), 0o600);
  io.out(allowedSignersLine(identity, key.publicKey));
  io.err(`seb-review: wrote the private key ${out} (${key.keyId}); keep it secret. Its allowed-signers line, on stdout, goes in the allowed-signers file.`);
  return EXIT_OK;
}
