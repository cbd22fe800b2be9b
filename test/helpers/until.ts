/** Polls `probe` until it answers something other than `undefined` or `false`, and answers that; throws after `ms`. */
export async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, ms = 30_000, everyMs = 25): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
