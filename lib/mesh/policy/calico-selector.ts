// Calico selector expressions (docs/classification.md §8.3): the language of `selector`, `namespaceSelector`
// and `serviceAccounts.selector` in projectcalico.org/v3 policies. Grammar (Calico's selector parser):
//
//   expr    := or
//   or      := and ('||' and)*
//   and     := unary ('&&' unary)*
//   unary   := '!' unary | primary
//   primary := '(' expr ')' | 'all()' | 'global()' | 'has(' key ')'
//            | key ('==' | '!=') string | key ['not'] 'in' '{' [string (',' string)*] '}'
//            | key ['not'] ('contains' | 'starts with' | 'ends with') string
//
// Strings are single- or double-quoted. An empty selector is all(). A selector that does not parse selects
// nothing (Calico rejects the object; nothing it would enforce can be inferred from it).
import type { Labels } from '../types';

export type CalicoSelector = (labels: Labels) => boolean;

type Tok = { t: 'op' | 'str' | 'word'; v: string };

const KEY = /^[A-Za-z0-9_./-]+$/;

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === '==' || two === '!=') {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('!(){},'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new Error('unterminated string');
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const m = /^[A-Za-z0-9_./-]+/.exec(src.slice(i));
    if (!m) throw new Error(`unexpected character ${c}`);
    out.push({ t: 'word', v: m[0] });
    i += m[0].length;
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(offset = 0): Tok | undefined {
    return this.toks[this.i + offset];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t?.t === 'op' && t.v === v;
  }
  private isWord(v: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.t === 'word' && t.v === v;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) throw new Error(`expected ${v}`);
    this.i++;
  }
  private str(): string {
    const t = this.peek();
    if (t?.t !== 'str') throw new Error('expected a quoted string');
    this.i++;
    return t.v;
  }

  parse(): CalicoSelector {
    if (this.toks.length === 0) return () => true;
    const e = this.or();
    if (this.i !== this.toks.length) throw new Error('trailing input');
    return e;
  }

  private or(): CalicoSelector {
    return this.chain('||', () => this.and(), false);
  }

  private and(): CalicoSelector {
    return this.chain('&&', () => this.unary(), true);
  }

  /** `next (op next)*`: every part (&&) or any part (||). */
  private chain(op: string, next: () => CalicoSelector, every: boolean): CalicoSelector {
    const parts = [next()];
    while (this.isOp(op)) {
      this.i++;
      parts.push(next());
    }
    if (parts.length === 1) return parts[0]!;
    return every ? (l) => parts.every((p) => p(l)) : (l) => parts.some((p) => p(l));
  }

  private unary(): CalicoSelector {
    if (this.isOp('!')) {
      this.i++;
      const inner = this.unary();
      return (l) => !inner(l);
    }
    return this.primary();
  }

  private primary(): CalicoSelector {
    if (this.isOp('(')) {
      this.i++;
      const e = this.or();
      this.expectOp(')');
      return e;
    }
    const t = this.peek();
    if (t?.t !== 'word') throw new Error('expected a label key or function');
    // all() / global() / has(key)
    if ((t.v === 'all' || t.v === 'global' || t.v === 'has') && this.peek(1)?.t === 'op' && this.peek(1)?.v === '(') {
      this.i += 2;
      if (t.v === 'has') {
        const k = this.peek();
        if (k?.t !== 'word' || !KEY.test(k.v)) throw new Error('has() needs a label key');
        this.i++;
        this.expectOp(')');
        return (l) => Object.hasOwn(l, k.v);
      }
      this.expectOp(')');
      // global() selects non-namespaced resources (host endpoints, network sets); pods are namespaced.
      return t.v === 'all' ? () => true : () => false;
    }
    const key = t.v;
    this.i++;
    if (this.isOp('==') || this.isOp('!=')) {
      const eq = this.peek()!.v === '==';
      this.i++;
      const v = this.str();
      // Calico: `k != v` is true when k is absent.
      return eq ? (l) => l[key] === v : (l) => l[key] !== v;
    }
    let negate = false;
    if (this.isWord('not')) {
      negate = true;
      this.i++;
    }
    if (this.isWord('in')) {
      this.i++;
      this.expectOp('{');
      const values = new Set<string>();
      if (!this.isOp('}')) {
        values.add(this.str());
        while (this.isOp(',')) {
          this.i++;
          values.add(this.str());
        }
      }
      this.expectOp('}');
      // `k in {…}` needs k present; `k not in {…}` is true when k is absent.
      return negate ? (l) => !(Object.hasOwn(l, key) && values.has(l[key]!)) : (l) => Object.hasOwn(l, key) && values.has(l[key]!);
    }
    let test: ((v: string, arg: string) => boolean) | undefined;
    if (this.isWord('contains')) {
      this.i++;
      test = (v, a) => v.includes(a);
    } else if (this.isWord('starts') && this.isWord('with', 1)) {
      this.i += 2;
      test = (v, a) => v.startsWith(a);
    } else if (this.isWord('ends') && this.isWord('with', 1)) {
      this.i += 2;
      test = (v, a) => v.endsWith(a);
    }
    if (!test) throw new Error(`expected an operator after ${key}`);
    const arg = this.str();
    const f = test;
    return negate ? (l) => !(Object.hasOwn(l, key) && f(l[key]!, arg)) : (l) => Object.hasOwn(l, key) && f(l[key]!, arg);
  }
}

/** Parse a Calico selector; undefined when it does not parse. */
export function parseCalicoSelector(src: string): CalicoSelector | undefined {
  try {
    return new Parser(tokenize(src)).parse();
  } catch {
    return undefined;
  }
}

const CACHE = new Map<string, CalicoSelector | undefined>();
/** Cached parse + match; an invalid selector matches nothing. */
export function calicoSelectorMatches(src: string | undefined, labels: Labels): boolean {
  const s = src ?? '';
  let sel = CACHE.get(s);
  if (!CACHE.has(s)) {
    sel = parseCalicoSelector(s);
    if (CACHE.size > 5000) CACHE.clear();
    CACHE.set(s, sel);
  }
  return sel !== undefined && sel(labels);
}
