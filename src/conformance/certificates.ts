/**
 * Certificates and revocations: a passing run's certificate, signed by the hub; the signed list of
 * revoked certificates; and the offline check of a certificate against the hub's public key.
 */
import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SuyuanError } from '../errors.ts';
import { reportDigest, type ConformanceReport } from './report.ts';
import { verifyFile, type HubKey } from './signing.ts';
import type { Direction } from './types.ts';

export const CERTIFICATE_FORMAT = 'suyuan.conformance-certificate/1';
export const REVOCATIONS_FORMAT = 'suyuan.conformance-revocations/1';

export interface CertificateBody {
  readonly format: typeof CERTIFICATE_FORMAT;
  readonly serial: string;
  readonly platform: string;
  /** `subject@version` of the standard. */
  readonly standard: string;
  /** The category profiles certified (`drugs`, …); `base` for the base subject. */
  readonly profiles: readonly string[];
  /** Each certified level: the profile and the direction. */
  readonly levels: ReadonlyArray<{ readonly profile: string; readonly standard: string; readonly direction: Direction }>;
  readonly mode: ConformanceReport['mode'];
  readonly issuedAt: string;
  readonly expiresAt: string;
  /** sha256 of the report the certificate rests on. */
  readonly reportDigest: string;
  readonly issuer: string;
}

export interface Revocation {
  readonly serial: string;
  readonly revokedAt: string;
  readonly reason: string;
}

export interface RevocationList {
  readonly format: typeof REVOCATIONS_FORMAT;
  readonly issuer: string;
  readonly updatedAt: string;
  readonly revoked: readonly Revocation[];
}

/** The certificate body a report earns; `CONFORMANCE_NOT_PASSED` when it earns none, `CERTIFICATE_INVALID` when its digest does not match it. */
export function certificateFor(report: ConformanceReport, options: { readonly issuedAt: Date; readonly days: number; readonly platform?: string; readonly issuer: string }): CertificateBody {
  if (report.digest !== reportDigest(report)) {
    throw new SuyuanError('CERTIFICATE_INVALID', '报告摘要与内容不符 / the report was altered: its digest does not match', { detail: { reason: 'report-digest' } });
  }
  const levels = report.levels.filter((l) => l.certified);
  if (!report.passed || levels.length === 0) {
    throw new SuyuanError('CONFORMANCE_NOT_PASSED', `未通过：${report.failed.length} 项要求不符 / the run did not pass`, { detail: { failed: report.failed.slice(0, 50) } });
  }
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 3 * 366) throw new SuyuanError('BAD_REQUEST', 'a certificate lasts 1 to 1098 days', { detail: { days: options.days } });
  const named = levels.map((l) => ({ profile: l.profile ?? 'base', standard: l.standard, direction: l.direction }));
  return {
    format: CERTIFICATE_FORMAT, serial: randomUUID(), platform: options.platform ?? report.platform, standard: report.standard,
    profiles: [...new Set(named.map((l) => l.profile))].sort(), levels: named, mode: report.mode,
    issuedAt: options.issuedAt.toISOString(), expiresAt: new Date(options.issuedAt.getTime() + options.days * 86_400_000).toISOString(),
    reportDigest: report.digest, issuer: options.issuer,
  };
}

export function signCertificate(key: HubKey, body: CertificateBody): string {
  return key.signFile('certificate', body);
}

export function signRevocations(key: HubKey, list: RevocationList): string {
  return key.signFile('revocations', list);
}

export interface VerifyResult {
  readonly status: 'valid' | 'revoked' | 'expired';
  readonly certificate: CertificateBody;
  readonly revocation?: Revocation;
  /** Whether a revocation list was consulted. */
  readonly checkedRevocations: boolean;
}

/**
 * Verifies a certificate file offline: its form and signature under `key` (`CERTIFICATE_INVALID`
 * otherwise), then its expiry, then — when a revocation list is given, itself verified under the
 * same key — whether it was revoked.
 */
export function verifyCertificate(text: string, key: KeyObject, options: { readonly revocations?: string; readonly now?: Date } = {}): VerifyResult {
  const certificate = verifyFile(text, 'certificate', key) as unknown as CertificateBody;
  if (certificate.format !== CERTIFICATE_FORMAT) throw new SuyuanError('CERTIFICATE_INVALID', `not a certificate: ${String(certificate.format)}`, { detail: { reason: 'format' } });
  const checkedRevocations = options.revocations !== undefined;
  if (options.revocations !== undefined) {
    const list = verifyFile(options.revocations, 'revocations', key) as unknown as RevocationList;
    if (list.format !== REVOCATIONS_FORMAT) throw new SuyuanError('CERTIFICATE_INVALID', 'the revocation list is not one', { detail: { reason: 'revocations-format' } });
    const revocation = list.revoked.find((r) => r.serial === certificate.serial);
    if (revocation) return { status: 'revoked', certificate, revocation, checkedRevocations };
  }
  const now = options.now ?? new Date();
  if (Date.parse(certificate.expiresAt) <= now.getTime()) return { status: 'expired', certificate, checkedRevocations };
  return { status: 'valid', certificate, checkedRevocations };
}
