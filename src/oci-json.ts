// Manifests, indexes and configs are read as Go's encoding/json reads them, or refused.
//
// Why: the registry, containerd, CRI-O and skopeo decode these documents with Go's
// encoding/json, which matches an object key to a struct field case-insensitively
// when no key is spelt exactly as the field, and folds Unicode as it does so
// (`ſ` is `s`, the Kelvin sign is `k`, `ı` and `İ` are `i`). When two keys land on one
// field, the later one wins. JSON.parse matches keys exactly. So one verified
// manifest `{"layers":[A], "layerſ":[B]}` is layer A to us and layer B to every
// runtime that pulls it: we would verify, scan and push A while B is deployed. The
// digest cannot help; both readings hash the same bytes.
//
// The rule: in a document of a kind we read, a key that Go would take for a field we
// know, without being spelt as that field, is refused. Then every field we read has
// exactly one key that Go could read it from, and it is the one JSON.parse gave us.
// A key repeated in one object is refused too: Go decodes a repeated struct or map into
// what the first one set (fields the second leaves out keep their values, maps merge,
// `null` changes nothing), where JSON.parse keeps only the last. No builder writes either;
// refusing is the fail-closed answer.
//
// Go's folding (encoding/json's foldName since Go 1.21: upper(lower(rune)); before,
// ASCII case plus `ſ` and the Kelvin sign) maps to ASCII letters only from ASCII
// letters and these four runes. Every field name below is ASCII, so folding those is
// all that deciding "Go takes this key for that field" needs.
//
// Numbers too: Go decodes an integer field (a descriptor's int64 size, schemaVersion)
// only from an integer literal; `161.0` or `161e0` fails the whole document ("cannot
// unmarshal number 161.0 into ... int64"), where JSON.parse reads 161. Such a document
// is one no registry stores and no runtime pulls, so it is refused before we verify,
// scan or push it (a registry would refuse it only at the manifest PUT, after the blobs).
// No other field below is an integer in Go's structs (Platform, the config fields we
// read, oci-layout and docker save's manifest.json are strings and lists of them).

import { quoted } from './quoted.ts';

const FOLD_TO_ASCII: Readonly<Record<string, string>> = {
  '\u0130': 'I', // İ
  '\u0131': 'I', // ı
  '\u017f': 'S', // ſ
  '\u212a': 'K', // Kelvin sign
};

/** The key as Go compares it with an ASCII field name. */
function goFold(key: string): string {
  let folded = '';
  for (const char of key) folded += FOLD_TO_ASCII[char] ?? asciiUpper(char);
  return folded;
}

/** Any other non-ASCII rune folds to a non-ASCII one, which no field name holds. */
function asciiUpper(char: string): string {
  return char >= 'a' && char <= 'z' ? char.toUpperCase() : char;
}

/**
 * The fields of one struct Go decodes, by their Go fold; a field whose value is itself a
 * struct (or a list of them) that immutag reads names its shape. Go folds a key only
 * against the struct decoded at that level, never a map's keys (annotations, labels); a
 * struct immutag does not read (history, docker save's LayerSources) is not looked into.
 */
export interface FieldSet {
  readonly byFold: ReadonlyMap<string, string>;
  readonly nested: ReadonlyMap<string, FieldSet>;
  /** Fields Go decodes into an int or int64. */
  readonly integers: ReadonlySet<string>;
}

/** A field Go decodes into an integer type. */
const INTEGER = 'integer';

function fieldSet(fields: Record<string, FieldSet | typeof INTEGER | null>): FieldSet {
  const names = Object.keys(fields);
  const nested = new Map<string, FieldSet>();
  const integers = new Set<string>();
  for (const name of names) {
    const shape = fields[name];
    if (shape === INTEGER) integers.add(name);
    else if (shape) nested.set(name, shape);
  }
  return { byFold: new Map(names.map((name) => [goFold(name), name])), nested, integers };
}

