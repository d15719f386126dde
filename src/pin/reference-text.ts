// A reference as written in a deploy file: built from a variable or template (listed,
// never touched), a valid image reference, or invalid (reported with the part that
// is wrong, by the same parser the gate uses).
import { asImmutagError } from '../errors.ts';
import { parseReference, type Reference } from '../reference.ts';

export type ReadReference =
  | { kind: 'template'; reason: string }
  | { kind: 'invalid'; reason: string }
  | { kind: 'ok'; ref: Reference };

const TEMPLATE = /\$\{|\$[A-Za-z_]|\{\{|\{%|<%/;

export function readReference(text: string): ReadReference {
  if (TEMPLATE.test(text)) return { kind: 'template', reason: 'built from a variable or template; resolved at deploy time, so pin it where the value is set' };
  try {
    return { kind: 'ok', ref: parseReference(text) };
  } catch (err) {
    return { kind: 'invalid', reason: asImmutagError(err, 'INVALID_REFERENCE').message };
  }
}

/** The text to write: as written, minus any old digest, with `:latest` made explicit, then `@digest`. */
export function pinnedText(written: string, ref: Reference, digest: string): string {
  const at = written.indexOf('@');
  const base = at === -1 ? written : written.slice(0, at);
  return `${base}${ref.tag === undefined ? ':latest' : ''}@${digest}`;
}
