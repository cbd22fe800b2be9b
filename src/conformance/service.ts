/**
 * The certifiers' side: runs kept with their reports, certificates issued from passing runs, revoked
 * with a reason, and the signed revocation list republished on every revocation
 * (`<dataDir>/conformance/revocations.json`, also served at `/v1/conformance/revocations`). Every
 * change is audited.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { loadAdapters, type LoadedAdapter } from '../adapters/manifest.ts';
import type { AuditLog } from '../audit/index.ts';
import { SuyuanError } from '../errors.ts';
import { MappingEngine, type MappingEvaluator } from '../mapping/index.ts';
import type { SchemaSource } from '../standards/catalog.ts';
import { REPO_ROOT } from '../standards/paths.ts';
import type { Standards } from '../standards/validator.ts';
import { certificateFor, REVOCATIONS_FORMAT, signCertificate, signRevocations, type RevocationList } from './certificates.ts';
import { runInterface } from './interface.ts';
import { REPORT_FORMAT, reportDigest, type ConformanceReport } from './report.ts';
import { HubKey } from './signing.ts';
import { runSoapInterface } from './soap-interface.ts';
import type { ConformanceTables } from './store.ts';
import { generateSuite } from './suite.ts';

export interface ConformanceDeps {
  readonly db: Kysely<ConformanceTables>;
  readonly audit: AuditLog;
  readonly dataDir: string;
  readonly standards: () => Standards<SchemaSource>;
  /** The hub's adapters and mapping evaluator, for SOAP runs (`adapter` given); else the repository's adapters and an in-process engine. */
  readonly adapters?: () => readonly LoadedAdapter[];
  readonly evaluator?: MappingEvaluator;
  readonly now?: () => Date;
}

export interface RunSummary {
  readonly id: string;
  readonly createdAt: string;
  readonly platform: string;
  readonly standard: string;
  readonly mode: string;
  readonly passed: boolean;
  readonly digest: string;
}

export class ConformanceService {
  readonly #deps: ConformanceDeps;
  #key: HubKey | undefined;

  constructor(deps: ConformanceDeps) {
    this.#deps = deps;
  }

  get dir(): string {
    return join(this.#deps.dataDir, 'conformance');
  }

  /** The hub's signing key, made on first use. */
  get key(): HubKey {
    this.#key ??= HubKey.open(this.dir);
    return this.#key;
  }

  #now(): Date {
    return this.#deps.now?.() ?? new Date();
  }

