/**
 * The standard as a readable HTML document: one section per subject version, a table of its fields
 * with Chinese and English titles, type and constraints, classification, and an example.
 */
import type { SubjectVersion, VersionStatus } from './catalog.ts';
import { readExamples } from './examples.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './json.ts';

const STATUS_TITLES: Readonly<Record<VersionStatus, string>> = {
  draft: '草案 draft', published: '已发布 published', deprecated: '已弃用 deprecated', retired: '已废止 retired',
};

export interface FieldRow {
  readonly path: string;
  readonly titleZh: string;
  readonly titleEn: string;
  readonly descriptionZh: string;
  readonly descriptionEn: string;
  readonly required: boolean;
  readonly constraints: string;
  readonly classification: string;
}

/** Splits `中文 / English` into its two halves (English empty when there is no separator). */
export function splitBilingual(text: unknown): [string, string] {
  if (typeof text !== 'string') return ['', ''];
  const at = text.indexOf(' / ');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 3)];
}

const CONSTRAINT_KEYS = ['format', 'pattern', 'const', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'x-code-list', 'x-rules'];

function constraintsOf(schema: JsonObject): string {
  const parts: string[] = [];
  const type = schema.type ?? (schema.$ref ? `→ ${String(schema.$ref).replace(/^#\/\$defs\//, '')}` : undefined);
  if (type !== undefined) parts.push(Array.isArray(type) ? type.join(' | ') : String(type));
  if (Array.isArray(schema.enum)) parts.push(`enum: ${schema.enum.slice(0, 12).map(String).join(', ')}${schema.enum.length > 12 ? ', …' : ''}`);
  for (const key of CONSTRAINT_KEYS) if (schema[key] !== undefined) parts.push(`${key}: ${JSON.stringify(schema[key])}`);
  if (isJsonObject(schema.items)) {
    const inner = constraintsOf(schema.items);
    if (inner) parts.push(`items: ${inner}`);
  }
  return parts.join('; ');
}

/** Resolves a local `#/$defs/...` reference, one step. */
function local(root: JsonObject, schema: JsonValue): JsonObject | undefined {
  if (!isJsonObject(schema)) return undefined;
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
    const defs = root.$defs;
    const target = isJsonObject(defs) ? defs[ref.slice(8)] : undefined;
    return isJsonObject(target) ? { ...target, ...schema } : schema;
  }
  return schema;
}

/** Rows for every field, depth first, following local references and `allOf`, `oneOf`, `items`. */
export function fieldRows(root: JsonObject): FieldRow[] {
  const rows: FieldRow[] = [];
  const seen = new Set<string>();
  const walk = (node: JsonValue, prefix: string, depth: number): void => {
    const schema = local(root, node);
    if (!schema || depth > 8) return;
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    if (isJsonObject(schema.properties)) {
      for (const [name, raw] of Object.entries(schema.properties)) {
        const prop = local(root, raw);
        if (!prop) continue;
        const path = `${prefix}${prefix ? '.' : ''}${name}`;
        if (!seen.has(path)) {
          seen.add(path);
          const [titleZh, titleEn] = splitBilingual(prop.title);
          const [descriptionZh, descriptionEn] = splitBilingual(prop.description);
          rows.push({ path, titleZh, titleEn, descriptionZh, descriptionEn, required: required.has(name), constraints: constraintsOf(prop), classification: String(prop['x-classification'] ?? '') });
        }
        walk(prop, path, depth + 1);
        if (isJsonObject(prop.items)) walk(prop.items, `${path}[]`, depth + 1);
      }
    }
    for (const key of ['allOf', 'oneOf', 'anyOf']) {
      const list = schema[key];
      if (Array.isArray(list)) for (const sub of list) walk(sub, prefix, depth + 1);
    }
    for (const key of ['then', 'else']) if (schema[key] !== undefined) walk(schema[key], prefix, depth + 1);
  };
  walk(root, '', 0);
  return rows;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The anchor of a subject version's section. */
export const sectionId = (v: Pick<SubjectVersion, 'subject' | 'version'>): string => `${v.subject}@${v.version}`;

export function renderSection(v: SubjectVersion): string {
  const [titleZh, titleEn] = splitBilingual(v.schema.title);
  const [descZh, descEn] = splitBilingual(v.schema.description);
  const example = v.sourceDir ? readExamples(v.sourceDir).valid[0] : undefined;
  const rows = fieldRows(v.schema).map((r) =>
    `<tr><td><code>${escapeHtml(r.path)}</code>${r.required ? ' <span class="req">必填 required</span>' : ''}</td>` +
    `<td>${escapeHtml(r.titleZh)}</td><td>${escapeHtml(r.titleEn)}</td>` +
    `<td>${escapeHtml(r.descriptionZh)}<br><span class="en">${escapeHtml(r.descriptionEn)}</span></td>` +
    `<td><code>${escapeHtml(r.constraints)}</code></td><td class="cls-${escapeHtml(r.classification)}">${escapeHtml(r.classification)}</td></tr>`,
  );
  return [
    `<section id="${escapeHtml(sectionId(v))}">`,
    `<h2>${escapeHtml(titleZh)} <small>${escapeHtml(titleEn)}</small></h2>`,
    `<p class="meta"><code>${escapeHtml(v.subject)}</code> · ${escapeHtml(v.version)} · ${STATUS_TITLES[v.status]} · <code>${escapeHtml(String(v.schema.$id))}</code></p>`,
    `<p>${escapeHtml(descZh)}</p><p class="en">${escapeHtml(descEn)}</p>`,
    '<table><thead><tr><th>字段 Field</th><th>中文名</th><th>English</th><th>说明 Description</th><th>约束 Constraints</th><th>密级 Classification</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table>`,
    example ? `<h3>示例 Example</h3><pre>${escapeHtml(JSON.stringify(example.document, null, 2))}</pre>` : '',
    '</section>',
  ].join('\n');
}

const STYLE = `body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem;max-width:80rem;color:#222}
table{border-collapse:collapse;width:100%;font-size:.9rem;table-layout:fixed}th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left;overflow-wrap:anywhere}
th:nth-child(1){width:15%}th:nth-child(2){width:9%}th:nth-child(3){width:11%}th:nth-child(4){width:35%}th:nth-child(5){width:22%}th:nth-child(6){width:8%}
td code{white-space:pre-wrap;word-break:break-all}
th{background:#f3f3f3}code{font-size:.85rem}.en{color:#555}.req{color:#b00;font-size:.75rem}.meta{color:#666}
pre{background:#f7f7f7;padding:1rem;overflow:auto;font-size:.8rem}.cls-secret{color:#b00}.cls-restricted{color:#c60}.cls-public{color:#070}`;

/** A whole HTML page: a table of contents and one section per subject version given. */
export function renderDocument(versions: readonly SubjectVersion[], heading = '重要产品追溯交换标准 / Trace Exchange Standard'): string {
  const toc = versions.map((v) => `<li><a href="#${escapeHtml(sectionId(v))}">${escapeHtml(splitBilingual(v.schema.title)[0])} <code>${escapeHtml(sectionId(v))}</code></a></li>`);
  return [
    '<!doctype html>',
    '<html lang="zh-CN"><head><meta charset="utf-8">',
    `<title>${escapeHtml(heading)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(heading)}</h1>`,
    `<nav><ol>${toc.join('')}</ol></nav>`,
    ...versions.map(renderSection),
    '</body></html>',
  ].join('\n');
}
