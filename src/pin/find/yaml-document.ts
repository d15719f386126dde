// YAML files are parsed only to LOCATE references: the parser keeps every node's
// source range, and pin later splices the file's own text at those ranges, so
// comments, quoting, key order, anchors and CRLF line ends are never re-emitted.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { ImmutagError } from '../../errors.ts';
import type { Span } from '../model.ts';

export interface YamlFile {
  docs: Document.Parsed[];
  lines: LineCounter;
  text: string;
}

export function parseYamlFile(path: string, text: string): YamlFile {
  const lines = new LineCounter();
  // uniqueKeys off: a duplicate key is kubectl's problem, not a reason to refuse to pin.
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false, keepSourceTokens: false });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err !== undefined) {
      const line = err.linePos?.[0].line ?? lines.linePos(err.pos[0]).line;
      const first = err.message.split('\n')[0] ?? err.message;
      throw new ImmutagError('INVALID_INPUT', `${path}:${line}: not valid YAML: ${first}`, {
        hint: 'Fix the file (yamllint or kubectl apply --dry-run=client shows the same error); pin changed no file.',
      });
    }
  }
  return { docs: list as Document.Parsed[], lines, text };
}

export type ScalarSpan = { ok: true; span: Span; text: string } | { ok: false; reason: string };

/**
 * The exact source range of a string value, without its quotes. Block scalars and
 * values with escapes are reported rather than edited: their source is not the value.
 */
export function scalarSpan(node: Node | null | undefined, text: string): ScalarSpan | undefined {
  if (!isScalar(node) || node.range === undefined || node.range === null) return undefined;
  const [start, end] = node.range;
  const raw = text.slice(start, end);
  switch (node.type) {
    case 'PLAIN':
      if (/[\r\n]/.test(raw)) return { ok: false, reason: 'a plain value over several lines' };
      return { ok: true, span: { start, end }, text: raw };
    case 'QUOTE_SINGLE':
    case 'QUOTE_DOUBLE': {
      const inner = raw.slice(1, -1);
      if (typeof node.value !== 'string' || inner !== node.value) return { ok: false, reason: 'a quoted value with escapes or line breaks' };
      return { ok: true, span: { start: start + 1, end: end - 1 }, text: inner };
    }
    default:
      return { ok: false, reason: 'a block scalar (| or >)' };
  }
}

export function position(file: YamlFile, offset: number): { line: number; column: number } {
  const p = file.lines.linePos(offset);
  return { line: p.line, column: p.col };
}

/** A value written as an alias (`*image`) is the anchored node: found, and pinned, where the anchor is. */
export function anchored(doc: Document, value: Node | null): Node | null {
  return isAlias(value) ? (value.resolve(doc) as Node | undefined) ?? null : value;
}

/**
 * A key's name as every YAML reader (go-yaml for kubectl and Helm, the yaml package)
 * sees it: `*k : redis:7`, after `&k image:` earlier, is an `image:` key.
 */
export function keyName(doc: Document, key: unknown): unknown {
  const node = anchored(doc, key as Node | null);
  return isScalar(node) ? node.value : undefined;
}

/** The pair a map holds under `key`, its key written as text or as an alias of that text. */
export function pairNamed(doc: Document, map: YAMLMap, key: string): Pair<Node, Node> | undefined {
  return map.items.find((p): p is Pair<Node, Node> => keyName(doc, p.key) === key);
}

/** The value a map holds under `key`, key and value each read through an alias. */
export function valueNamed(doc: Document, map: YAMLMap, key: string): Node | null {
  return anchored(doc, (pairNamed(doc, map, key)?.value as Node | null | undefined) ?? null);
}

/**
 * A key's value as a YAML 1.1 reader (Helm's go-yaml, Compose) sees it: the map's own
 * pair (its key written as text or as an alias of it), else the first map merged in with `<<: *a` or `<<: [*a, *b]` that has it,
 * followed through merges of merges. `seen` stops a merge that reaches itself.
 */
export function mergedGet(doc: Document, map: YAMLMap, key: string, seen = new Set<YAMLMap>()): Node | undefined {
  const own = pairNamed(doc, map, key);
  if (own !== undefined) return (own.value as Node | null) ?? undefined;
  seen.add(map);
  for (const pair of map.items) {
    if (!isScalar(pair.key) || pair.key.value !== '<<') continue;
    const value = pair.value as Node | null;
    const sources = isSeq(value) ? (value.items as Node[]) : [value];
    for (const source of sources) {
      const merged = anchored(doc, source);
      if (!isMap(merged) || seen.has(merged)) continue;
      const found = mergedGet(doc, merged, key, seen);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
