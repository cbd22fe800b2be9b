/**
 * Subscriptions, as data: a department or platform subscribes to standard events by category, region,
 * bizStep, event type or party, naming the outbound adapter (and its message type) that carries them.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { LoadedAdapter } from '../adapters/manifest.ts';
import { SuyuanError, type Problem } from '../errors.ts';
import type { DeliveryTables, SubscriptionRow } from './tables.ts';

/** Which events: every given list narrows (all must match), an event matches a list when it matches any item of it. */
export interface SubscriptionFilter {
  /** Product categories (`sy:category`), e.g. `drugs`, `meat-poultry`. */
  readonly categories?: readonly string[];
  /** GB/T 2260 codes; a province or prefecture code takes in every region under it (`320000` is all of Jiangsu). */
  readonly regions?: readonly string[];
  /** CBV words (`shipping`) or the standard's own URIs (`urn:suyuan:bizstep:slaughtering`). */
  readonly bizSteps?: readonly string[];
  readonly eventTypes?: readonly string[];
  /** Parties by Unified Social Credit Code (or any source/destination id): the operator, the manufacturer, sources and destinations. */
  readonly parties?: readonly string[];
}

export interface Subscription {
  readonly id: string;
  readonly subscriber: string;
  readonly adapter: string;
  readonly type: string;
  readonly filter: SubscriptionFilter;
  readonly active: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What a caller gives to create or replace a subscription. */
export interface SubscriptionInput {
  readonly subscriber: string;
  readonly adapter: string;
  readonly type?: string;
  readonly filter?: SubscriptionFilter;
  readonly active?: boolean;
}

const FILTER_KEYS = ['categories', 'regions', 'bizSteps', 'eventTypes', 'parties'] as const;
const EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'];
const CBV_STEP = /^(?:https:\/\/ref\.gs1\.org\/cbv\/BizStep-|urn:epcglobal:cbv:bizstep:)/;

/** A CBV bizStep in its bare-word form; any other URI as it is. */
export const bizStepWord = (step: string): string => step.replace(CBV_STEP, '');

/** What a subscription can match an event on. */
export interface EventFacets {
  readonly category?: string;
  readonly region?: string;
  readonly bizStep?: string;
  readonly eventType?: string;
  readonly parties: readonly string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Reads the facets of a standard event of either major (1.x `sy:region`, 2.x `sy:place`; operator as text or `{sy:uscc}`). */
export function facetsOf(event: unknown): EventFacets {
  const e = (event ?? {}) as Record<string, unknown>;
  const place = e['sy:place'] as Record<string, unknown> | undefined;
  const operator = e['sy:operator'];
  const ilmd = e.ilmd as Record<string, unknown> | undefined;
  const parties = [
    str(operator) ?? str((operator as Record<string, unknown> | undefined)?.['sy:uscc']),
    str(ilmd?.['sy:manufacturer']),
    ...((Array.isArray(e.sourceList) ? e.sourceList : []) as Array<Record<string, unknown>>).map((s) => str(s.source)),
    ...((Array.isArray(e.destinationList) ? e.destinationList : []) as Array<Record<string, unknown>>).map((d) => str(d.destination)),
  ].filter((p): p is string => p !== undefined);
  const region = str(e['sy:region']) ?? str(place?.['sy:region']);
  const category = str(e['sy:category']);
  const bizStep = str(e.bizStep);
  const eventType = str(e.type);
  return {
    parties, ...(region ? { region } : {}), ...(category ? { category } : {}),
    ...(bizStep ? { bizStep: bizStepWord(bizStep) } : {}), ...(eventType ? { eventType } : {}),
  };
}

/** Whether an event with these facets is one the filter asks for. */
export function matches(filter: SubscriptionFilter, facets: EventFacets): boolean {
  const within = (list: readonly string[] | undefined, value: string | undefined, test = (a: string, b: string) => a === b) =>
    list === undefined || list.length === 0 || (value !== undefined && list.some((item) => test(item, value)));
  const inRegion = (code: string, region: string) => region.startsWith(code.replace(/(00)+$/, ''));
  return within(filter.categories, facets.category)
    && within(filter.regions, facets.region, inRegion)
    && within(filter.bizSteps, facets.bizStep, (a, b) => bizStepWord(a) === b)
    && within(filter.eventTypes, facets.eventType)
    && (filter.parties === undefined || filter.parties.length === 0 || facets.parties.some((p) => filter.parties?.includes(p)));
}

/** Checks an input against the loaded adapters; every problem at once, as `SUBSCRIPTION_INVALID`. */
export function checkInput(input: unknown, adapters: ReadonlyMap<string, LoadedAdapter>): Required<Omit<SubscriptionInput, 'filter'>> & { filter: SubscriptionFilter } {
  const problems: Problem[] = [];
  const add = (path: string, message: string, code = 'SUBSCRIPTION_FIELD') => problems.push({ code, path, message });
  const body = (input ?? {}) as Record<string, unknown>;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) add('', '应为对象 / must be an object');
  for (const key of Object.keys(body)) if (!['subscriber', 'adapter', 'type', 'filter', 'active'].includes(key)) add(`/${key}`, `未知字段 / unknown field "${key}"`);
  const subscriber = typeof body.subscriber === 'string' ? body.subscriber.trim() : '';
  if (subscriber === '' || subscriber.length > 200) add('/subscriber', '订阅方名称必填，至多 200 字 / the subscriber\'s name is required, at most 200 characters');
  const adapterId = typeof body.adapter === 'string' ? body.adapter : '';
  const adapter = adapters.get(adapterId);
  const messages = adapter?.manifest.outbound?.messages ?? [];
  let type = typeof body.type === 'string' ? body.type : '';
  if (!adapter?.manifest.outbound) add('/adapter', `没有发送消息的适配器 / no outbound adapter "${adapterId}"`, 'ADAPTER_NOT_FOUND');
  else if (type === '' && messages.length === 1) type = messages[0]?.type ?? '';
  else if (!messages.some((m) => m.type === type)) add('/type', `适配器 ${adapterId} 发送的消息类型之一 / one of the message types ${adapterId} sends: ${messages.map((m) => m.type).join(', ')}`);
  if (body.active !== undefined && typeof body.active !== 'boolean') add('/active', '应为 true 或 false / must be true or false');
  const filter: Record<string, string[]> = {};
  const raw = body.filter ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) add('/filter', '应为对象 / must be an object');
  else {
    for (const [key, value] of Object.entries(raw)) {
      if (!(FILTER_KEYS as readonly string[]).includes(key)) { add(`/filter/${key}`, `未知条件 / unknown criterion; use ${FILTER_KEYS.join(', ')}`); continue; }
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) { add(`/filter/${key}`, '应为非空文本的数组 / must be an array of non-empty strings'); continue; }
      (value as string[]).forEach((v, i) => {
        if (key === 'regions' && !/^\d{6}$/.test(v)) add(`/filter/regions/${i}`, `应为 6 位 GB/T 2260 代码 / must be a 6-digit GB/T 2260 code, not "${v}"`);
        if (key === 'eventTypes' && !EVENT_TYPES.includes(v)) add(`/filter/eventTypes/${i}`, `应为 ${EVENT_TYPES.join(', ')} 之一 / must be one of ${EVENT_TYPES.join(', ')}`);
      });
      filter[key] = [...(value as string[])];
    }
  }
  if (problems.length > 0) throw new SuyuanError('SUBSCRIPTION_INVALID', `${problems.length} problem(s) in the subscription`, { problems });
  return { subscriber, adapter: adapterId, type, filter, active: body.active !== false };
}

