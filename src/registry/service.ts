/**
 * The registry service: subjects and their versions through their lifecycle (draft → published →
 * deprecated → retired), compatibility levels, validation against any version, every change audited.
 *
 * State lives in the database; the service keeps an immutable snapshot of it (`source`) and a
 * validator over that snapshot, both replaced after every write. Writes are serialised.
 */
import semver from 'semver';
import type { AuditLog } from '../audit/index.ts';
import { SuyuanError } from '../errors.ts';
import { serialiseWrites, tablesOf } from '../db/index.ts';
import { Catalog, isReleased, type VersionStatus } from '../standards/catalog.ts';
import { checkCompatibility, type CompatibilityLevel } from '../standards/compat/index.ts';
import { isJsonObject, type JsonObject } from '../standards/json.ts';
import { Standards, type ValidationResult } from '../standards/validator.ts';
import { canonicalJson, fingerprint, type SchemaReference } from './canonical.ts';
import { RegistrySource, type RegistryVersion } from './source.ts';
import { ensureSubject, nextNumber, readSnapshot, upsertSchema, type RegistryDb, type RegistryTx } from './store.ts';

export const LEVELS: readonly CompatibilityLevel[] = ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE'];
const ID_PREFIX = 'https://standards.suyuan.dev/';

/** Allowed lifecycle moves. Published never returns to draft; retired is final. */
const TRANSITIONS: Readonly<Record<VersionStatus, readonly VersionStatus[]>> = {
  draft: ['published'],
  published: ['deprecated'],
  deprecated: ['published', 'retired'],
  retired: [],
};

export interface CompatibilityAnswer {
  readonly level: CompatibilityLevel;
  readonly compatible: boolean;
  readonly messages: readonly string[];
}

export interface RegistryOptions {
  readonly root?: string;
  readonly now?: () => Date;
}

export class RegistryService {
  readonly db: RegistryDb;
  readonly audit: AuditLog;
  readonly #root: string | undefined;
  readonly #now: () => Date;
  #source: RegistrySource | undefined;
  #standards: Standards<RegistrySource> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  /** The generation the snapshot was read at (see `follow`). */
  #generation = 0;
  #follower: NodeJS.Timeout | undefined;

  constructor(db: RegistryDb, audit: AuditLog, options: RegistryOptions = {}) {
    this.db = db;
    this.audit = audit;
    this.#root = options.root;
    this.#now = options.now ?? (() => new Date());
  }

  get source(): RegistrySource {
    if (!this.#source) throw new SuyuanError('INTERNAL', 'registry used before init()');
    return this.#source;
  }

  /** The validator over the current snapshot (built on first use after each change). */
  get standards(): Standards<RegistrySource> {
    this.#standards ??= new Standards(this.source, this.#root);
    return this.#standards;
  }

  async init(): Promise<void> {
    await this.#refresh();
  }

  async #refresh(): Promise<void> {
    const generation = await this.#readGeneration();
    this.#source = new RegistrySource(await readSnapshot(this.db));
    this.#standards = undefined;
    this.#generation = generation;
  }

