/** The `SuyuanError` a call throws; fails the test when it throws nothing or something else. */
import { SuyuanError } from '../../src/errors.ts';

export function caught(run: () => unknown): SuyuanError {
  try {
    run();
  } catch (error) {
    if (error instanceof SuyuanError) return error;
    throw error;
  }
  throw new Error('expected a SuyuanError');
}
