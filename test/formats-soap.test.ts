// SOAP 1.1 and 1.2: envelopes with headers whatever the prefix, faults read and built, malformed envelopes, HTTP media types.
import { describe, expect, it } from 'vitest';
import {
  buildSoapEnvelope, buildSoapFault, parseSoap, soapContentType, soapFaultStatus, soapFormat, soapHttpHeaders, SOAP_NAMESPACES,
} from '../src/formats/index.ts';
import { caught } from './helpers/caught.ts';


// A hospital procurement web service answer (SOAP 1.1, prefix soapenv, WS-Security header).
const SOAP11 = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns2="http://ypcg.example.gov.cn/ws">
  <soapenv:Header>
    <wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">
      <wsse:UsernameToken><wsse:Username>0571医院</wsse:Username></wsse:UsernameToken>
    </wsse:Security>
  </soapenv:Header>
  <soapenv:Body>
    <ns2:QueryReceiptsResponse>
      <ns2:Receipt no="R0001"><DrugCode>81012340000012345678</DrugCode><Batch>0012</Batch><DrugName>阿莫西林胶囊</DrugName></ns2:Receipt>
      <ns2:Receipt no="R0002"><DrugCode>81012340000012345679</DrugCode><Batch>0013</Batch><DrugName>头孢克肟片</DrugName></ns2:Receipt>
    </ns2:QueryReceiptsResponse>
  </soapenv:Body>
</soapenv:Envelope>`;

// A customs declaration submission (SOAP 1.2, default namespace for the envelope, a header block).
const SOAP12 = `<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope">
  <Header><h:Trace xmlns:h="urn:suyuan:trace" mustUnderstand="true">000123</h:Trace></Header>
  <Body>
    <dec:SubmitDeclaration xmlns:dec="http://www.chinaport.gov.cn/dec">
      <dec:SeqNo>000012345678901234</dec:SeqNo><dec:TradeName>上海某某医药有限公司</dec:TradeName>
    </dec:SubmitDeclaration>
  </Body>
</Envelope>`;

const FAULT11 = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
  <soap:Fault><faultcode>soap:Client.Auth</faultcode><faultstring xml:lang="zh">用户名或密码错误</faultstring>
    <detail><e:AuthError xmlns:e="urn:ypcg"><e:Code>0401</e:Code></e:AuthError></detail></soap:Fault>
</soap:Body></soap:Envelope>`;

const FAULT12 = `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>
  <env:Fault>
    <env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value>m:Busy</env:Value></env:Subcode></env:Code>
    <env:Reason><env:Text xml:lang="zh-CN">系统繁忙</env:Text><env:Text xml:lang="en">busy</env:Text></env:Reason>
  </env:Fault>
</env:Body></env:Envelope>`;