/** image-spec's Platform (all strings; so is distribution's PlatformSpec). */
const PLATFORM = fieldSet({ architecture: null, os: null, 'os.version': null, 'os.features': null, variant: null, features: null });
/** image-spec's Descriptor. */
const DESCRIPTOR = fieldSet({ mediaType: null, digest: null, size: INTEGER, urls: null, annotations: null, data: null, platform: PLATFORM, artifactType: null });

/** Image manifest and index (one struct here: a key folding onto either's field is refused). */
export const MANIFEST_FIELDS = fieldSet({
  schemaVersion: INTEGER, mediaType: null, artifactType: null, config: DESCRIPTOR, layers: DESCRIPTOR, manifests: DESCRIPTOR,
  subject: DESCRIPTOR, annotations: null,
});

/** Image config: the fields immutag reads and the structs they sit in. */
export const CONFIG_FIELDS = fieldSet({
  created: null, author: null, architecture: null, os: null, 'os.version': null, 'os.features': null, variant: null,
  config: fieldSet({ Labels: null }), rootfs: fieldSet({ type: null, diff_ids: null }), history: null,
});

/** An OCI layout's `oci-layout` file. */
export const LAYOUT_FIELDS = fieldSet({ imageLayoutVersion: null });

/** `docker save`'s manifest.json: a list of these. */
export const DOCKER_SAVE_FIELDS = fieldSet({ Config: null, RepoTags: null, Layers: null, LayerSources: null });

/** What to do about a document Go's decoder and immutag read differently: one hint wherever it is found. */
export const AMBIGUOUS_JSON_HINT = 'Registries and runtimes would read this document differently from immutag, so nothing from it was used. No standard tool writes such a document: build or push the image again with one (if it comes from a base image, replace that image).';

/**
 * A document Go's decoder does not read as JSON.parse did. Callers refuse it with their
 * own code and this hint, so each kind says what to do about itself.
 */
export abstract class GoJsonRefusal extends Error {
  readonly key: string;
  abstract readonly hint: string;

  constructor(key: string, message: string) {
    super(message);
    this.key = key;
  }
}

/** A key Go's decoder and immutag (JSON.parse) read differently: the document means two things. */
export class AmbiguousKeyError extends GoJsonRefusal {
  readonly hint = AMBIGUOUS_JSON_HINT;

  constructor(key: string, message: string) {
    super(key, message);
    this.name = 'AmbiguousKeyError';
  }
}

/** A key that Go reads as a field JSON.parse does not see under that name. */
export class FoldedKeyError extends AmbiguousKeyError {
  readonly field: string;

  constructor(key: string, field: string) {
    super(key, `the key ${quoted(key)} is read as "${field}" by Go's JSON decoder (registries, containerd and skopeo match keys ignoring case, with Unicode folding), but not by immutag`);
    this.name = 'FoldedKeyError';
    this.field = field;
  }
}

/** A key repeated in one object, which Go merges and JSON.parse replaces. */
export class RepeatedKeyError extends AmbiguousKeyError {
  constructor(key: string) {
    super(key, `the key ${quoted(key)} appears twice in one object: Go's JSON decoder (registries, containerd, skopeo) merges the two, immutag would keep only the last`);
    this.name = 'RepeatedKeyError';
  }
}

/** An integer field written with a fraction or an exponent, which Go refuses to decode. */
export class NonIntegerError extends GoJsonRefusal {
  readonly hint = 'No standard tool writes an integer that way, and no registry or runtime can read the document, so nothing from it was used. Build or push the image again with a standard tool (if it comes from a base image, replace that image); in a document written by hand, write the number as digits only (161, not 161.0 or 161e0).';
  readonly spelt: string;

  constructor(key: string, spelt: string) {
    super(key, `"${key}": ${spelt} is not written as an integer: Go's JSON decoder (registries, containerd, skopeo) refuses a fraction or an exponent in an integer field ("cannot unmarshal number ${spelt}"), so no registry or runtime can read this document`);
    this.name = 'NonIntegerError';
    this.spelt = spelt;
  }
}

