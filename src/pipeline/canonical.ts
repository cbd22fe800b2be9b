/**
 * The canonical versions the configuration names, made present in the registry at start: a named
 * version the registry lacks is taken from the repository's `standards/` as a draft (a draft major
 * tried out before it is published), and a draft that changed in the repository is brought up to date.
 */
import { SuyuanError } from '../errors.ts';
import { canonicalJson } from '../registry/canonical.ts';
import { Catalog, type SubjectVersion } from '../standards/catalog.ts';

/** The subset of the registry service this needs. */
export interface DraftRegistry {
  readonly source: { all(): readonly SubjectVersion[] };
  createDraft(actor: string, subject: string, version: string, schema: unknown): Promise<unknown>;
  updateDraft(actor: string, subject: string, version: string, schema: unknown): Promise<unknown>;
}

/**
 * Makes every `subject → version` of `canonical` resolvable in `registry`. Throws `VERSION_NOT_FOUND`
 * (stopping the boot) when a named version is neither in the registry nor in the repository.
 */
export async function ensureCanonical(registry: DraftRegistry, canonical: Readonly<Record<string, string>>, root?: string): Promise<void> {
  const entries = Object.entries(canonical);
  if (entries.length === 0) return;
  const repository = new Catalog(root);
  for (const [subject, version] of entries) {
    const held = registry.source.all().find((v) => v.subject === subject && v.version === version);
    const file = repository.all().find((v) => v.subject === subject && v.version === version && v.status === 'draft');
    if (held && (held.status !== 'draft' || !file || canonicalJson(held.schema) === canonicalJson(file.schema))) continue;
    if (!file) {
      throw new SuyuanError('VERSION_NOT_FOUND', `canonical ${subject}@${version} is neither in the registry nor a draft in standards/`, { detail: { subject, version } });
    }
    await (held ? registry.updateDraft('system', subject, version, file.schema) : registry.createDraft('system', subject, version, file.schema));
  }
}
