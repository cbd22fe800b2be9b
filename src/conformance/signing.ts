/**
 * The hub's Ed25519 signing key and the signed files it writes: certificates and revocation lists.
 *
 * A signed file is the canonical JSON (keys sorted, no whitespace) of `{ <member>: body, keyId,
 * signature }` plus one newline, where `signature` is the Ed25519 signature (lower-case hex) over the
 * canonical JSON of `body` and `keyId` names the key (`sha256` of its SPKI DER, first 16 hex digits).
 * Verification refuses any file that is not byte for byte that canonical form, so every single
 * changed byte — inside the body, the signature, the key id or the layout — fails it.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SuyuanError } from '../errors.ts';
import { canonicalJson } from '../registry/canonical.ts';
import { isJsonObject } from '../standards/json.ts';

/** The id of a public key: the first 16 hex digits of sha256 over its SPKI DER. */
export function keyIdOf(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** Reads a PEM public key (SPKI); `CERTIFICATE_INVALID` when it is not an Ed25519 key. */
export function readPublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (cause) {
    throw new SuyuanError('CERTIFICATE_INVALID', '公钥无法读取 / the public key cannot be read (PEM, SPKI)', { cause });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SuyuanError('CERTIFICATE_INVALID', `the public key is ${String(key.asymmetricKeyType)}, not Ed25519`);
  return key;
}

/** The hub's key pair, kept in `<dataDir>/conformance/`, made on first use. */
export class HubKey {
  readonly publicKey: KeyObject;
  readonly keyId: string;
  readonly #privateKey: KeyObject;

  private constructor(privateKey: KeyObject, publicKey: KeyObject) {
    this.#privateKey = privateKey;
    this.publicKey = publicKey;
    this.keyId = keyIdOf(publicKey);
  }

  /** Loads the key pair from `dir`, generating and writing it (private key readable by the owner only) when absent. */
  static open(dir: string): HubKey {
    const privateFile = join(dir, 'hub-ed25519.key.pem');
    const publicFile = join(dir, 'hub-ed25519.pub.pem');
    if (!existsSync(privateFile)) {
      mkdirSync(dir, { recursive: true });
      const pair = generateKeyPairSync('ed25519');
      writeFileSync(privateFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      chmodSync(privateFile, 0o600);
      writeFileSync(publicFile, pair.publicKey.export({ type: 'spki', format: 'pem' }));
      return new HubKey(pair.privateKey, pair.publicKey);
    }
    const pem = readFileSync(privateFile, 'utf8');
    const privateKey = (() => {
      try {
        return createPrivateKey(pem);
      } catch (cause) {
        throw new SuyuanError('INTERNAL', `the hub's signing key ${privateFile} cannot be read`, { cause });
      }
    })();
    return new HubKey(privateKey, createPublicKey(privateKey));
  }

  get publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /** The signed file text of `body` under `member`. */
  signFile(member: string, body: unknown): string {
    const signature = sign(null, Buffer.from(canonicalJson(body), 'utf8'), this.#privateKey).toString('hex');
    return `${canonicalJson({ [member]: body, keyId: this.keyId, signature })}\n`;
  }
}

/**
 * Verifies a signed file against `key` and returns its body. Throws `CERTIFICATE_INVALID` naming what
 * is wrong: not the canonical form, another key, or a signature that does not verify.
 */
export function verifyFile(text: string, member: string, key: KeyObject): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new SuyuanError('CERTIFICATE_INVALID', '文件不是 JSON / the file is not JSON', { cause, detail: { reason: 'not-json' } });
  }
  if (!isJsonObject(parsed) || `${canonicalJson(parsed)}\n` !== text) {
    throw new SuyuanError('CERTIFICATE_INVALID', '文件已被改动（不是规范形式）/ the file was altered: it is not in its canonical signed form', { detail: { reason: 'not-canonical' } });
  }
  const keys = Object.keys(parsed).sort().join(',');
  const body = parsed[member];
  if (keys !== [member, 'keyId', 'signature'].sort().join(',') || !isJsonObject(body)) {
    throw new SuyuanError('CERTIFICATE_INVALID', `the file must hold exactly ${member}, keyId and signature`, { detail: { reason: 'shape' } });
  }
  const { signature, keyId } = parsed;
  if (typeof signature !== 'string' || !/^[0-9a-f]{128}$/.test(signature)) {
    throw new SuyuanError('CERTIFICATE_INVALID', 'the signature is not 64 bytes of lower-case hex', { detail: { reason: 'signature-format' } });
  }
  if (keyId !== keyIdOf(key)) {
    throw new SuyuanError('CERTIFICATE_INVALID', `签名密钥 ${String(keyId)} 不是给定的公钥 ${keyIdOf(key)} / signed by another key`, { detail: { reason: 'key', keyId, expected: keyIdOf(key) } });
  }
  if (!verify(null, Buffer.from(canonicalJson(body), 'utf8'), key, Buffer.from(signature, 'hex'))) {
    throw new SuyuanError('CERTIFICATE_INVALID', '签名不符 / the signature does not verify', { detail: { reason: 'signature' } });
  }
  return body;
}