describe('reading envelopes', () => {
  it('reads SOAP 1.1 with its header, whatever the prefix', () => {
    const message = parseSoap(SOAP11);
    expect(message.version).toBe('1.1');
    expect(message.operation).toBe('QueryReceiptsResponse');
    expect(message.fault).toBeUndefined();
    expect(message.header).toMatchObject({ 'wsse:Security': { 'wsse:UsernameToken': { 'wsse:Username': '0571医院' } } });
    expect((message.body as any)['ns2:QueryReceiptsResponse']['ns2:Receipt'][1]).toEqual({
      '@_no': 'R0002', DrugCode: '81012340000012345679', Batch: '0013', DrugName: '头孢克肟片',
    });
  });

  it('reads SOAP 1.2 in the default namespace with its header', () => {
    const message = parseSoap(SOAP12);
    expect(message).toMatchObject({ version: '1.2', operation: 'SubmitDeclaration' });
    expect(message.header).toEqual({ 'h:Trace': { '#text': '000123', '@_xmlns:h': 'urn:suyuan:trace', '@_mustUnderstand': 'true' } });
    expect((message.body as any)['dec:SubmitDeclaration']['dec:SeqNo']).toBe('000012345678901234');
  });

  it('resolves the Body through any prefix bound to the envelope namespace', () => {
    const text = `<a:Envelope xmlns:a="${SOAP_NAMESPACES['1.1']}"><b:Body xmlns:b="${SOAP_NAMESPACES['1.1']}"><Ping/></b:Body></a:Envelope>`;
    expect(parseSoap(text)).toEqual({ version: '1.1', header: undefined, body: { Ping: '', '@_xmlns:b': SOAP_NAMESPACES['1.1'] }, operation: 'Ping' });
  });

  it('splits records relative to the Body with full paths and lines', () => {
    const options = { recordPath: 'QueryReceiptsResponse/Receipt', arrayPaths: ['QueryReceiptsResponse'] };
    const records = soapFormat.split(soapFormat.parse(SOAP11, options), options);
    expect(records.map((r) => r.position)).toEqual([
      { index: 0, path: '/Envelope/Body/QueryReceiptsResponse/Receipt[1]', line: 10 },
      { index: 1, path: '/Envelope/Body/QueryReceiptsResponse/Receipt[2]', line: 11 },
    ]);
    expect(records[0]?.value).toMatchObject({ Batch: '0012', DrugName: '阿莫西林胶囊' });
    const whole = soapFormat.split(soapFormat.parse(SOAP12));
    expect(whole).toHaveLength(1);
    expect(whole[0]?.position).toEqual({ index: 0, path: '/Envelope/Body' });
    expect(caught(() => soapFormat.split(soapFormat.parse(SOAP12), { recordPath: 'SubmitDeclaration/DecList' })).detail)
      .toEqual({ recordPath: 'SubmitDeclaration/DecList', matched: '/Envelope/Body/SubmitDeclaration' });
  });
});

describe('faults', () => {
  it('reads a SOAP 1.1 fault, and the SOAP format refuses it as an operational SOAP_FAULT', () => {
    expect(parseSoap(FAULT11).fault).toEqual({
      code: 'Client.Auth', reason: '用户名或密码错误', detail: { 'e:AuthError': { 'e:Code': '0401', '@_xmlns:e': 'urn:ypcg' } },
    });
    const error = caught(() => soapFormat.parse(FAULT11));
    expect(error.code).toBe('SOAP_FAULT');
    expect(error.kind).toBe('operational');
    expect(error.detail).toMatchObject({ version: '1.1', code: 'Client.Auth', reason: '用户名或密码错误' });
  });

  it('reads a SOAP 1.2 fault: the top code value and the first reason text', () => {
    expect(parseSoap(FAULT12)).toMatchObject({ version: '1.2', operation: 'Fault', fault: { code: 'Receiver', reason: '系统繁忙', detail: undefined } });
  });

  it.each([
    ['1.1', { code: 'Client', reason: '报文格式错误 <DecHead>', detail: { 'e:Problem': { '@_xmlns:e': 'urn:suyuan', Field: 'SeqNo', Value: '0012' } } }],
    ['1.1', { code: 'Server', reason: '稍后重试' }],
    ['1.2', { code: 'Sender', reason: '报文格式错误 & 缺少字段', detail: { 'e:Problem': { '@_xmlns:e': 'urn:suyuan', Field: 'SeqNo' } } }],
    ['1.2', { code: 'Receiver', reason: '稍后重试', detail: '队列已满' }],
  ] as const)('builds a SOAP %s fault that reads back the same', (version, fault) => {
    const text = buildSoapFault(version, fault);
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(text).toContain(`xmlns:soap="${SOAP_NAMESPACES[version]}"`);
    const message = parseSoap(text);
    expect(message.version).toBe(version);
    expect(message.fault).toEqual({ code: fault.code, reason: fault.reason, detail: 'detail' in fault ? fault.detail : undefined });
  });

  it('writes the version-specific fault structure', () => {
    const v11 = parseSoap(buildSoapFault('1.1', { code: 'Client', reason: 'x' })).body as any;
    expect(v11['soap:Fault']).toEqual({ faultcode: 'soap:Client', faultstring: 'x' });
    const v12 = parseSoap(buildSoapFault('1.2', { code: 'Sender', reason: 'x', lang: 'en' })).body as any;
    expect(v12['soap:Fault']).toEqual({
      'soap:Code': { 'soap:Value': 'soap:Sender' },
      'soap:Reason': { 'soap:Text': { '#text': 'x', '@_xml:lang': 'en' } },
    });
  });
});

