/**
 * `/v1/conformance`: the hub's public key and revocation list and any certificate, open to everyone
 * (so anyone can verify); runs, issuing and revoking for certifiers (role `certifier`), audited.
 *
 * - `GET /key` (PEM; `?format=json` for `{ keyId, publicKey }`), `GET /revocations` (signed list),
 *   `GET /certificates/<serial>` (the signed file; `X-Revoked-At` when revoked)
 * - `GET /certificates`, `POST /certificates { runId, days?, platform? }`, `POST /certificates/<serial>/revoke { reason }`
 * - `GET /runs`, `POST /runs { standard, endpoint, profiles?, platform?, headers? }` (interface mode from
 *   the hub; with `adapter` instead of `headers`, the SOAP service that adapter's outbound WSDL describes) or `POST /runs { report }` (a report a platform made with `suyuan conformance run`),
 *   `GET /runs/<id>` (JSON; `Accept: text/html` or `?format=html` for the page)
 */
import { Router, type Request } from 'express';
import { SuyuanError } from '../errors.ts';
import { actorOf, requireKey } from '../http/auth.ts';
import { isJsonObject } from '../standards/json.ts';
import { reportHtml } from './report-html.ts';
import type { ConformanceReport } from './report.ts';
import type { ConformanceService } from './service.ts';

function field(req: Request, name: string): unknown {
  return isJsonObject(req.body) ? req.body[name] : undefined;
}

function textField(req: Request, name: string, required: boolean): string | undefined {
  const value = field(req, name);
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '') throw new SuyuanError('BAD_REQUEST', `${name} must be given as text`, { detail: { field: name } });
  return value;
}

export function conformanceRouter(service: ConformanceService): Router {
  const router = Router();
  const certifier = requireKey('certifier');

  router.get('/key', (req, res) => {
    if (req.query.format === 'json') res.json({ keyId: service.key.keyId, algorithm: 'Ed25519', publicKey: service.key.publicKeyPem });
    else res.type('application/x-pem-file').set('Content-Disposition', 'attachment; filename="suyuan-hub-ed25519.pub.pem"').send(service.key.publicKeyPem);
  });
  router.get('/revocations', async (_req, res) => {
    res.type('application/json').send(await service.revocations());
  });
  router.get('/certificates/:serial', async (req, res) => {
    const found = await service.certificate(String(req.params.serial));
    if (found.revokedAt) res.set('X-Revoked-At', found.revokedAt);
    res.type('application/json').send(found.text);
  });

  router.get('/certificates', certifier, async (_req, res) => {
    res.json({ certificates: await service.certificates() });
  });
  router.post('/certificates', certifier, async (req, res) => {
    const runId = textField(req, 'runId', true) as string;
    const days = field(req, 'days');
    if (days !== undefined && typeof days !== 'number') throw new SuyuanError('BAD_REQUEST', 'days must be a number', { detail: { field: 'days' } });
    const platform = textField(req, 'platform', false);
    const issued = await service.issue(runId, { ...(days === undefined ? {} : { days }), ...(platform ? { platform } : {}) }, actorOf(res));
    res.status(201).location(`${req.baseUrl}/certificates/${issued.serial}`).type('application/json').send(issued.text);
  });
  router.post('/certificates/:serial/revoke', certifier, async (req, res) => {
    const reason = textField(req, 'reason', true) as string;
    res.type('application/json').send(await service.revoke(String(req.params.serial), reason, actorOf(res)));
  });

  router.get('/runs', certifier, async (_req, res) => {
    res.json({ runs: await service.runs() });
  });
  router.post('/runs', certifier, async (req, res) => {
    const report = field(req, 'report');
    if (report !== undefined) {
      if (!isJsonObject(report)) throw new SuyuanError('BAD_REQUEST', 'report must be a conformance report', { detail: { field: 'report' } });
      res.status(201).json(await service.keep(report as unknown as ConformanceReport, actorOf(res)));
      return;
    }
    const profiles = field(req, 'profiles');
    if (profiles !== undefined && (!Array.isArray(profiles) || profiles.some((p) => typeof p !== 'string'))) throw new SuyuanError('BAD_REQUEST', 'profiles must be a list of names', { detail: { field: 'profiles' } });
    const headers = field(req, 'headers');
    if (headers !== undefined && (!isJsonObject(headers) || Object.values(headers).some((v) => typeof v !== 'string'))) throw new SuyuanError('BAD_REQUEST', 'headers must map names to text', { detail: { field: 'headers' } });
    const platform = textField(req, 'platform', false);
    const adapter = textField(req, 'adapter', false);
    const summary = await service.runEndpoint({
      ...(adapter ? { adapter } : {}),
      standard: textField(req, 'standard', true) as string, endpoint: textField(req, 'endpoint', true) as string,
      ...(profiles ? { profiles: profiles as string[] } : {}), ...(platform ? { platform } : {}), ...(headers ? { headers: headers as Record<string, string> } : {}),
    }, actorOf(res));
    res.status(201).json(summary);
  });
  router.get('/runs/:id', certifier, async (req, res) => {
    const report = await service.report(String(req.params.id));
    if (req.query.format === 'html' || (req.query.format === undefined && req.accepts(['application/json', 'text/html']) === 'text/html')) res.type('text/html').send(reportHtml(report));
    else res.json(report);
  });
  return router;
}
