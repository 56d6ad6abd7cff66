/** Kubernetes label and field selectors (the string forms used in `labelSelector=` / `fieldSelector=`). */

export class SelectorError extends Error {}

type LabelRequirement =
  | { op: 'exists' | '!exists'; key: string }
  | { op: '=' | '!='; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: '>' | '<'; key: string; value: number };

export type Matcher = (obj: KubeObject) => boolean;

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
};

const KEY = String.raw`[A-Za-z0-9][A-Za-z0-9._\-/]*`;
const VALUE = String.raw`[A-Za-z0-9._\-]*`;
const RE_NOT_EXISTS = new RegExp(`^!\\s*(${KEY})$`);
const RE_EXISTS = new RegExp(`^(${KEY})$`);
const RE_SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^()]*)\\)$`);
const RE_EQ = new RegExp(`^(${KEY})\\s*(==|!=|=)\\s*(${VALUE})$`);
const RE_CMP = new RegExp(`^(${KEY})\\s*(>|<)\\s*(-?\\d+)$`);
const RE_VALUE = new RegExp(`^${VALUE}$`);

/** Splits at commas that are not inside parentheses. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) throw new SelectorError(`unbalanced parentheses in selector "${s}"`);
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (depth !== 0) throw new SelectorError(`unbalanced parentheses in selector "${s}"`);
  parts.push(cur);
  return parts.map((p) => p.trim());
}

export function parseLabelSelector(selector: string | null | undefined): Matcher {
  if (selector === null || selector === undefined || selector.trim() === '') return () => true;
  const reqs: LabelRequirement[] = [];
  for (const part of splitTopLevel(selector)) {
    if (part === '') throw new SelectorError(`empty requirement in label selector "${selector}"`);
    let m: RegExpExecArray | null;
    if ((m = RE_NOT_EXISTS.exec(part))) reqs.push({ op: '!exists', key: m[1]! });
    else if ((m = RE_SET.exec(part))) {
      const values = m[3]!.split(',').map((v) => v.trim());
      for (const v of values) if (!RE_VALUE.test(v)) throw new SelectorError(`invalid label value "${v}"`);
      reqs.push({ op: m[2] as 'in' | 'notin', key: m[1]!, values });
    } else if ((m = RE_EQ.exec(part))) reqs.push({ op: m[2] === '!=' ? '!=' : '=', key: m[1]!, value: m[3]! });
    else if ((m = RE_CMP.exec(part))) reqs.push({ op: m[2] as '>' | '<', key: m[1]!, value: Number(m[3]) });
    else if ((m = RE_EXISTS.exec(part))) reqs.push({ op: 'exists', key: m[1]! });
    else throw new SelectorError(`unable to parse requirement "${part}" in label selector`);
  }
  return (obj) => {
    const labels = obj.metadata.labels ?? {};
    return reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      const v = has ? labels[r.key] : undefined;
      switch (r.op) {
        case 'exists':
          return has;
        case '!exists':
          return !has;
        case '=':
          return has && v === r.value;
        case '!=':
          return !has || v !== r.value;
        case 'in':
          return has && r.values.includes(v ?? '');
        case 'notin':
          return !has || !r.values.includes(v ?? '');
        case '>':
        case '<': {
          if (!has || !/^-?\d+$/.test(v ?? '')) return false;
          const n = Number(v);
          return r.op === '>' ? n > r.value : n < r.value;
        }
      }
    });
  };
}

/** Reads a dotted path (`metadata.name`, `status.phase`, `spec.nodeName`); missing → ''. */
export function fieldValue(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[seg];
  }
  if (cur === undefined || cur === null) return '';
  if (typeof cur === 'string' || typeof cur === 'number' || typeof cur === 'boolean') return String(cur);
  return '';
}

const RE_FIELD = /^([A-Za-z0-9_.\-]+)\s*(==|!=|=)\s*(.*)$/;

export function parseFieldSelector(selector: string | null | undefined): Matcher {
  if (selector === null || selector === undefined || selector.trim() === '') return () => true;
  const reqs: { path: string; neg: boolean; value: string }[] = [];
  for (const raw of selector.split(',')) {
    const part = raw.trim();
    const m = RE_FIELD.exec(part);
    if (!m) throw new SelectorError(`invalid field selector requirement "${part}"`);
    reqs.push({ path: m[1]!, neg: m[2] === '!=', value: m[3]!.trim() });
  }
  return (obj) => reqs.every((r) => (fieldValue(obj, r.path) === r.value) !== r.neg);
}
