/** Words for differences, in English and Chinese, for messages and `suyuan standards diff`. */
import type { DifferenceType } from './difference-types.ts';

/** What a difference is about, beyond its type and place. Fields are absent when they do not apply. */
export interface DifferenceDetail {
  /** The property, item index, dependency or rule the difference is about. */
  readonly name?: string;
  /** The value in the original schema (a bound, a type, a combinator, a code list). */
  readonly from?: unknown;
  /** The value in the update. */
  readonly to?: unknown;
  /** For a property added: whether the update requires it. */
  readonly required?: boolean;
}

/** A difference in words: what changed, and the content model or reason it was judged in. */
export interface Wording {
  readonly en: string;
  readonly zh: string;
  readonly context: { readonly en: string; readonly zh: string } | undefined;
}

const VERBS: ReadonlyArray<readonly [string, string, string]> = [
  ['_ADDED', 'added', '新增'], ['_REMOVED', 'removed', '删除'], ['_INCREASED', 'increased', '增大'],
  ['_DECREASED', 'decreased', '减小'], ['_EXPANDED', 'expanded', '扩大'], ['_REDUCED', 'reduced', '缩小'],
  ['_EXTENDED', 'extended', '放宽'], ['_NARROWED', 'narrowed', '收窄'], ['_CHANGED', 'changed', '更改'],
];

const OPEN = { en: 'open content model', zh: '开放内容模型' };
const UNOPEN = { en: 'closed or partially open content model', zh: '封闭或部分开放内容模型' };
const CLOSED = { en: 'closed content model', zh: '封闭内容模型' };
const COVERED = { en: 'covered by patternProperties/additionalProperties', zh: '由 patternProperties/additionalProperties 覆盖' };
const NOT_COVERED = { en: 'not covered by patternProperties/additionalProperties', zh: '未被 patternProperties/additionalProperties 覆盖' };

/** Words one difference. `pointer` is its JSON Pointer into the schema as written. */
export function wordDifference(type: DifferenceType, detail: DifferenceDetail, pointer: string): Wording {
  const at = pointer === '' ? '/' : pointer;
  const parent = pointer.slice(0, pointer.lastIndexOf('/')) || '/';
  const name = JSON.stringify(detail.name ?? '');
  const values = pointer.endsWith('/enum') ? ` (${show(detail.from)} removed, ${show(detail.to)} added)` : ` (${show(detail.from)} → ${show(detail.to)})`;
  const fromTo = 'from' in detail || 'to' in detail ? values : '';
  const member = structural(type, name, parent, detail);
  if (member) return member;
  const rule = /\/x-rules\/[^/]+$/.test(pointer);
  if (rule) {
    const added = type === 'PRODUCT_TYPE_EXTENDED';
    return plain(`rule ${name} ${added ? 'added to' : 'removed from'} ${parent.replace(/\/x-rules$/, '') || '/'}`,
      `${parent.replace(/\/x-rules$/, '') || '/'} ${added ? '新增' : '删除'}规则 ${name}`);
  }
  const on = pointer === '' ? '' : ` of ${pointer}`;
  const onZh = pointer === '' ? '' : `${pointer} 的`;
  switch (type) {
    case 'ID_CHANGED': return plain(`$id${on} changed${fromTo}`, `${onZh}$id 已更改${fromTo}`);
    case 'TITLE_CHANGED': return plain(`title${on} changed`, `${onZh}标题已更改`);
    case 'DESCRIPTION_CHANGED': return plain(`description${on} changed`, `${onZh}说明已更改`);
    case 'DEFAULT_CHANGED': return plain(`default${on} changed${fromTo}`, `${onZh}默认值已更改${fromTo}`);
    case 'TYPE_EXTENDED': return plain(`type extended at ${at}${fromTo}`, `${at} 类型放宽${fromTo}`);
    case 'TYPE_NARROWED': return plain(`type narrowed at ${at}${fromTo}`, `${at} 类型收窄${fromTo}`);
    case 'COMBINED_TYPE_EXTENDED': return plain(`combinator relaxed at ${at}${fromTo}`, `${at} 组合方式放宽${fromTo}`);
    case 'COMBINED_TYPE_CHANGED': return plain(`combinator changed at ${at}${fromTo}`, `${at} 组合方式已更改${fromTo}`);
    case 'DEPENDENCY_ARRAY_ADDED': case 'DEPENDENCY_ARRAY_REMOVED': case 'DEPENDENCY_ARRAY_EXTENDED':
    case 'DEPENDENCY_ARRAY_NARROWED': case 'DEPENDENCY_ARRAY_CHANGED': case 'DEPENDENCY_SCHEMA_ADDED': case 'DEPENDENCY_SCHEMA_REMOVED': {
      const [, verb = 'changed', verbZh = '更改'] = VERBS.find(([suffix]) => type.endsWith(suffix)) ?? [];
      const keyword = type.startsWith('DEPENDENCY_ARRAY') ? 'dependentRequired' : 'dependentSchemas';
      return plain(`${keyword} ${name} ${verb} at ${parent.replace(/\/[^/]*$/, '') || '/'}${fromTo}`,
        `${parent.replace(/\/[^/]*$/, '') || '/'} 的 ${keyword} ${name} ${verbZh}${fromTo}`);
    }
    case 'TYPE_CHANGED': return plain(`type changed at ${at}${fromTo}`, `${at} 类型已更改${fromTo}`);
    case 'SCHEMA_ADDED': return plain(`schema added at ${at}`, `${at} 新增模式`);
    case 'SCHEMA_REMOVED': return plain(`schema removed at ${at}`, `${at} 删除模式`);
    case 'COMBINED_TYPE_SUBSCHEMAS_CHANGED':
      return plain(`subschemas at ${at} changed with no compatible match`, `${at} 的子模式已更改且无兼容对应`);
    case 'SUM_TYPE_EXTENDED': return plain(`alternatives added at ${at}`, `${at} 新增可选分支`);
    case 'SUM_TYPE_NARROWED': return plain(`alternatives removed at ${at}`, `${at} 删除可选分支`);
    case 'PRODUCT_TYPE_EXTENDED': return plain(`constraints (allOf) added at ${at}`, `${at} 新增约束 (allOf)`);
    case 'PRODUCT_TYPE_NARROWED': return plain(`constraints (allOf) removed at ${at}`, `${at} 删除约束 (allOf)`);
    case 'NOT_TYPE_EXTENDED': return plain(`"not" excludes more at ${at}`, `${at} 的 not 排除更多值`);
    case 'NOT_TYPE_NARROWED': return plain(`"not" excludes less at ${at}`, `${at} 的 not 排除更少值`);
    case 'ADDITIONAL_PROPERTIES_ADDED': return plain(`additional properties allowed at ${at}`, `${at} 允许附加属性`);
    case 'ADDITIONAL_PROPERTIES_REMOVED': return plain(`additional properties forbidden at ${at}`, `${at} 禁止附加属性`);
    case 'ADDITIONAL_PROPERTIES_EXTENDED': return plain(`additional properties no longer restricted at ${at}`, `${at} 附加属性不再受限`);
    case 'ADDITIONAL_PROPERTIES_NARROWED': return plain(`additional properties restricted at ${at}`, `${at} 附加属性受限`);
    case 'ADDITIONAL_ITEMS_ADDED': return plain(`further items allowed at ${at}`, `${at} 允许更多数组项`);
    case 'ADDITIONAL_ITEMS_REMOVED': return plain(`further items forbidden at ${at}`, `${at} 禁止更多数组项`);
    case 'ADDITIONAL_ITEMS_EXTENDED': return plain(`further items no longer restricted at ${at}`, `${at} 更多数组项不再受限`);
    case 'ADDITIONAL_ITEMS_NARROWED': return plain(`further items restricted at ${at}`, `${at} 更多数组项受限`);
    case 'REQUIRED_ATTRIBUTE_ADDED': return plain(`property ${name} made required`, `属性 ${name} 改为必填`);
    case 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED':
      return plain(`property ${name} made required (it has a default)`, `属性 ${name} 改为必填（有默认值）`);
    case 'REQUIRED_ATTRIBUTE_REMOVED': return plain(`property ${name} made optional`, `属性 ${name} 改为选填`);
    default: break;
  }
  const verb = VERBS.find(([suffix]) => type.endsWith(suffix));
  const keyword = pointer.slice(pointer.lastIndexOf('/') + 1) || type.toLowerCase();
  if (verb) {
    const where = parent === '/' ? '' : ` at ${parent}`;
    return plain(`${keyword} ${verb[1]}${where}${fromTo}`, `${parent === '/' ? '' : `${parent} 的 `}${keyword} ${verb[2]}${fromTo}`);
  }
  return plain(`${type.toLowerCase().replace(/_/g, ' ')} at ${at}`, `${at}: ${type}`);
}

