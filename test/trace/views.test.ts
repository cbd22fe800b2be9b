import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStandards, type Standards } from '../../src/standards/index.ts';
import type { JsonObject } from '../../src/standards/json.ts';
import { ADMIN_READER, PUBLIC_READER, classifiedPaths, readerOf, visibleFields } from '../../src/trace/views.ts';

const EXAMPLES = join(import.meta.dirname, '../../standards/trace.event/2.0.0/examples/valid');
const example = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as Record<string, unknown>;

let schema: JsonObject;
beforeAll(async () => {
  const standards: Standards = await loadStandards();
  schema = standards.catalog.get('trace.event', '2.0.0').schema;
});

describe('classification views', () => {
  it('shows the public only public fields: no operator, no amounts, no quantities, no sources', () => {
    const view = visibleFields(schema, example('transaction-invoice.json'), PUBLIC_READER) as Record<string, unknown>;
    expect(view).toMatchObject({ type: 'TransactionEvent', bizStep: 'shipping', 'sy:place': { 'sy:region': '321200' } });
    for (const hidden of ['bizTransactionList', 'sourceList', 'destinationList', 'sy:operator']) expect(view).not.toHaveProperty(hidden);
    const market = visibleFields(schema, example('object-market-entering.json'), PUBLIC_READER) as Record<string, unknown>;
    expect(market.quantityList).toEqual([{ epcClass: 'https://id.gs1.org/01/06901234567892/10/JN20240315' }]);
    expect(market['sy:place']).toEqual({ 'sy:region': '320114' });
  });

  it('shows restricted amounts only to the departments named in x-entitled', () => {
    const doc = example('transaction-invoice.json');
    const tax = readerOf({ keyId: 'k', name: 'tax', roles: ['regulator'], scopes: ['tax'] });
    const customs = readerOf({ keyId: 'k', name: 'customs', roles: ['regulator'], scopes: ['customs'] });
    const taxView = visibleFields(schema, doc, tax) as { bizTransactionList: Array<Record<string, unknown>> };
    const customsView = visibleFields(schema, doc, customs) as { bizTransactionList: Array<Record<string, unknown>> };
    expect(taxView.bizTransactionList[0]).toMatchObject({ 'sy:amount': 38.4, 'sy:currency': 'CNY' });
    expect(customsView.bizTransactionList[0]).not.toHaveProperty('sy:amount');
    expect(customsView.bizTransactionList[0]).toMatchObject({ 'sy:currency': 'CNY', type: 'inv' });
    const operator = readerOf({ keyId: 'k', name: 'ops', roles: ['operator'], scopes: [] });
    expect(visibleFields(schema, doc, operator)).toHaveProperty('sy:operator');
  });

  it('hides fields the schema does not describe from everyone but admin', () => {
    const doc = { ...example('object-market-entering.json'), unknownField: 1 };
    expect(visibleFields(schema, doc, readerOf({ keyId: 'k', name: 'r', roles: ['regulator'], scopes: [] }))).not.toHaveProperty('unknownField');
    expect(visibleFields(schema, doc, ADMIN_READER)).toHaveProperty('unknownField', 1);
  });

  it('gives every field of every example a classification, and public view only public paths', () => {
    for (const file of readdirSync(EXAMPLES)) {
      const view = visibleFields(schema, example(file), PUBLIC_READER);
      for (const { path, classification } of classifiedPaths(schema, view)) expect(classification, `${file} ${path}`).toBe('public');
      for (const { path, classification } of classifiedPaths(schema, example(file))) expect(classification, `${file} ${path}`).toBeDefined();
    }
  });
});
