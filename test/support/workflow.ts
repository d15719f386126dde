// Just enough of GitHub Actions to run the README's recipes in tests: the workflows
// are taken from the README's code blocks, parsed with the `yaml` package, and their
// `${{ }}` expressions evaluated the way the runner does (contexts, ==/!=/&&/||/!,
// string literals, always(), success() and failure() (from job.status), startsWith(); comparisons of strings ignore
// case, as GitHub's do). https://docs.github.com/actions/reference/evaluate-expressions-in-workflows-and-actions
import { parse } from 'yaml';

export interface Recipe {
  /** `1`, `2`, … from the `### N. Title` heading. */
  number: string;
  title: string;
  /** The YAML text as the README shows it (comments kept, for the pin check). */
  text: string;
  workflow: Workflow;
}

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

export interface Workflow {
  name?: string;
  on: Record<string, unknown> | string | string[];
  permissions?: Record<string, string>;
  jobs: Record<string, { 'runs-on': unknown; steps: Step[]; permissions?: Record<string, string> }>;
}

/** Every complete workflow (a code block with `jobs:`) under a `### N.` heading of the Recipes section. */
export function recipesOf(readme: string): Recipe[] {
  const section = readme.slice(readme.indexOf('\n## Recipes'), readme.indexOf('\n## ', readme.indexOf('\n## Recipes') + 5));
  const out: Recipe[] = [];
  for (const part of section.split(/\n### /).slice(1)) {
    const heading = /^(\d+)\. (.+)/.exec(part);
    if (!heading) continue;
    for (const block of part.matchAll(/```yaml\n([\s\S]*?)```/g)) {
      const text = block[1]!;
      if (!/^jobs:/m.test(text)) continue;
      out.push({ number: heading[1]!, title: heading[2]!.trim(), text, workflow: parse(text) as Workflow });
    }
  }
  return out;
}

/**
 * The workflows of `### Recipe: Title` headings under `## Pin deploy files to digests`,
 * numbered `pin-1`, `pin-2`, … in README order.
 */
export function pinRecipesOf(readme: string): Recipe[] {
  const start = readme.indexOf('\n## Pin deploy files to digests');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 5));
  const out: Recipe[] = [];
  for (const part of section.split(/\n### /).slice(1)) {
    const heading = /^Recipe: (.+)/.exec(part);
    const block = /```yaml\n([\s\S]*?)```/.exec(part);
    if (!heading || !block) continue;
    const text = block[1]!;
    out.push({ number: `pin-${out.length + 1}`, title: heading[1]!.trim(), text, workflow: parse(text) as Workflow });
  }
  return out;
}

export type Context = Record<string, unknown>;

/** `a ${{ x }} b` → the string the runner passes; a whole-string expression keeps its type (for `if:`). */
export function interpolate(value: unknown, ctx: Context): string {
  if (typeof value !== 'string') return value === undefined || value === null ? '' : String(value);
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => text(evaluate(expr, ctx)));
}

/**
 * An `if:` condition: with or without `${{ }}`; no status function means success(),
 * which is false once a step of the job failed (`job.status` in the context).
 */
export function condition(value: unknown, ctx: Context): boolean {
  if (value === undefined || typeof value === 'boolean') return value !== false && succeeding(ctx);
  const expr = String(value).trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const statusCheck = /\b(success|failure|always|cancelled)\s*\(/.test(expr);
  return (statusCheck || succeeding(ctx)) && truthy(evaluate(expr, ctx));
}

const succeeding = (ctx: Context): boolean => lookup(ctx, 'job.status') !== 'failure';

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function truthy(v: unknown): boolean {
  return !(v === false || v === 0 || v === '' || v === null || v === undefined);
}

type Token = { kind: 'str' | 'num' | 'id' | 'op'; value: string };

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:'((?:[^']|'')*)'|(\d+(?:\.\d+)?)|([A-Za-z_][\w-]*(?:\.[\w-]+|\[\*\])*)|(==|!=|&&|\|\||!|\(|\)|,))/y;
  let at = 0;
  for (let m = re.exec(expr); at < expr.length && m !== null; m = re.exec(expr)) {
    if (m[1] !== undefined) tokens.push({ kind: 'str', value: m[1].replace(/''/g, "'") });
    else if (m[2] !== undefined) tokens.push({ kind: 'num', value: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'id', value: m[3] });
    else tokens.push({ kind: 'op', value: m[4]! });
    at = re.lastIndex;
  }
  if (expr.slice(at).trim() !== '') throw new Error(`cannot read the expression at: ${expr.slice(at)}`);
  return tokens;
}

/** Recursive descent over the grammar the recipes use: or → and → not → compare → atom. */
export function evaluate(expr: string, ctx: Context): unknown {
  const tokens = tokenize(expr);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const take = (op: string): boolean => {
    if (peek()?.kind === 'op' && peek()!.value === op) {
      i++;
      return true;
    }
    return false;
  };
  const or = (): unknown => {
    let left = and();
    while (take('||')) {
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): unknown => {
    let left = not();
    while (take('&&')) {
      const right = not();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const not = (): unknown => (take('!') ? !truthy(not()) : compare());
  const compare = (): unknown => {
    const left = atom();
    if (take('==')) return equal(left, atom());
    if (take('!=')) return !equal(left, atom());
    return left;
  };
  const atom = (): unknown => {
    if (take('(')) {
      const v = or();
      if (!take(')')) throw new Error(`missing ) in ${expr}`);
      return v;
    }
    const t = tokens[i++];
    if (t === undefined) throw new Error(`unexpected end of ${expr}`);
    if (t.kind === 'str') return t.value;
    if (t.kind === 'num') return Number(t.value);
    if (t.kind !== 'id') throw new Error(`unexpected ${t.value} in ${expr}`);
    if (t.value === 'true' || t.value === 'false') return t.value === 'true';
    if (t.value === 'null') return null;
    if (take('(')) {
      const args: unknown[] = [];
      while (!take(')')) {
        args.push(or());
        take(',');
      }
      return call(t.value, args, ctx);
    }
    return lookup(ctx, t.value);
  };
  const value = or();
  if (i !== tokens.length) throw new Error(`trailing tokens in ${expr}`);
  return value;
}

/** GitHub's ==: strings ignore case; values of different types are compared as numbers (null and '' are 0). */
function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b && typeof a !== 'object') return a === b;
  if (a === null && b === null) return true;
  return asNumber(a) === asNumber(b);
}

function asNumber(v: unknown): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return Number.NaN;
}

function call(name: string, args: unknown[], ctx: Context): unknown {
  switch (name) {
    case 'always': return true;
    case 'success': return succeeding(ctx);
    case 'failure': return !succeeding(ctx);
    case 'cancelled': return false;
    case 'startsWith': return text(args[0]).toLowerCase().startsWith(text(args[1]).toLowerCase());
    case 'endsWith': return text(args[0]).toLowerCase().endsWith(text(args[1]).toLowerCase());
    case 'contains': return text(args[0]).toLowerCase().includes(text(args[1]).toLowerCase());
    case 'format': return text(args[0]).replace(/\{(\d+)\}/g, (_, n: string) => text(args[Number(n) + 1]));
    default: throw new Error(`function ${name}() is not modelled`);
  }
}

/** `github.event.pull_request.head.repo.full_name`; a missing property is null, as in GitHub. */
function lookup(ctx: Context, path: string): unknown {
  let v: unknown = ctx;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return null;
    v = (v as Record<string, unknown>)[part];
  }
  return v === undefined ? null : v;
}
