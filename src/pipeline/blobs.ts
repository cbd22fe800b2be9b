/**
 * Content-addressed storage of original message bytes, so any message can be shown and replayed
 * exactly as it arrived. A blob's name is its sha256; writing the same bytes twice stores them once.
 */
import * as crypto from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SuyuanError } from '../errors.ts';

/** SHA-256 in hex (strings as UTF-8): the one-shot `crypto.hash` where Node has it (20.12+), else a `Hash` object. */
export const sha256Hex: (bytes: Uint8Array | string) => string = typeof crypto.hash === 'function'
  ? (bytes) => crypto.hash('sha256', bytes, 'hex')
  : (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

/** Where original bytes live. Implementations MUST be idempotent on `put` and never alter a stored blob. */
export interface BlobStore {
  /** Stores the bytes; resolves to their sha256 (hex). */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes of a blob, or `undefined` when there is none by that digest. */
  get(digest: string): Promise<Uint8Array | undefined>;
}

const DIGEST = /^[0-9a-f]{64}$/;

/** Blobs as files under a folder, fanned out by the digest's first two bytes: `ab/cd/abcd…`. */
export class FileBlobStore implements BlobStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  #file(digest: string): string {
    if (!DIGEST.test(digest)) throw new SuyuanError('BAD_REQUEST', `"${digest}" is not a sha256 digest`);
    return join(this.#dir, digest.slice(0, 2), digest.slice(2, 4), digest);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const digest = sha256Hex(bytes);
    const file = this.#file(digest);
    const exists = await stat(file).then(() => true, () => false);
    if (exists) return digest;
    try {
      await mkdir(dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, file); // atomic: a reader never sees a half-written blob
    } catch (cause) {
      throw new SuyuanError('IO_FAILED', `cannot store blob ${digest}`, { cause });
    }
    return digest;
  }

  async get(digest: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.#file(digest)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new SuyuanError('IO_FAILED', `cannot read blob ${digest}`, { cause: error });
    }
  }
}