  /**
   * Runs the suite of `standard` against a platform's endpoint from the hub, and keeps the report: its
   * EPCIS 2.0 interface, or with `adapter` the SOAP service that adapter's outbound WSDL describes.
   * `ADAPTER_NOT_FOUND` for an unknown adapter.
   */
  async runEndpoint(spec: { standard: string; endpoint: string; profiles?: readonly string[]; platform?: string; headers?: Readonly<Record<string, string>>; adapter?: string }, actor: string): Promise<RunSummary> {
    const suite = generateSuite(this.#deps.standards(), spec.standard, spec.profiles ? { profiles: spec.profiles } : {});
    if (spec.adapter !== undefined) {
      const standards = this.#deps.standards();
      const adapters = this.#deps.adapters?.() ?? loadAdapters(standards, REPO_ROOT);
      const adapter = adapters.find((a) => a.manifest.id === spec.adapter);
      if (!adapter) throw new SuyuanError('ADAPTER_NOT_FOUND', `no adapter "${spec.adapter}"`, { detail: { adapter: spec.adapter } });
      if (spec.headers) throw new SuyuanError('BAD_REQUEST', 'headers do not apply to a SOAP run: the adapter\'s own credentials are sent', { detail: { field: 'headers' } });
      const report = await runSoapInterface({
        suite, endpoint: spec.endpoint, adapter, standards, evaluator: this.#deps.evaluator ?? new MappingEngine(),
        ...(spec.platform ? { platform: spec.platform } : {}), now: () => this.#now(),
      });
      return this.keep(report, actor);
    }
    const report = await runInterface({
      suite, endpoint: spec.endpoint, ...(spec.platform ? { platform: spec.platform } : {}), ...(spec.headers ? { headers: spec.headers } : {}), now: () => this.#now(),
    });
    return this.keep(report, actor);
  }

  /** Keeps a report (run here, or submitted by a platform); `CERTIFICATE_INVALID` when its digest does not match it. */
  async keep(report: ConformanceReport, actor: string): Promise<RunSummary> {
    if (report.format !== REPORT_FORMAT || typeof report.digest !== 'string' || report.digest !== reportDigest(report)) {
      throw new SuyuanError('CERTIFICATE_INVALID', '报告摘要与内容不符 / the report is not a conformance report or was altered', { detail: { reason: 'report-digest' } });
    }
    const id = randomUUID();
    const createdAt = this.#now().toISOString();
    await this.#deps.db.insertInto('conformance_runs').values({
      id, created_at: createdAt, actor, platform: report.platform, standard: report.standard, mode: report.mode,
      passed: report.passed ? 1 : 0, digest: report.digest, report: JSON.stringify(report),
    }).execute();
    await this.#deps.audit.record(actor, 'conformance.run', `conformance-run:${id}`, { platform: report.platform, standard: report.standard, mode: report.mode, passed: report.passed, digest: report.digest });
    return { id, createdAt, platform: report.platform, standard: report.standard, mode: report.mode, passed: report.passed, digest: report.digest };
  }

  async runs(): Promise<RunSummary[]> {
    const rows = await this.#deps.db.selectFrom('conformance_runs').select(['id', 'created_at', 'platform', 'standard', 'mode', 'passed', 'digest']).orderBy('created_at', 'desc').limit(500).execute();
    return rows.map((r) => ({ id: r.id, createdAt: r.created_at, platform: r.platform, standard: r.standard, mode: r.mode, passed: r.passed === 1, digest: r.digest }));
  }

  async report(id: string): Promise<ConformanceReport> {
    const row = await this.#deps.db.selectFrom('conformance_runs').select('report').where('id', '=', id).executeTakeFirst();
    if (!row) throw new SuyuanError('CONFORMANCE_RUN_NOT_FOUND', `没有检测记录 ${id} / no conformance run ${id}`, { detail: { runId: id } });
    return JSON.parse(row.report) as ConformanceReport;
  }

  /** Issues the certificate a kept run earns; returns the signed certificate file. */
  async issue(runId: string, options: { days?: number; platform?: string }, actor: string): Promise<{ serial: string; text: string }> {
    const report = await this.report(runId);
    const body = certificateFor(report, { issuedAt: this.#now(), days: options.days ?? 365, issuer: this.key.keyId, ...(options.platform ? { platform: options.platform } : {}) });
    const text = signCertificate(this.key, body);
    await this.#deps.db.insertInto('conformance_certificates').values({
      serial: body.serial, run_id: runId, platform: body.platform, standard: body.standard, issued_at: body.issuedAt, expires_at: body.expiresAt,
      actor, text, revoked_at: null, revoke_reason: null,
    }).execute();
    await this.#deps.audit.record(actor, 'conformance.issue', `certificate:${body.serial}`, { runId, platform: body.platform, standard: body.standard, levels: body.levels, expiresAt: body.expiresAt });
    return { serial: body.serial, text };
  }

  async certificate(serial: string): Promise<{ text: string; revokedAt: string | null; reason: string | null }> {
    const row = await this.#deps.db.selectFrom('conformance_certificates').select(['text', 'revoked_at', 'revoke_reason']).where('serial', '=', serial).executeTakeFirst();
    if (!row) throw new SuyuanError('CERTIFICATE_NOT_FOUND', `没有证书 ${serial} / no certificate ${serial}`, { detail: { serial } });
    return { text: row.text, revokedAt: row.revoked_at, reason: row.revoke_reason };
  }

  async certificates(): Promise<Array<{ serial: string; platform: string; standard: string; issuedAt: string; expiresAt: string; revokedAt: string | null }>> {
    const rows = await this.#deps.db.selectFrom('conformance_certificates').select(['serial', 'platform', 'standard', 'issued_at', 'expires_at', 'revoked_at']).orderBy('issued_at', 'desc').execute();
    return rows.map((r) => ({ serial: r.serial, platform: r.platform, standard: r.standard, issuedAt: r.issued_at, expiresAt: r.expires_at, revokedAt: r.revoked_at }));
  }

  /** Revokes a certificate and republishes the signed revocation list; revoking twice keeps the first revocation. */
  async revoke(serial: string, reason: string, actor: string): Promise<string> {
    const found = await this.certificate(serial);
    if (!reason.trim()) throw new SuyuanError('BAD_REQUEST', '撤销须说明理由 / a revocation needs a reason', { detail: { field: 'reason' } });
    if (found.revokedAt === null) {
      await this.#deps.db.updateTable('conformance_certificates').set({ revoked_at: this.#now().toISOString(), revoke_reason: reason }).where('serial', '=', serial).execute();
      await this.#deps.audit.record(actor, 'conformance.revoke', `certificate:${serial}`, { reason });
    }
    return this.publishRevocations();
  }

  /** The signed revocation list, as published. */
  async revocations(): Promise<string> {
    const rows = await this.#deps.db.selectFrom('conformance_certificates').select(['serial', 'revoked_at', 'revoke_reason'])
      .where('revoked_at', 'is not', null).orderBy('revoked_at').orderBy('serial').execute();
    const revoked = rows.map((r) => ({ serial: r.serial, revokedAt: r.revoked_at ?? '', reason: r.revoke_reason ?? '' }));
    const list: RevocationList = { format: REVOCATIONS_FORMAT, issuer: this.key.keyId, updatedAt: revoked.at(-1)?.revokedAt ?? new Date(0).toISOString(), revoked };
    return signRevocations(this.key, list);
  }

  /** Writes the signed revocation list to `<dataDir>/conformance/revocations.json`; returns it. */
  async publishRevocations(): Promise<string> {
    const text = await this.revocations();
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, 'revocations.json'), text);
    return text;
  }
}
