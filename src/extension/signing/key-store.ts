import * as vscode from 'vscode';
import { Settings } from '../ids';
import { type Log } from '../log';
import { allowedSignersLine, generateSigningKey, identityProblem, importPrivateKey, privateKeyPem, type SigningKey } from '../../core/attestation';
import { errorMessage } from '../../core/errors';
import { readLimited } from './read-limited';

const SECRET = 'sebReview.signingKey';
const IDENTITY = 'sebReview.signingIdentity';

/** The reviewer's Ed25519 signing key: the private key only in VS Code's secret storage, never in settings or files. */
export class KeyStore {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {}

  get identity(): string | undefined {
    return this.context.globalState.get<string>(IDENTITY);
  }

  async key(): Promise<SigningKey | undefined> {
    const pem = await this.context.secrets.get(SECRET);
    if (!pem) return undefined;
    try {
      return importPrivateKey(pem, 'the signing key in VS Code\'s secret storage');
    } catch (e) {
      this.log.showError(errorMessage(e), e);
      return undefined;
    }
  }

  /** The identity to sign as: `given`, else asked for; one word, one script, no invisible characters (see core/attestation/identity). */
  private async askIdentity(given?: string): Promise<string | undefined> {
    if (given) {
      const problem = identityProblem(given);
      if (problem === undefined) return given;
      this.log.showError(`The signer identity ${JSON.stringify(given)} ${problem}.`);
      return undefined;
    }
    const suggested = this.identity ?? vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.graderName) ?? '';
    return vscode.window.showInputBox({
      title: 'Signer identity', prompt: 'Who signs, as allowed-signers files will name you: one word, such as an e-mail address', value: suggested,
      ignoreFocusOut: true, validateInput: v => {
        const problem = identityProblem(v.trim());
        return problem === undefined ? undefined : `The identity ${problem}`;
      },
    });
  }

  private async replaceOk(): Promise<boolean> {
    if (!(await this.context.secrets.get(SECRET))) return true;
    const answer = await vscode.window.showWarningMessage('Replace your signing key? Worksheets you signed stay verifiable only with the old public key.',
      { modal: true }, 'Replace');
    return answer === 'Replace';
  }

  private async store(key: SigningKey, identity: string, how: string): Promise<SigningKey> {
    await this.context.secrets.store(SECRET, privateKeyPem(key));
    await this.context.globalState.update(IDENTITY, identity.trim());
    this.log.info(`${how} signing key ${key.keyId} for ${identity}`);
    void vscode.window.showInformationMessage(`${how} signing key ${key.keyId} for ${identity}.`, 'Copy Public Key').then(a => {
      if (a) void this.copyPublicKey();
    });
    return key;
  }

  async create(identity?: string): Promise<SigningKey | undefined> {
    const who = await this.askIdentity(identity);
    if (!who || !(identity !== undefined || (await this.replaceOk()))) return undefined;
    return this.store(generateSigningKey(), who, 'Created');
  }

  async import(file?: string, identity?: string): Promise<SigningKey | undefined> {
    let path = file;
    if (!path) {
      const picked = await vscode.window.showOpenDialog({ title: 'Import a signing key: unencrypted OpenSSH ed25519 or PKCS#8 PEM', canSelectMany: false });
      path = picked?.[0]?.fsPath;
      if (!path) return undefined;
    }
    let key: SigningKey;
    try {
      key = importPrivateKey(await readLimited(path, 'key'), path);
    } catch (e) {
      this.log.showError(errorMessage(e), e);
      return undefined;
    }
    const who = await this.askIdentity(identity);
    if (!who || !(identity !== undefined || (await this.replaceOk()))) return undefined;
    return this.store(key, who, 'Imported');
  }

  /** Copies "identity ssh-ed25519 AAAA…": one line of an allowed-signers file. Returns the line. */
  async copyPublicKey(): Promise<string | undefined> {
    const key = await this.key();
    if (!key || !this.identity) {
      void vscode.window.showWarningMessage('No signing key yet: run "SEB Review: Create Signing Key" or "Import Signing Key…".');
      return undefined;
    }
    const line = allowedSignersLine(this.identity, key.publicKey);
    await vscode.env.clipboard.writeText(line);
    void vscode.window.showInformationMessage(`Copied your allowed-signers line (${key.keyId}).`);
    return line;
  }
}
