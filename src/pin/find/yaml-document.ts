// YAML files are parsed only to LOCATE references: the parser keeps every node's
// source range, and pin later splices the file's own text at those ranges, so
// comments, quoting, key order, anchors and CRLF line ends are never re-emitted.
import { isScalar, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
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
