/** The formats by name: the one explicit map that manifests and the CLI choose from. */
import type { Format } from './contract.ts';
import { csvFormat } from './csv.ts';
import { epcisFormat } from './epcis/index.ts';
import { jsonFormat } from './json.ts';
import { soapFormat } from './soap.ts';
import { xmlFormat } from './xml.ts';
import { SuyuanError } from '../errors.ts';

export const FORMATS: Readonly<Record<string, Format<Record<string, unknown>>>> = {
  json: jsonFormat as Format<Record<string, unknown>>,
  csv: csvFormat as unknown as Format<Record<string, unknown>>,
  xml: xmlFormat as Format<Record<string, unknown>>,
  soap: soapFormat as Format<Record<string, unknown>>,
  epcis: epcisFormat as Format<Record<string, unknown>>,
};

export function formatNamed(name: string): Format<Record<string, unknown>> {
  const format = Object.hasOwn(FORMATS, name) ? FORMATS[name] : undefined;
  if (!format) throw new SuyuanError('BAD_REQUEST', `unknown format "${name}"; known: ${Object.keys(FORMATS).join(', ')}`);
  return format;
}
