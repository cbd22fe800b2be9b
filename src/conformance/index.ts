/** Conformance: suites generated from the standard, document and interface runs (EPCIS 2.0, or an adapter's SOAP service), reports, and signed certificates. */
export { generateSuite, categoryOf, type SuiteOptions } from './suite.ts';
export { runDocuments, documentRequirements, type DocumentRunOptions } from './documents.ts';
export { runInterface, interfaceRequirements, type InterfaceRunOptions } from './interface.ts';
export { runSoapInterface, soapInterfaceRequirements, type SoapRunOptions } from './soap-interface.ts';
export { buildReport, reportDigest, REPORT_FORMAT, type ConformanceReport, type Level, type RequirementResult } from './report.ts';
export { reportHtml } from './report-html.ts';
export { certificateFor, verifyCertificate, signCertificate, CERTIFICATE_FORMAT, REVOCATIONS_FORMAT, type CertificateBody, type RevocationList, type VerifyResult } from './certificates.ts';
export { HubKey, keyIdOf, readPublicKey, verifyFile } from './signing.ts';
export { ConformanceService, type RunSummary } from './service.ts';
export { CONFORMANCE_MIGRATIONS, type ConformanceTables } from './store.ts';
export { conformanceRouter } from './routes.ts';
export type { Suite, SuiteCase, Requirement, Finding, Direction, Verdict } from './types.ts';
