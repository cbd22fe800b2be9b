/**
 * A large, valid mapping whose sibling members JSONata evaluates concurrently stays within its time
 * budget: the guard's pauses are counted once, not once per waiting branch (counted per branch, a
 * 100-line hospital receipt was refused with MAPPING_TIMEOUT after well under 100 ms).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { soapFormat } from '../src/formats/index.ts';
import { MappingEngine } from '../src/mapping/index.ts';
import { hospitalReceipt, RECEIPT_OPTIONS } from '../bench/fixtures/pipeline-fixtures.ts';

describe('the mapping guard on a large batch', () => {
  it('maps a 100-line hospital receipt inside its 1 s budget', async () => {
    const engine = new MappingEngine({ limits: { timeoutMs: 1000 } });
    const source = readFileSync('bench/fixtures/hospital-receipt.jsonata', 'utf8');
    const text = hospitalReceipt(100);
    const [record] = soapFormat.split(soapFormat.parse(text, RECEIPT_OPTIONS), RECEIPT_OPTIONS);
    const result = await engine.evaluate({ id: 'receipt', version: '1.0.0', source }, record?.value, { now: new Date('2026-01-01T00:00:00Z') });
    expect(result).toBeDefined();
  });
});
