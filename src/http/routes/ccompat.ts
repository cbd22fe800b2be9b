/**
 * The Confluent Schema Registry REST API over the registry, mounted at `/ccompat`, so Confluent
 * clients work unchanged for JSON schemas. Drafts are invisible here; deprecated and retired
 * versions still resolve (old messages must decode). Reads need a key, writes the standards-body role.
 *
 * One schema context only: `?subject=` on `/schemas/ids/{id}` picks a context in Confluent, so here
 * it changes nothing, as in Confluent's default context.
 */
import { Router, type Request, type Response } from 'express';
import { SuyuanError } from '../../errors.ts';
import {
  deleteSubject, deleteVersion, lookup, parseSubmission, register, schemaById, usesOf,
  versionOf, versionSelector, visibleSubjects, visibleVersions, type SchemaSubmission,
} from '../../registry/confluent-ops.ts';
import { LEVELS, type RegistryService } from '../../registry/service.ts';
import type { RegistryVersion } from '../../registry/source.ts';
import type { CompatibilityLevel } from '../../standards/compat/index.ts';
import { isJsonObject } from '../../standards/json.ts';
import { actorOf, requireKey } from '../auth.ts';
import { ccompatErrorHandler, sendConfluent, sendConfluentError } from './ccompat-errors.ts';

export interface CcompatOptions {
  /** Where unexpected errors (answered 500/50001) are reported. */
  readonly log?: (error: unknown) => void;
}

/** Request bodies Confluent clients send (Confluent also takes octet-stream; express does not parse it). */
const REQUEST_TYPES = ['application/vnd.schemaregistry.v1+json', 'application/vnd.schemaregistry+json', 'application/json'];

const param = (req: Request, name: string): string => String(req.params[name] ?? '');
const flag = (req: Request, name: string): boolean => req.query[name] === 'true';

function send(res: Response, body: unknown): void {
  sendConfluent(res, 200, JSON.stringify(body));
}

function submission(req: Request): SchemaSubmission {
  return isJsonObject(req.body) ? req.body : {};
}

/** The version as `GET /subjects/{subject}/versions/{version}` answers it. */
function versionBody(v: RegistryVersion): Record<string, unknown> {
  return {
    subject: v.subject, version: v.number, id: v.schemaId, schemaType: v.schemaType, schema: v.schemaText,
    ...(v.references.length > 0 ? { references: v.references } : {}),
  };
}

/** Confluent levels are case-insensitive on input; `INVALID_COMPATIBILITY` for anything else. */
function levelIn(req: Request): CompatibilityLevel {
  const raw = isJsonObject(req.body) ? req.body.compatibility : undefined;
  const level = typeof raw === 'string' ? raw.toUpperCase() : '';
  if (!LEVELS.includes(level as CompatibilityLevel)) {
    throw new SuyuanError('INVALID_COMPATIBILITY', 'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive');
  }
  return level as CompatibilityLevel;
}

function schemaId(req: Request): number {
  const raw = param(req, 'id');
  const id = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) throw new SuyuanError('SCHEMA_NOT_FOUND', `Schema ${raw} not found`);
  return id;
}

/** Refuses a request body that is not JSON, as Confluent's REST layer does (415). */
function jsonBodyOnly(req: Request, _res: Response, next: (error?: unknown) => void): void {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is(REQUEST_TYPES)) return next(new SuyuanError('UNSUPPORTED_MEDIA_TYPE', 'HTTP 415 Unsupported Media Type'));
  next();
}