/** Per object, the keys whose number was written with a fraction or an exponent, as written. */
type Spellings = WeakMap<object, Map<string, string>>;

/** JSON.parse, then the rules above; throws SyntaxError or a GoJsonRefusal. */
export function parseOciJson(text: string, fields: FieldSet): unknown {
  const spellings: Spellings | undefined = mayHoldNonInteger(text) ? new WeakMap() : undefined;
  const value = spellings ? parseNoting(text, spellings) : JSON.parse(text) as unknown;
  const repeated = repeatedKey(text);
  if (repeated !== undefined) throw new RepeatedKeyError(repeated);
  checkKeys(value, fields, spellings);
  return value;
}

/**
 * A member value that is a number with a fraction or an exponent (`": 1.0`, `":1e0`).
 * Conservative: it may also match inside a string, which costs only the slower parse.
 * Without it every manifest of a tag check would pay for a reviver it never needs.
 */
const NON_INTEGER_MEMBER = /"[ \t\n\r]*:[ \t\n\r]*-?\d+[.eE]/;

function mayHoldNonInteger(text: string): boolean {
  return NON_INTEGER_MEMBER.test(text);
}

/** JSON.parse, noting what the raw text of such numbers was (JSON.parse source text access). */
function parseNoting(text: string, spellings: Spellings): unknown {
  return JSON.parse(text, function (this: object, key: string, value: unknown, context?: { source?: string }) {
    const source = context?.source;
    if (typeof value === 'number' && source !== undefined && /[.eE]/.test(source)) note(spellings, this, key, source);
    return value;
  }) as unknown;
}

function note(spellings: Spellings, holder: object, key: string, source: string): void {
  if (Array.isArray(holder)) return;
  const keys = spellings.get(holder) ?? new Map<string, string>();
  keys.set(key, source);
  spellings.set(holder, keys);
}

/**
 * The first key that appears twice in one object of valid JSON text (JSON.parse has
 * checked it), as decoded: `"a"` and `"\u0061"` are one key. JSON.parse has already
 * kept only the last, so the text is read again, token by token.
 */
function repeatedKey(text: string): string | undefined {
  // Per open object its keys so far; null for an open array.
  const open: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let at = 0; at < text.length; at++) {
    const char = text.charCodeAt(at);
    if (char === 0x22) {
      const end = stringEnd(text, at);
      const keys = open[open.length - 1];
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(at, end + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      at = end;
    } else if (char === 0x7b) {
      open.push(new Set());
      expectKey = true;
    } else if (char === 0x5b) {
      open.push(null);
    } else if (char === 0x7d || char === 0x5d) {
      open.pop();
    } else if (char === 0x2c) {
      expectKey = open[open.length - 1] !== null && open.length > 0;
    }
  }
  return undefined;
}

/** Index of the quote that closes the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  for (let at = text.indexOf('"', start + 1); at >= 0; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return text.length;
}

/** Iterative, so a deeply nested document is refused by JSON.parse's limits, not ours. */
function checkKeys(root: unknown, fields: FieldSet, spellings: Spellings | undefined): void {
  const pending: Array<{ value: unknown; fields: FieldSet }> = [{ value: root, fields }];
  while (pending.length > 0) {
    const { value, fields: shape } = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) pending.push({ value: item, fields: shape });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const field = shape.byFold.get(goFold(key));
      if (field === undefined) continue;
      if (field !== key) throw new FoldedKeyError(key, field);
      const spelt = spellings && shape.integers.has(field) ? spellings.get(value)?.get(key) : undefined;
      if (spelt !== undefined) throw new NonIntegerError(key, spelt);
      const nested = shape.nested.get(field);
      if (nested) pending.push({ value: child, fields: nested });
    }
  }
}
