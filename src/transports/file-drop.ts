/**
 * The file-drop transport: department systems drop batch files into a watched folder; each complete
 * file goes through its feed and is moved to `done/` or `failed/` with a report beside it.
 *
 * Contract, per adapter whose inbound transport is `file-drop`:
 * - The folder is `transport.directory` (default `drops/<adapter id>`), relative to the hub's data
 *   folder and never outside it (`ADAPTER_INVALID` at start otherwise); it and its `done/` and
 *   `failed/` are created at start.
 * - The folder is scanned by polling (every `schedule.everySeconds`, else every second), not with
 *   `fs.watch`, which misses events on network shares and coalesces renames. Only regular files at
 *   the top level are considered; names starting with `.` or ending in `.tmp`, `.part` or `~` are
 *   never taken: they are files still being written, to be renamed in when complete.
 * - A file is **taken once its size and modification time are the same in two consecutive scans**.
 *   A file renamed in complete is therefore taken at the next scan; a file written in place is taken
 *   once its writer has paused for a whole interval (a writer that pauses longer mid-file must write
 *   under a temporary name and rename, which is the recommended way for every sender).
 * - A name that breaks `transport.fileNamePattern` is refused before it enters the feed: moved to
 *   `failed/` with `FILE_NAME_INVALID` in its report, and not kept as a message. The name is what the
 *   naming rule guarantees (sending node, message type, time); a file without it may be a stray file
 *   or meant for another system, so the hub neither reads it as a message nor keeps its bytes. It is
 *   not dropped silently: the file itself stays in `failed/` with the reason.
 * - A file that follows the rule goes through `feeds.receive(adapter, bytes, { fileName })` (the message
 *   type is chosen by `match.fileName`) and is kept as a message whatever its outcome. Then it moves to
 *   `done/` when every record was stored (or already known), else to `failed/` (rejected whole, or
 *   partial: the records that fit are stored; a corrected file may be dropped again, since events are
 *   stored once by hash). Beside it goes `<file>.report.json` (see `file-drop-report.ts`). A name
 *   already taken in `done/` or `failed/` gets the message id before its extension.
 * - If the feed itself fails (the database is unavailable), the file stays where it is and is taken
 *   again at the next scan; the failure is logged.
 * - `stop()` clears every timer and waits for the file in flight, if any, to be finished; no new file
 *   is taken after it is called.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { LoadedAdapter } from '../adapters/manifest.ts';
import { SuyuanError } from '../errors.ts';
import type { Transport, TransportContext } from './contract.ts';
import { badNameReport, reportOf, type FileReport } from './file-drop-report.ts';

export interface FileDropOptions {
  /** Scan interval when the adapter has no `schedule` (default 1000 ms). */
  readonly intervalMs?: number;
  readonly now?: () => Date;
}

/** Names of files still being written, never taken. */
const IN_PROGRESS = /^\.|\.(tmp|part)$|~$/i;

