// A small JSON Schema validator for the keywords the SARIF 2.1.0 (draft-04) and CycloneDX
// 1.6 (draft-07) schemas use: type, enum, const, required, properties, additionalProperties,
// items (and tuple items with additionalItems), min/maxItems, uniqueItems, minimum/maximum, min/maxLength, pattern, oneOf, anyOf,
// allOf, if/then/else and $ref (local pointers and sibling schema files). `format` is not
// checked, as most validators leave it. Written for tests: errors are plain strings.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

type Schema = Record<string, unknown> | boolean;

interface Ctx {
  root: Record<string, unknown>;
  documents: Map<string, Record<string, unknown>>;
  errors: string[];
}

export function loadSchemas(paths: string[]): Map<string, Record<string, unknown>> {
  return new Map(paths.map((p) => [basename(p), JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>]));
}

/** Validates `value` against the document named `main` in `documents`; returns the errors (empty when valid). */
export function validate(value: unknown, main: string, documents: Map<string, Record<string, unknown>>): string[] {
  const root = documents.get(main);
  if (!root) throw new Error(`no schema named ${main}`);
  const ctx: Ctx = { root, documents, errors: [] };
  check(value, root, '$', ctx);
  return ctx.errors;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function resolveRef(ref: string, ctx: Ctx): { schema: Schema; root: Record<string, unknown> } {
  const [file, pointer = ''] = ref.split('#');
  const root = file ? ctx.documents.get(basename(file)) : ctx.root;
  if (!root) throw new Error(`unresolvable $ref ${ref}`);
  let node: unknown = root;
  for (const part of pointer.split('/').filter(Boolean)) {
    node = (node as Record<string, unknown>)[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`unresolvable $ref ${ref}`);
  }
  return { schema: node as Schema, root };
}

function subErrors(value: unknown, schema: Schema, path: string, ctx: Ctx): string[] {
  const sub: Ctx = { ...ctx, errors: [] };
  check(value, schema, path, sub);
  return sub.errors;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function check(value: unknown, schema: Schema, path: string, ctx: Ctx): void {
  if (schema === true) return;
  if (schema === false) {
    ctx.errors.push(`${path}: no value is allowed here`);
    return;
  }
  const s = schema;
  if (typeof s.$ref === 'string') {
    const { schema: target, root } = resolveRef(s.$ref, ctx);
    check(value, target, path, { ...ctx, root });
    return;
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => typeMatches(value, t))) {
      ctx.errors.push(`${path}: expected ${types.join('|')}, got ${typeOf(value)}`);
      return;
    }
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, value))) {
    ctx.errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum).slice(0, 200)}`);
  }
  if ('const' in s && !deepEqual(s.const, value)) ctx.errors.push(`${path}: must be ${JSON.stringify(s.const)}`);
  checkString(value, s, path, ctx);
  checkNumber(value, s, path, ctx);
  checkArray(value, s, path, ctx);
  checkObject(value, s, path, ctx);
  checkCombinators(value, s, path, ctx);
}

function checkString(value: unknown, s: Record<string, unknown>, path: string, ctx: Ctx): void {
  if (typeof value !== 'string') return;
  const length = [...value].length;
  if (typeof s.minLength === 'number' && length < s.minLength) ctx.errors.push(`${path}: shorter than ${s.minLength}`);
  if (typeof s.maxLength === 'number' && length > s.maxLength) ctx.errors.push(`${path}: longer than ${s.maxLength}`);
  if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) {
    ctx.errors.push(`${path}: ${JSON.stringify(value)} does not match ${s.pattern}`);
  }
}

function checkNumber(value: unknown, s: Record<string, unknown>, path: string, ctx: Ctx): void {
  if (typeof value !== 'number') return;
  if (typeof s.minimum === 'number' && value < s.minimum) ctx.errors.push(`${path}: below the minimum ${s.minimum}`);
  if (typeof s.maximum === 'number' && value > s.maximum) ctx.errors.push(`${path}: above the maximum ${s.maximum}`);
}

function checkArray(value: unknown, s: Record<string, unknown>, path: string, ctx: Ctx): void {
  if (!Array.isArray(value)) return;
  if (typeof s.minItems === 'number' && value.length < s.minItems) ctx.errors.push(`${path}: fewer than ${s.minItems} items`);
  if (typeof s.maxItems === 'number' && value.length > s.maxItems) ctx.errors.push(`${path}: more than ${s.maxItems} items`);
  if (s.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
    ctx.errors.push(`${path}: items are not unique`);
  }
  if (Array.isArray(s.items)) {
    // Tuple form (draft-04/07): one schema per position, then additionalItems.
    const tuple = s.items as Schema[];
    value.forEach((item, i) => {
      if (i < tuple.length) check(item, tuple[i]!, `${path}[${i}]`, ctx);
      else if (s.additionalItems === false) ctx.errors.push(`${path}[${i}]: item not allowed`);
    });
  } else if (s.items !== undefined) {
    for (const [i, item] of value.entries()) check(item, s.items as Schema, `${path}[${i}]`, ctx);
  }
}

function checkObject(value: unknown, s: Record<string, unknown>, path: string, ctx: Ctx): void {
  if (typeOf(value) !== 'object') return;
  const object = value as Record<string, unknown>;
  for (const key of (s.required as string[] | undefined) ?? []) {
    if (!(key in object)) ctx.errors.push(`${path}: missing required property ${key}`);
  }
  const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
  for (const [key, child] of Object.entries(object)) {
    const childPath = `${path}.${key}`;
    if (key in properties) check(child, properties[key]!, childPath, ctx);
    else if (s.additionalProperties === false) ctx.errors.push(`${childPath}: property not allowed`);
    else if (typeof s.additionalProperties === 'object') check(child, s.additionalProperties as Schema, childPath, ctx);
  }
}

function checkCombinators(value: unknown, s: Record<string, unknown>, path: string, ctx: Ctx): void {
  if (Array.isArray(s.allOf)) for (const sub of s.allOf as Schema[]) check(value, sub, path, ctx);
  if (Array.isArray(s.anyOf) && !(s.anyOf as Schema[]).some((sub) => subErrors(value, sub, path, ctx).length === 0)) {
    ctx.errors.push(`${path}: matches none of anyOf`);
  }
  if (Array.isArray(s.oneOf)) {
    const passing = (s.oneOf as Schema[]).filter((sub) => subErrors(value, sub, path, ctx).length === 0).length;
    if (passing !== 1) ctx.errors.push(`${path}: matches ${passing} of oneOf, expected exactly 1`);
  }
  if (s.if !== undefined) {
    const branch = subErrors(value, s.if as Schema, path, ctx).length === 0 ? s.then : s.else;
    if (branch !== undefined) check(value, branch as Schema, path, ctx);
  }
}
