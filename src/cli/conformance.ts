/**
 * `suyuan conformance`: run the suite of a standard version against a platform's documents or endpoint,
 * and — for certifiers, on the hub's data folder — issue and revoke certificates, export the hub's public
 * key and revocation list; verify a certificate offline.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadAdapters } from '../adapters/manifest.ts';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import {
  generateSuite, readPublicKey, reportHtml, runDocuments, runInterface, runSoapInterface, verifyCertificate, type ConformanceReport,
} from '../conformance/index.ts';
import { SuyuanError } from '../errors.ts';
import { MappingEngine } from '../mapping/index.ts';
import { REPO_ROOT } from '../standards/index.ts';
import { openStandards, repositoryRoot } from './context.ts';

interface RunFlags {
  standard: string;
  bundle?: string;
  endpoint?: string;
  adapter?: string;
  profile?: string[];
  platform?: string;
  header?: string[];
  out?: string;
  html?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new SuyuanError('IO_FAILED', `cannot read the ${what} ${file}`, { cause, detail: { file } });
  }
}

function printReport(report: ConformanceReport): void {
  const out = (s: string): void => { process.stdout.write(`${s}\n`); };
  out(`${report.passed ? 'PASSED' : 'FAILED'}  ${report.platform}  ${report.standard}  ${report.mode} ${report.target}`);
  out(`  requirements: ${report.summary.pass} pass, ${report.summary.fail} fail, ${report.summary.untested} untested${report.summary.notApplicable ? `, ${report.summary.notApplicable} not applicable` : ''}; ${report.suite.cases} cases`);
  for (const l of report.levels) out(`  level ${l.profile ?? 'base'} ${l.direction}: ${l.certified ? 'certified' : `not certified${l.failed.length ? ` (${l.failed.length} failing)` : ''}`}`);
  for (const r of report.requirements.filter((q) => q.verdict === 'fail')) {
    out(`  FAIL ${r.id}`);
    for (const e of r.evidence.filter((f) => f.verdict === 'fail').slice(0, 3)) out(`       ${e.subjectOf}${e.path ? ` ${e.path}` : ''}: ${e.evidence}`);
  }
  for (const r of report.requirements.filter((q) => q.verdict === 'not-applicable')) out(`  N/A  ${r.id}: ${r.note ?? ''}`);
  out(`  digest ${report.digest}`);
}

function runCommand(): Command {
  return new Command('run')
    .description('run the conformance suite of a standard version against a bundle of documents, a live EPCIS 2.0 endpoint, or (--adapter) a SOAP service an adapter sends to')
    .requiredOption('--standard <subject@version>', 'the standard version, e.g. trace.event@1.0.0')
    .option('--bundle <dir>', 'a folder of the platform\'s documents (EPCIS JSON-LD/XML; sub-folders named after adapters hold department messages)')
    .option('--endpoint <url>', 'the platform\'s EPCIS 2.0 endpoint (capture and query under it), or with --adapter its SOAP service')
    .option('--adapter <id>', 'with --endpoint: drive the SOAP service this adapter\'s outbound WSDL describes, sending the suite\'s cases as the hub delivers them')
    .option('--profile <category>', 'limit to these category profiles (repeat or comma-separate)', collect)
    .option('--platform <name>', 'the platform\'s name in the report')
    .option('--header <name:value>', 'a header sent with every request to the endpoint (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('--out <file>', 'write the report as JSON')
    .option('--html <file>', 'write the report as an HTML page')
    .option('--json', 'print the report as JSON')
    .action(async (flags: RunFlags) => {
      if ((flags.bundle === undefined) === (flags.endpoint === undefined)) throw new SuyuanError('BAD_REQUEST', 'give either --bundle <dir> or --endpoint <url>');
      const standards = await openStandards();
      const suite = generateSuite(standards, flags.standard, flags.profile ? { profiles: flags.profile } : {});
      const platform = flags.platform === undefined ? {} : { platform: flags.platform };
      let report: ConformanceReport;
      if (flags.adapter !== undefined) {
        if (flags.endpoint === undefined) throw new SuyuanError('BAD_REQUEST', '--adapter needs --endpoint <url>, the platform\'s SOAP service');
        if (flags.header !== undefined) throw new SuyuanError('BAD_REQUEST', '--header does not apply with --adapter: the adapter\'s own credentials are sent');
        const adapter = loadAdapters(standards, repositoryRoot() ?? REPO_ROOT).find((a) => a.manifest.id === flags.adapter);
        if (!adapter) throw new SuyuanError('ADAPTER_NOT_FOUND', `no adapter "${flags.adapter}"`, { detail: { adapter: flags.adapter } });
        report = await runSoapInterface({ suite, endpoint: flags.endpoint, adapter, standards, evaluator: new MappingEngine(), ...platform });
      } else if (flags.bundle !== undefined) {
        const evaluator = new MappingEngine();
        report = await runDocuments({ standards, suite, bundle: flags.bundle, adapters: loadAdapters(standards, repositoryRoot() ?? REPO_ROOT), evaluator, ...platform });
      } else {
        const headers: Record<string, string> = {};
        for (const h of flags.header ?? []) {
          const colon = h.indexOf(':');
          if (colon < 1) throw new SuyuanError('BAD_REQUEST', `--header must be name:value, not "${h}"`);
          headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
        }
        report = await runInterface({ suite, endpoint: flags.endpoint as string, headers, ...platform });
      }
      if (flags.out) writeFileSync(flags.out, `${JSON.stringify(report, null, 2)}\n`);
      if (flags.html) writeFileSync(flags.html, reportHtml(report));
      if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else printReport(report);
      if (!report.passed) process.exitCode = 1;
    });
}

function verifyCommand(): Command {
  return new Command('verify')
    .description('verify a certificate offline: signature, expiry, and the revocation list when given or found in the data folder')
    .argument('<certificate>', 'the certificate file')
    .option('--key <file>', 'the hub\'s public key (PEM); default: the data folder\'s')
    .option('--revocations <file>', 'the hub\'s signed revocation list; default: the data folder\'s, when there is one')
    .option('--data <dir>', 'the hub\'s data folder', 'data')
    .option('--json', 'print the result as JSON')
    .action((file: string, flags: { key?: string; revocations?: string; data: string; json?: boolean }) => {
      const dir = join(flags.data, 'conformance');
      const keyFile = flags.key ?? join(dir, 'hub-ed25519.pub.pem');
      if (!existsSync(keyFile)) throw new SuyuanError('BAD_REQUEST', 'no public key: give --key <file> (GET /v1/conformance/key)', { detail: { key: keyFile } });
      const revocationsFile = flags.revocations ?? (existsSync(join(dir, 'revocations.json')) ? join(dir, 'revocations.json') : undefined);
      const result = verifyCertificate(readText(file, 'certificate'), readPublicKey(readText(keyFile, 'public key')), revocationsFile ? { revocations: readText(revocationsFile, 'revocation list') } : {});
      const c = result.certificate;
      if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        process.stdout.write(`${result.status.toUpperCase()}  ${c.serial}  ${c.platform}  ${c.standard}\n`);
        process.stdout.write(`  levels: ${c.levels.map((l) => `${l.profile}/${l.direction}`).join(', ')}\n  issued ${c.issuedAt}, expires ${c.expiresAt}; report ${c.reportDigest}\n`);
        if (result.revocation) process.stdout.write(`  revoked ${result.revocation.revokedAt}: ${result.revocation.reason}\n`);
        if (!result.checkedRevocations) process.stdout.write('  no revocation list consulted\n');
      }
      if (result.status !== 'valid') process.exitCode = 1;
    });
}

async function withApp<T>(data: string, work: (app: Awaited<ReturnType<typeof createApp>>) => Promise<T>): Promise<T> {
  const app = await createApp(loadConfig({ dataDir: data, mappingWorkers: 0, logLevel: 'silent' }));
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

function issueCommand(): Command {
  return new Command('issue')
    .description('certifiers: keep a passing report and issue its certificate, signed with the hub\'s key')
    .requiredOption('--report <file>', 'the report (JSON) of a passing run')
    .option('--days <n>', 'how long the certificate lasts', '365')
    .option('--platform <name>', 'the platform\'s name on the certificate (default: the report\'s)')
    .option('--out <file>', 'write the certificate here (default: print it)')
    .option('--data <dir>', 'the hub\'s data folder', 'data')
    .action(async (flags: { report: string; days: string; platform?: string; out?: string; data: string }) => {
      let report: ConformanceReport;
      try {
        report = JSON.parse(readText(flags.report, 'report')) as ConformanceReport;
      } catch (cause) {
        if (cause instanceof SuyuanError) throw cause;
        throw new SuyuanError('BAD_REQUEST', `${flags.report} is not JSON`, { cause });
      }
      const issued = await withApp(flags.data, async (app) => {
        const run = await app.conformance.keep(report, 'cli');
        return app.conformance.issue(run.id, { days: Number(flags.days), ...(flags.platform ? { platform: flags.platform } : {}) }, 'cli');
      });
      if (flags.out) {
        writeFileSync(flags.out, issued.text);
        process.stdout.write(`issued ${issued.serial} → ${flags.out}\n`);
      } else process.stdout.write(issued.text);
    });
}

function revokeCommand(): Command {
  return new Command('revoke')
    .description('certifiers: revoke a certificate and republish the signed revocation list')
    .argument('<serial>', 'the certificate\'s serial')
    .requiredOption('--reason <text>', 'why')
    .option('--data <dir>', 'the hub\'s data folder', 'data')
    .action(async (serial: string, flags: { reason: string; data: string }) => {
      await withApp(flags.data, (app) => app.conformance.revoke(serial, flags.reason, 'cli'));
      process.stdout.write(`revoked ${serial}; revocation list: ${join(flags.data, 'conformance', 'revocations.json')}\n`);
    });
}

function exportCommand(): Command {
  return new Command('export')
    .description('print the hub\'s public key (PEM), or with --revocations its signed revocation list')
    .option('--revocations', 'the revocation list instead of the key')
    .option('--data <dir>', 'the hub\'s data folder', 'data')
    .action(async (flags: { revocations?: boolean; data: string }) => {
      const text = await withApp(flags.data, async (app) => (flags.revocations ? app.conformance.revocations() : app.conformance.key.publicKeyPem));
      process.stdout.write(text);
    });
}

export function conformanceCommand(): Command {
  return new Command('conformance')
    .description('conformance suites, reports and certificates for third-party platforms')
    .addCommand(runCommand())
    .addCommand(verifyCommand())
    .addCommand(issueCommand())
    .addCommand(revokeCommand())
    .addCommand(exportCommand());
}