  async #readGeneration(): Promise<number> {
    const row = await this.db.selectFrom('registry_generation').select('n').where('scope', '=', '').executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * Reads the registry again whenever another process wrote to it (several API processes, or workers,
   * on one database): checks the write counter every `intervalMs`, and renews the snapshot, between this
   * process's own writes, when it moved. `unfollow` stops.
   */
  follow(intervalMs: number, log: (error: unknown) => void = () => undefined): void {
    if (this.#follower) return;
    const check = async (): Promise<void> => {
      try {
        if ((await this.#readGeneration()) === this.#generation) return;
        const run = this.#queue.then(() => this.#refresh());
        this.#queue = run.catch(() => undefined);
        await run;
      } catch (error) {
        log(error);
      }
    };
    const tick = (): void => {
      this.#follower = setTimeout(() => void check().finally(() => { if (this.#follower) tick(); }), intervalMs);
      this.#follower.unref();
    };
    tick();
  }

  unfollow(): void {
    clearTimeout(this.#follower);
    this.#follower = undefined;
  }

  /** Runs a write: serialised with every other write, in one transaction, then the snapshot is renewed. */
  async write<T>(fn: (tx: RegistryTx, now: string) => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      try {
        return await this.db.transaction().execute(async (tx) => {
          await serialiseWrites(tablesOf<never>(tx)); // other processes' writes too, on PostgreSQL
          const result = await fn(tx, this.#now().toISOString());
          await tx.updateTable('registry_generation').set((eb) => ({ n: eb('n', '+', 1) })).where('scope', '=', '').execute();
          return result;
        });
      } finally {
        await this.#refresh();
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Adds every released version of the repository's `registry/` that the database lacks. */
  async seedFromRepository(): Promise<number> {
    const catalog = new Catalog(this.#root);
    const missing = catalog.all().filter((v) => isReleased(v) && !this.source.all().some((r) => r.subject === v.subject && r.version === v.version));
    if (missing.length === 0) return 0;
    await this.write(async (tx, now) => {
      for (const v of missing) await this.insertVersion(tx, now, v.subject, v.version, v.schema, [], 'published');
    });
    await this.audit.record('system', 'registry.seed', 'registry', { versions: missing.map((v) => `${v.subject}@${v.version}`) });
    return missing.length;
  }

  async insertVersion(tx: RegistryTx, now: string, subject: string, version: string, schema: JsonObject,
    references: readonly SchemaReference[], status: VersionStatus, schemaType = 'JSON'): Promise<{ schemaId: number; number: number | null }> {
    await ensureSubject(tx, subject, now);
    const text = canonicalJson(schema);
    const schemaId = await upsertSchema(tx, {
      fingerprint: fingerprint(schemaType, text, references), schema_type: schemaType, schema: text,
      references_json: JSON.stringify(references), created_at: now,
    });
    const number = status === 'draft' ? null : await nextNumber(tx, subject);
    await tx.insertInto('registry_versions').values({
      subject, semver: version, number, schema_id: schemaId, status, deleted: 0, created_at: now, updated_at: now,
    }).execute();
    return { schemaId, number };
  }

  /** Throws `SCHEMA_INVALID` unless the schema compiles beside every other schema of the registry. */
  assertCompiles(subject: string, version: string, schema: JsonObject): void {
    const others = this.source.all().filter((v) => !(v.subject === subject && v.version === version));
    const candidate = { ...others[0], subject, version, status: 'draft', schema } as RegistryVersion;
    const probe = new Standards({
      subjects: () => [subject],
      versions: () => [candidate],
      get: () => candidate,
      all: () => [...others, candidate],
    }, this.#root);
    probe.validator(subject, version);
  }

  /** Resolves a `$ref` to another registry schema, by `$id` or by a Confluent reference name. */
  resolver(references: readonly SchemaReference[] = []): (uri: string) => unknown {
    return (uri) => {
      const named = references.find((r) => r.name === uri);
      if (named) return this.source.get(named.subject, String(named.version)).schema;
      if (uri.startsWith(ID_PREFIX)) {
        const [subject, version] = uri.slice(ID_PREFIX.length).split('/');
        return this.source.get(subject ?? '', version ?? '').schema;
      }
      throw new SuyuanError('SCHEMA_INVALID', `cannot resolve $ref ${uri}`);
    };
  }

  levelOf(subject: string): CompatibilityLevel {
    return this.source.level(subject) as CompatibilityLevel;
  }

  /** Checks a candidate schema against a subject's released versions (or only `against`). */
  compatibility(subject: string, schema: JsonObject, options: { against?: RegistryVersion[]; level?: CompatibilityLevel; references?: readonly SchemaReference[]; version?: string } = {}): CompatibilityAnswer {
    let previous = options.against ?? this.#releasedOf(subject);
    if (options.version) previous = previous.filter((v) => semver.lt(v.version, options.version ?? ''));
    let level = options.level ?? this.levelOf(subject);
    const latest = previous.at(-1);
    if (options.version && latest && semver.major(options.version) > semver.major(latest.version)) level = 'NONE';
    const result = checkCompatibility(level, schema, previous.map((v) => v.schema), { resolve: this.resolver(options.references) });
    return { level, compatible: result.compatible, messages: result.messages };
  }

  #releasedOf(subject: string): RegistryVersion[] {
    try {
      return this.source.released(subject);
    } catch (error) {
      if (error instanceof SuyuanError && error.code === 'SUBJECT_NOT_FOUND') return [];
      throw error;
    }
  }

  async createDraft(actor: string, subject: string, version: string, schema: unknown): Promise<RegistryVersion> {
    if (semver.valid(version) !== version) throw new SuyuanError('INVALID_VERSION', `"${version}" is not a semantic version`);
    if (!isJsonObject(schema)) throw new SuyuanError('SCHEMA_INVALID', 'the schema must be a JSON object');
    const existing = this.source.all().filter((v) => v.subject === subject && !v.deleted);
    if (existing.some((v) => v.version === version)) throw new SuyuanError('VERSION_ALREADY_RELEASED', `${subject}@${version} exists`);
    const highest = existing.map((v) => v.version).sort(semver.compare).at(-1);
    if (highest && !semver.gt(version, highest)) throw new SuyuanError('INVALID_VERSION', `${version} must be above ${highest}`);
    this.assertCompiles(subject, version, schema);
    await this.write((tx, now) => this.insertVersion(tx, now, subject, version, schema, [], 'draft'));
    await this.audit.record(actor, 'version.create', `subject:${subject}@${version}`, { status: 'draft' });
    return this.source.get(subject, version);
  }

  async updateDraft(actor: string, subject: string, version: string, schema: unknown): Promise<RegistryVersion> {
    const current = this.source.get(subject, version);
    if (current.status !== 'draft') throw new SuyuanError('VERSION_IMMUTABLE', `${subject}@${version} is ${current.status}: only a draft can change`);
    if (!isJsonObject(schema)) throw new SuyuanError('SCHEMA_INVALID', 'the schema must be a JSON object');
    this.assertCompiles(subject, version, schema);
    await this.write(async (tx, now) => {
      const text = canonicalJson(schema);
      const schemaId = await upsertSchema(tx, { fingerprint: fingerprint('JSON', text, []), schema_type: 'JSON', schema: text, references_json: '[]', created_at: now });
      await tx.updateTable('registry_versions').set({ schema_id: schemaId, updated_at: now }).where('subject', '=', subject).where('semver', '=', version).execute();
    });
    await this.audit.record(actor, 'version.update', `subject:${subject}@${version}`);
    return this.source.get(subject, version);
  }

  async deleteDraft(actor: string, subject: string, version: string): Promise<void> {
    const current = this.source.get(subject, version);
    if (current.status !== 'draft') throw new SuyuanError('VERSION_IMMUTABLE', `${subject}@${version} is ${current.status}: only a draft can be deleted`);
    await this.write(async (tx) => {
      await tx.deleteFrom('registry_versions').where('subject', '=', subject).where('semver', '=', version).execute();
    });
    await this.audit.record(actor, 'version.delete', `subject:${subject}@${version}`);
  }

  /** Moves a version through its lifecycle; publishing checks compatibility and assigns its number. */
  async setStatus(actor: string, subject: string, version: string, status: VersionStatus): Promise<RegistryVersion> {
    const current = this.source.get(subject, version);
    if (!TRANSITIONS[current.status].includes(status)) {
      throw new SuyuanError('LIFECYCLE_INVALID', `${subject}@${version} cannot go from ${current.status} to ${status}`, { detail: { from: current.status, to: status } });
    }
    if (current.status === 'draft') {
      const answer = this.compatibility(subject, current.schema, { version });
      if (!answer.compatible) {
        throw new SuyuanError('SCHEMA_INCOMPATIBLE', `${subject}@${version} is not ${answer.level} compatible`, {
          problems: answer.messages.map((message) => ({ code: 'SCHEMA_INCOMPATIBLE', path: '', message })),
        });
      }
    }
    await this.write(async (tx, now) => {
      const number = current.number ?? (status === 'published' ? await nextNumber(tx, subject) : null);
      await tx.updateTable('registry_versions').set({ status, number, updated_at: now })
        .where('subject', '=', subject).where('semver', '=', version).execute();
    });
    await this.audit.record(actor, 'version.status', `subject:${subject}@${version}`, { from: current.status, to: status });
    return this.source.get(subject, version);
  }

  /** Sets a compatibility level: global when `subject` is undefined. */
  async setLevel(actor: string, subject: string | undefined, level: string): Promise<CompatibilityLevel> {
    if (!LEVELS.includes(level as CompatibilityLevel)) throw new SuyuanError('INVALID_COMPATIBILITY', `Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive`);
    const scope = subject ?? '';
    await this.write(async (tx) => {
      await tx.insertInto('registry_config').values({ scope, compatibility: level })
        .onConflict((oc) => oc.column('scope').doUpdateSet({ compatibility: level })).execute();
    });
    await this.audit.record(actor, 'config.set', subject ? `subject:${subject}` : 'config:global', { level });
    return level as CompatibilityLevel;
  }

  /** Removes a subject's own level (it follows the global one again); returns the removed level. */
  async deleteLevel(actor: string, subject: string): Promise<CompatibilityLevel> {
    const own = this.source.snapshot.config.get(subject);
    if (!own) throw new SuyuanError('CONFIG_NOT_FOUND', `Subject '${subject}' does not have subject-level compatibility configured`);
    await this.write(async (tx) => {
      await tx.deleteFrom('registry_config').where('scope', '=', subject).execute();
    });
    await this.audit.record(actor, 'config.delete', `subject:${subject}`, { level: own });
    return own as CompatibilityLevel;
  }

  /**
   * Validates a document against a version. Retired versions refuse (`VERSION_RETIRED`); deprecated
   * ones validate and say so in the result.
   */
  validate(subject: string, selector: string, document: unknown): ValidationResult & { deprecated: boolean } {
    const version = this.source.get(subject, selector);
    if (version.status === 'retired') {
      throw new SuyuanError('VERSION_RETIRED', `${subject}@${version.version} is retired and refuses new messages`, { detail: { subject, version: version.version } });
    }
    const result = this.standards.validateDocument(subject, version.version, document);
    return { ...result, deprecated: version.status === 'deprecated' };
  }
}
