/** Message formats: decoding bytes to text, and one parser per format behind one contract. */
export { DEFAULT_LIMITS, type Format, type ParseLimits, type Position, type SourceRecord } from './contract.ts';
export { decode, encode, encodingOf, type Decoded, type DecodeOptions, type Encoding } from './decode.ts';
export { buildXml, xmlFormat, type BuildXmlOptions, type XmlOptions } from './xml.ts';
export {
  buildSoapEnvelope,
  buildSoapFault,
  parseSoap,
  soapContentType,
  soapFaultStatus,
  soapFormat,
  soapHttpHeaders,
  SOAP_NAMESPACES,
  type SoapFault,
  type SoapFaultCode,
  type SoapFaultInput,
  type SoapMessage,
  type SoapVersion,
} from './soap.ts';
export { jsonFormat, type JsonOptions } from './json.ts';
export { csvFormat, type CsvOptions, type CsvRow, type CsvTable } from './csv.ts';
export { lineColumnAt } from './decode.ts';
export { epcisFormat, epcisJsonToXml, epcisXmlToJson, type EpcisParsed } from './epcis/index.ts';
export { FORMATS, formatNamed } from './registry.ts';