interface Watch {
  readonly adapter: LoadedAdapter;
  readonly dir: string;
  readonly pattern: RegExp | undefined;
  readonly intervalMs: number;
  /** Size and modification time of each file at the last scan. */
  seen: Map<string, string>;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

/** The watched folder of an adapter, checked to lie inside the data folder. */
export function dropDirectory(dataDir: string, adapter: LoadedAdapter): string {
  const id = adapter.manifest.id;
  const directory = adapter.manifest.inbound?.transport.directory ?? join('drops', id);
  const dir = resolve(dataDir, directory);
  const rel = relative(resolve(dataDir), dir);
  if (isAbsolute(directory) || rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new SuyuanError('ADAPTER_INVALID', `${id}: the drop directory must lie inside the data folder`, {
      detail: { adapter: id, field: '/inbound/transport/directory', directory },
    });
  }
  return dir;
}

function patternOf(adapter: LoadedAdapter): RegExp | undefined {
  const source = adapter.manifest.inbound?.transport.fileNamePattern;
  if (source === undefined) return undefined;
  try {
    return new RegExp(source, 'u');
  } catch (cause) {
    throw new SuyuanError('ADAPTER_INVALID', `${adapter.manifest.id}: fileNamePattern is not a regular expression`, {
      cause, detail: { adapter: adapter.manifest.id, field: '/inbound/transport/fileNamePattern' },
    });
  }
}

/** A free name for `name` in `folder`: the name itself, else with the message id before its extension. */
function freeName(folder: string, name: string, id: string): string {
  const taken = (n: string) => existsSync(join(folder, n)) || existsSync(join(folder, `${n}.report.json`));
  if (!taken(name)) return name;
  const ext = extname(name);
  return `${name.slice(0, name.length - ext.length)}.${id}${ext}`;
}

/** The file-drop transport (see the module comment for its contract). */
export function fileDropTransport(options: FileDropOptions = {}): Transport {
  const now = options.now ?? (() => new Date());
  let watches: Watch[] = [];
  let stopped = false;

  async function finish(w: Watch, name: string, folder: 'done' | 'failed', report: FileReport): Promise<void> {
    const target = freeName(join(w.dir, folder), name, report.messageId ?? randomUUID());
    await writeFile(join(w.dir, folder, `${target}.report.json`), `${JSON.stringify(report, null, 2)}\n`);
    await rename(join(w.dir, name), join(w.dir, folder, target));
  }

  async function take(ctx: TransportContext, w: Watch, name: string): Promise<void> {
    const id = w.adapter.manifest.id;
    if (w.pattern && !w.pattern.test(name)) {
      await finish(w, name, 'failed', badNameReport(name, id, w.pattern.source, now()));
      return;
    }
    const bytes = new Uint8Array(await readFile(join(w.dir, name)));
    const outcome = await ctx.feeds.receive(id, bytes, { fileName: name });
    await finish(w, name, outcome.status === 'accepted' ? 'done' : 'failed', reportOf(name, id, outcome, now()));
  }

  async function scan(ctx: TransportContext, w: Watch): Promise<void> {
    const entries = await readdir(w.dir, { withFileTypes: true });
    const names = entries.filter((e) => e.isFile() && !IN_PROGRESS.test(e.name)).map((e) => e.name).sort();
    const seen = new Map<string, string>();
    for (const name of names) {
      if (stopped) break;
      let mark: string;
      try {
        const s = await stat(join(w.dir, name));
        mark = `${s.size}:${s.mtimeMs}`;
      } catch {
        continue; // gone since the listing
      }
      if (w.seen.get(name) !== mark) {
        seen.set(name, mark);
        continue;
      }
      try {
        await take(ctx, w, name);
      } catch (error) {
        seen.set(name, mark); // taken again at the next scan
        ctx.log(error);
      }
    }
    w.seen = seen;
  }

  function schedule(ctx: TransportContext, w: Watch, delay: number): void {
    if (stopped) return;
    w.timer = setTimeout(() => {
      w.running = scan(ctx, w).catch(ctx.log).finally(() => schedule(ctx, w, w.intervalMs));
    }, delay);
  }

  return {
    kind: 'file-drop',
    async start(ctx, adapters) {
      stopped = false;
      const fresh = adapters.map((adapter): Watch => ({
        adapter, dir: dropDirectory(ctx.config.dataDir, adapter), pattern: patternOf(adapter),
        intervalMs: (adapter.manifest.schedule?.everySeconds ?? 0) * 1000 || (options.intervalMs ?? 1000), seen: new Map(),
      }));
      for (const w of fresh) {
        await mkdir(join(w.dir, 'done'), { recursive: true });
        await mkdir(join(w.dir, 'failed'), { recursive: true });
      }
      watches = [...watches, ...fresh];
      for (const w of fresh) schedule(ctx, w, 0);
    },
    async stop() {
      stopped = true;
      for (const w of watches) clearTimeout(w.timer);
      await Promise.all(watches.map((w) => w.running));
      watches = [];
    },
  };
}