const toSubscription = (r: SubscriptionRow): Subscription => ({
  id: r.id, subscriber: r.subscriber, adapter: r.adapter, type: r.type, filter: JSON.parse(r.filter) as SubscriptionFilter,
  active: r.active === 1, createdAt: r.created_at, updatedAt: r.updated_at,
});

/** Subscriptions in the hub's database. Writes check the input against the loaded adapters. */
export class SubscriptionStore {
  readonly #db: Kysely<DeliveryTables>;
  readonly #adapters: ReadonlyMap<string, LoadedAdapter>;
  readonly #now: () => Date;

  constructor(db: Kysely<DeliveryTables>, adapters: ReadonlyMap<string, LoadedAdapter>, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#adapters = adapters;
    this.#now = now;
  }

  async list(filter: { adapter?: string; subscriber?: string } = {}): Promise<Subscription[]> {
    let q = this.#db.selectFrom('subscriptions').selectAll().orderBy('created_at').orderBy('id');
    if (filter.adapter !== undefined) q = q.where('adapter', '=', filter.adapter);
    if (filter.subscriber !== undefined) q = q.where('subscriber', '=', filter.subscriber);
    return (await q.execute()).map(toSubscription);
  }

  /** The subscription; `SUBSCRIPTION_NOT_FOUND` when there is none. */
  async get(id: string): Promise<Subscription> {
    const row = await this.#db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new SuyuanError('SUBSCRIPTION_NOT_FOUND', `no subscription ${id}`, { detail: { subscription: id } });
    return toSubscription(row);
  }

  async create(input: unknown): Promise<Subscription> {
    const s = checkInput(input, this.#adapters);
    const at = this.#now().toISOString();
    const id = `sub-${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    await this.#db.insertInto('subscriptions').values({
      id, subscriber: s.subscriber, adapter: s.adapter, type: s.type, filter: JSON.stringify(s.filter), active: s.active ? 1 : 0, created_at: at, updated_at: at,
    }).execute();
    return this.get(id);
  }

  async replace(id: string, input: unknown): Promise<Subscription> {
    await this.get(id);
    const s = checkInput(input, this.#adapters);
    await this.#db.updateTable('subscriptions').set({
      subscriber: s.subscriber, adapter: s.adapter, type: s.type, filter: JSON.stringify(s.filter), active: s.active ? 1 : 0, updated_at: this.#now().toISOString(),
    }).where('id', '=', id).execute();
    return this.get(id);
  }

  async remove(id: string): Promise<Subscription> {
    const existing = await this.get(id);
    await this.#db.deleteFrom('subscriptions').where('id', '=', id).execute();
    return existing;
  }

  /** The active subscriptions an event matches. */
  async matching(event: unknown): Promise<Subscription[]> {
    const facets = facetsOf(event);
    const rows = await this.#db.selectFrom('subscriptions').selectAll().where('active', '=', 1).execute();
    return rows.map(toSubscription).filter((s) => matches(s.filter, facets));
  }
}
