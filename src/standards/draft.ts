/** Starting a new draft version of a subject from its latest version: schema and examples copied. */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { SuyuanError } from '../errors.ts';
import type { Catalog } from './catalog.ts';
import { schemaId } from './paths.ts';

/** Creates `standards/<subject>/<version>/`; returns its folder. The version must be above every existing one. */
export function startDraft(catalog: Catalog, subject: string, version: string): string {
  if (semver.valid(version) !== version) throw new SuyuanError('BAD_REQUEST', `"${version}" is not a semantic version such as 1.1.0`);
  const versions = catalog.versions(subject);
  const latest = versions[versions.length - 1];
  if (!latest) throw new SuyuanError('SUBJECT_NOT_FOUND', `no subject "${subject}"`);
  if (latest.status === 'draft') {
    throw new SuyuanError('BAD_REQUEST', `${subject} already has a draft, ${latest.version}: publish or remove it first`);
  }
  if (!semver.gt(version, latest.version)) {
    throw new SuyuanError('BAD_REQUEST', `${version} is not above the latest version ${latest.version}`);
  }
  const dir = join(catalog.paths.standards, subject, version);
  if (existsSync(dir)) throw new SuyuanError('BAD_REQUEST', `${dir} already exists`);
  mkdirSync(dir, { recursive: true });
  const schema = { ...latest.schema, $id: schemaId(subject, version) };
  writeFileSync(join(dir, 'schema.json'), `${JSON.stringify(schema, null, 2)}\n`);
  if (latest.sourceDir && existsSync(join(latest.sourceDir, 'examples'))) {
    cpSync(join(latest.sourceDir, 'examples'), join(dir, 'examples'), { recursive: true });
  }
  return dir;
}