export function ccompatRouter(registry: RegistryService, options: CcompatOptions = {}): Router {
  const router = Router();
  const read = requireKey();
  const write = requireKey('standards-body');
  router.use(jsonBodyOnly);

  router.get('/', read, (_req, res) => { send(res, {}); });
  router.get('/schemas/types', read, (_req, res) => { send(res, ['JSON']); });
  router.get('/mode', read, (_req, res) => { send(res, { mode: 'READWRITE' }); });

  // Subjects and versions
  router.get('/subjects', read, (req, res) => { send(res, visibleSubjects(registry, flag(req, 'deleted'))); });
  router.get('/subjects/:subject/versions', read, (req, res) => {
    send(res, visibleVersions(registry, param(req, 'subject'), flag(req, 'deleted')).map((v) => v.number));
  });
  router.get('/subjects/:subject/versions/:version', read, (req, res) => {
    send(res, versionBody(versionOf(registry, param(req, 'subject'), param(req, 'version'), flag(req, 'deleted'))));
  });
  router.get('/subjects/:subject/versions/:version/schema', read, (req, res) => {
    sendConfluent(res, 200, versionOf(registry, param(req, 'subject'), param(req, 'version'), flag(req, 'deleted')).schemaText);
  });
  router.get('/subjects/:subject/versions/:version/referencedby', read, (req, res) => {
    const v = versionOf(registry, param(req, 'subject'), param(req, 'version'), true);
    send(res, [...new Set(registry.source.referencesTo(v.subject, v).filter((r) => r.status !== 'draft').map((r) => r.schemaId))].sort((a, b) => a - b));
  });
  router.post('/subjects/:subject/versions', write, async (req, res) => {
    send(res, { id: await register(registry, actorOf(res), param(req, 'subject'), submission(req)) });
  });
  router.post('/subjects/:subject', read, (req, res) => {
    const subject = param(req, 'subject');
    visibleVersions(registry, subject);
    const v = lookup(registry, subject, submission(req));
    send(res, { subject, id: v.schemaId, version: v.number, schema: v.schemaText, schemaType: v.schemaType });
  });
  router.delete('/subjects/:subject', write, async (req, res) => {
    const subject = param(req, 'subject');
    visibleVersions(registry, subject, true);
    send(res, await deleteSubject(registry, actorOf(res), subject, flag(req, 'permanent')));
  });
  router.delete('/subjects/:subject/versions/:version', write, async (req, res) => {
    const subject = param(req, 'subject');
    const permanent = flag(req, 'permanent');
    // `latest` is the latest live version for a soft delete, the latest of all for a permanent one.
    const latest = versionSelector(param(req, 'version')) === '-1';
    const v = versionOf(registry, subject, param(req, 'version'), permanent || !latest);
    send(res, await deleteVersion(registry, actorOf(res), subject, String(v.number), permanent));
  });

  // Schemas by global id
  router.get('/schemas/ids/:id', read, (req, res) => {
    const v = schemaById(registry, schemaId(req));
    send(res, { schema: v.schemaText, schemaType: v.schemaType, references: v.references });
  });
  router.get('/schemas/ids/:id/schema', read, (req, res) => {
    sendConfluent(res, 200, schemaById(registry, schemaId(req)).schemaText);
  });
  router.get('/schemas/ids/:id/subjects', read, (req, res) => {
    const id = schemaById(registry, schemaId(req)).schemaId;
    send(res, [...new Set(usesOf(registry, id, flag(req, 'deleted')).map((u) => u.subject))]);
  });
  router.get('/schemas/ids/:id/versions', read, (req, res) => {
    send(res, usesOf(registry, schemaById(registry, schemaId(req)).schemaId, flag(req, 'deleted')));
  });

  // Compatibility checks: against one version, or against the versions the subject's level names.
  const compatible = (req: Request, res: Response, against: RegistryVersion[]): void => {
    const subject = param(req, 'subject');
    const parsed = parseSubmission(registry, submission(req));
    const answer = registry.compatibility(subject, parsed.schema, { against, references: parsed.references });
    send(res, { is_compatible: answer.compatible, ...(flag(req, 'verbose') ? { messages: answer.messages } : {}) });
  };
  router.post('/compatibility/subjects/:subject/versions/:version', read, (req, res) => {
    const subject = param(req, 'subject');
    const selector = versionSelector(param(req, 'version'));
    // Against `latest` of a subject with no version, everything is compatible (Confluent answers so).
    const empty = selector === '-1' && !visibleSubjects(registry).includes(subject);
    compatible(req, res, empty ? [] : [versionOf(registry, subject, selector)]);
  });
  router.post('/compatibility/subjects/:subject/versions', read, (req, res) => {
    const subject = param(req, 'subject');
    compatible(req, res, visibleSubjects(registry).includes(subject) ? visibleVersions(registry, subject) : []);
  });

  // Compatibility levels
  router.get('/config', read, (_req, res) => { send(res, { compatibilityLevel: registry.source.level('') }); });
  router.put('/config', write, async (req, res) => {
    send(res, { compatibility: await registry.setLevel(actorOf(res), undefined, levelIn(req)) });
  });
  router.get('/config/:subject', read, (req, res) => {
    const subject = param(req, 'subject');
    const own = registry.source.snapshot.config.get(subject);
    if (own === undefined && !flag(req, 'defaultToGlobal')) {
      throw new SuyuanError('CONFIG_NOT_FOUND', `Subject '${subject}' does not have subject-level compatibility configured`);
    }
    send(res, { compatibilityLevel: own ?? registry.source.level('') });
  });
  router.put('/config/:subject', write, async (req, res) => {
    send(res, { compatibility: await registry.setLevel(actorOf(res), param(req, 'subject'), levelIn(req)) });
  });
  router.delete('/config/:subject', write, async (req, res) => {
    send(res, { compatibilityLevel: await registry.deleteLevel(actorOf(res), param(req, 'subject')) });
  });

  router.use((_req, res) => { sendConfluentError(res, 404, 404, 'HTTP 404 Not Found'); });
  router.use(ccompatErrorHandler(options.log));
  return router;
}
