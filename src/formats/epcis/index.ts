/** GS1 EPCIS 2.0 documents in both bindings: JSON-LD ↔ XML conversion that loses nothing, and the EPCIS format. */
export { epcisXmlToJson, type XmlEventOrigin } from './xml-to-json.ts';
export { epcisJsonToXml } from './json-to-xml.ts';
export { epcisFormat, type EpcisParsed } from './format.ts';
export { EVENT_LAYOUTS, GS1_CONTEXT_URL } from './layout.ts';
