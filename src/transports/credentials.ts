/** Credentials by reference: `env:NAME` or `file:path`, resolved when used, never stored in a manifest. */
import { readFileSync } from 'node:fs';
import { SuyuanError } from '../errors.ts';

/** Resolves a reference; `ADAPTER_INVALID` when it names nothing. The value is never logged. */
export function resolveCredential(ref: string, env: NodeJS.ProcessEnv = process.env): string {
  if (ref.startsWith('env:')) {
    const value = env[ref.slice(4)];
    if (value === undefined || value === '') throw new SuyuanError('ADAPTER_INVALID', `credential ${ref} is not set`, { detail: { credential: ref } });
    return value;
  }
  if (ref.startsWith('file:')) {
    try {
      return readFileSync(ref.slice(5), 'utf8').trim();
    } catch (cause) {
      throw new SuyuanError('ADAPTER_INVALID', `credential ${ref} cannot be read`, { cause, detail: { credential: ref } });
    }
  }
  throw new SuyuanError('ADAPTER_INVALID', `credential reference "${ref}" is neither env: nor file:`, { detail: { credential: ref } });
}