describe('building envelopes and their HTTP framing', () => {
  it.each(['1.1', '1.2'] as const)('builds a SOAP %s envelope with a header that reads back', (version) => {
    const body = { 'q:QueryReceipts': { '@_xmlns:q': 'http://ypcg.example.gov.cn/ws', HospitalCode: '0571001', Since: '2024-05-01' } };
    const header = { 'h:Trace': { '@_xmlns:h': 'urn:suyuan:trace', '#text': '000123' } };
    const message = parseSoap(buildSoapEnvelope(version, body, header));
    expect(message).toEqual({ version, header, body, operation: 'QueryReceipts' });
    expect(parseSoap(buildSoapEnvelope(version, undefined))).toMatchObject({ version, header: undefined, operation: '' });
  });

  it('says the media type and headers of each version, and the status of a fault', () => {
    expect(soapContentType('1.1')).toBe('text/xml; charset=utf-8');
    expect(soapContentType('1.2')).toBe('application/soap+xml; charset=utf-8');
    expect(soapHttpHeaders('1.1', 'urn:QueryReceipts')).toEqual({ 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:QueryReceipts"' });
    expect(soapHttpHeaders('1.1')).toEqual({ 'content-type': 'text/xml; charset=utf-8', soapaction: '""' });
    expect(soapHttpHeaders('1.2', 'urn:Submit')).toEqual({ 'content-type': 'application/soap+xml; charset=utf-8; action="urn:Submit"' });
    expect(soapHttpHeaders('1.2')).toEqual({ 'content-type': 'application/soap+xml; charset=utf-8' });
    expect([soapFaultStatus('1.1', 'Client'), soapFaultStatus('1.2', 'Sender'), soapFaultStatus('1.2', 'Receiver')]).toEqual([500, 400, 500]);
  });
});

describe('malformed envelopes', () => {
  it.each([
    ['a wrong envelope namespace', '<soap:Envelope xmlns:soap="http://example.com/not-soap"><soap:Body/></soap:Envelope>', { element: 'Envelope', namespace: 'http://example.com/not-soap' }],
    ['an undeclared envelope prefix', '<soap:Envelope><soap:Body/></soap:Envelope>', { element: 'Envelope', namespace: null }],
    ['a root that is not an Envelope', '<DecMessage><DecHead/></DecMessage>', { element: 'Envelope', found: 'DecMessage' }],
    ['no Body', `<s:Envelope xmlns:s="${SOAP_NAMESPACES['1.2']}"><s:Header/></s:Envelope>`, { element: 'Body', count: 0 }],
    ['a Body outside the envelope namespace', `<s:Envelope xmlns:s="${SOAP_NAMESPACES['1.1']}"><Body/></s:Envelope>`, { element: 'Body', count: 0 }],
    ['two Bodies', `<s:Envelope xmlns:s="${SOAP_NAMESPACES['1.1']}"><s:Body/><s:Body/></s:Envelope>`, { element: 'Body', count: 2 }],
  ])('refuses %s with SOAP_ENVELOPE', (_name, text, detail) => {
    const error = caught(() => parseSoap(text));
    expect(error.code).toBe('SOAP_ENVELOPE');
    expect(error.kind).toBe('user');
    expect(error.detail).toEqual(detail);
    expect(caught(() => soapFormat.parse(text)).code).toBe('SOAP_ENVELOPE');
  });

  it('applies the XML checks first: a DTD in an envelope is forbidden, broken XML does not parse', () => {
    const dtd = `<!DOCTYPE s:Envelope [<!ENTITY x SYSTEM "file:///etc/passwd">]><s:Envelope xmlns:s="${SOAP_NAMESPACES['1.1']}"><s:Body>&x;</s:Body></s:Envelope>`;
    expect(caught(() => parseSoap(dtd)).code).toBe('XML_FORBIDDEN');
    expect(caught(() => parseSoap('<s:Envelope>\n<s:Body></s:Envelope>')).detail).toMatchObject({ line: 2 });
    expect(caught(() => parseSoap(SOAP11, { maxDepth: 4 })).detail).toMatchObject({ limit: 'maxDepth', line: 5 });
  });
});