/** The sign a `diff` line starts with: `+` added, `-` removed, `~` changed. */
export function signOf(type: DifferenceType): '+' | '-' | '~' {
  if (type.includes('_ADDED') || type === 'SUM_TYPE_EXTENDED' || type === 'PRODUCT_TYPE_EXTENDED') return '+';
  if (type.includes('_REMOVED') || type === 'SUM_TYPE_NARROWED' || type === 'PRODUCT_TYPE_NARROWED') return '-';
  return '~';
}

function structural(type: DifferenceType, name: string, parent: string, detail: DifferenceDetail): Wording | undefined {
  const item = type.startsWith('ITEM_');
  const noun = item ? { en: `item ${detail.name ?? ''}`, zh: `数组项 ${detail.name ?? ''}` } : { en: `property ${name}`, zh: `属性 ${name}` };
  const into = parent;
  const added = (kind: string, kindZh: string, context: Wording['context']): Wording =>
    ({ en: `${kind}${noun.en} added to ${into}`, zh: `${into} 新增${kindZh}${noun.zh}`, context });
  const removed = (context: Wording['context']): Wording =>
    ({ en: `${noun.en} removed from ${into}`, zh: `${into} 删除${noun.zh}`, context });
  const optional = detail.required === true ? ['required ', '必填'] : ['optional ', '选填'];
  switch (type) {
    case 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL': case 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL':
      return added(item ? '' : optional[0] ?? '', item ? '' : optional[1] ?? '', OPEN);
    case 'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL': case 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL':
      return added('unconstrained ', '无约束', OPEN);
    case 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL': return added('required ', '必填', UNOPEN);
    case 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL': return added('required (defaulted) ', '必填（有默认值）', UNOPEN);
    case 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL': return added('optional ', '选填', UNOPEN);
    case 'ITEM_ADDED_TO_CLOSED_CONTENT_MODEL': return added('', '', CLOSED);
    case 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL': case 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL':
      return added('', '', COVERED);
    case 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL': case 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL':
      return added('', '', NOT_COVERED);
    case 'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL': case 'ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL': return removed(OPEN);
    case 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL': case 'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL':
      return removed({ en: 'it was forbidden (false); closed content model', zh: '原为禁止 (false)；封闭内容模型' });
    case 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL': case 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL': return removed(CLOSED);
    case 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL': case 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL':
      return removed(COVERED);
    case 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL': case 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL':
      return removed(NOT_COVERED);
    default: return undefined;
  }
}

function plain(en: string, zh: string): Wording {
  return { en, zh, context: undefined };
}

function show(value: unknown): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}
