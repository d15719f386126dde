// kustomization.yaml `images:` entries (and a Flux Kustomization's `spec.images`, a
// Flux HelmRelease's post-renderer images): `name` (what the manifests say), `newName`,
// `newTag` and `digest`. The reference is newName (else name) with newTag; a pin
// writes kustomize's own `digest:` field (kept beside newTag, as Renovate does, so the
// version stays readable) instead of editing the tag text.
// https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/images/
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { FoundReference, Span } from '../model.ts';
import { anchored, pairNamed, position, scalarSpan, type ScalarSpan, type YamlFile } from './yaml-document.ts';

export function isKustomization(name: string, file: YamlFile): boolean {
  if (/^kustomization\.ya?ml$/i.test(name)) return true;
  return file.docs.some((d) => isMap(d.contents) && (d.contents.get('kind') as unknown) === 'Kustomization');
}

export function kustomizeImages(path: string, file: YamlFile): FoundReference[] {
  return entriesIn(path, file, imagesOf);
}

/** A Flux HelmRelease's `spec.postRenderers[].kustomize.images`: kustomize's entries, applied to the rendered chart. */
export function helmReleaseImages(path: string, file: YamlFile): FoundReference[] {
  return entriesIn(path, file, postRendererImages);
}

function entriesIn(path: string, file: YamlFile, lists: (contents: YAMLMap) => (Node | undefined)[]): FoundReference[] {
  const out: FoundReference[] = [];
  for (const doc of file.docs) {
    if (!isMap(doc.contents)) continue;
    for (const images of lists(doc.contents)) {
      if (!isSeq(images)) continue;
      for (const item of images.items) {
        if (isMap(item)) {
          const found = entry(path, file, doc, item);
          if (found) out.push(found);
        }
      }
    }
  }
  return out;
}

/** A kustomization's `images:`; a Flux Kustomization's `spec.images`, entries of the same shape. */
function imagesOf(contents: YAMLMap): (Node | undefined)[] {
  const spec = contents.get('spec', true);
  if (fluxKind(contents, 'kustomize') && isMap(spec)) return [spec.get('images', true) as Node | undefined];
  return [contents.get('images', true) as Node | undefined];
}

function postRendererImages(contents: YAMLMap): (Node | undefined)[] {
  const renderers = fluxKind(contents, 'helm') ? contents.getIn(['spec', 'postRenderers'], true) : undefined;
  if (!isSeq(renderers)) return [];
  return renderers.items.map((r) => (isMap(r) ? r.getIn(['kustomize', 'images'], true) as Node | undefined : undefined));
}

function fluxKind(contents: YAMLMap, group: 'kustomize' | 'helm'): boolean {
  const apiVersion = contents.get('apiVersion');
  return typeof apiVersion === 'string' && apiVersion.startsWith(`${group}.toolkit.fluxcd.io/`);
}

function entry(path: string, file: YamlFile, doc: Document, map: YAMLMap): FoundReference | undefined {
  const name = field(doc, file, map, 'newName') ?? field(doc, file, map, 'name');
  const nameSpan = name?.span;
  if (!name || !nameSpan?.ok) return undefined;
  const tag = field(doc, file, map, 'newTag');
  // An empty `digest:` (no value, `~`, `null`, `""`), as a template or `kustomize edit`
  // leaves it, is one kustomize ignores: the entry deploys by tag.
  const written = field(doc, file, map, 'digest');
  const empty = written !== undefined && emptyValue(doc, written.pair) ? written : undefined;
  const digest = empty === undefined ? written : undefined;
  const base = { file: path, ...position(file, name.at), kind: 'kustomization' as const };
  for (const [key, f] of [['newTag', tag], ['digest', digest]] as const) {
    if (f && !f.span?.ok) return { ...base, text: nameSpan.text, span: nameSpan.span, skip: `${key} is ${f.span?.reason ?? 'not a string'}; pin it by hand` };
  }
  const tagSpan = tag?.span?.ok ? tag.span : undefined;
  const digestSpan = digest?.span?.ok ? digest.span : undefined;
  const text = nameSpan.text + (tagSpan ? `:${tagSpan.text}` : '') + (digestSpan ? `@${digestSpan.text}` : '');
  if (!tagSpan && !digestSpan) {
    return { ...base, text, span: nameSpan.span, skip: 'no newTag: the tag comes from the manifests the kustomization names; pin those' };
  }
  const found: FoundReference = { ...base, text, span: nameSpan.span };
  const alias = [name, tag, written].find((f) => f?.alias !== undefined);
  if (alias) {
    found.uneditable = `${alias.key} is the alias ${alias.alias}, shared with the entry that anchors it`;
  } else if (empty) {
    const replaced = emptyReplaced(empty, file.text);
    if (replaced === undefined) found.uneditable = 'digest: is an empty block scalar';
    else found.digestField = replaced;
  } else if (digestSpan) {
    found.digestField = { span: digestSpan.span };
  } else if (tag && tagSpan) {
    found.digestField = insertAfter(file, map, tag.pair, tagSpan.span.end);
  }
  return found;
}

interface EntryField {
  key: string;
  pair: Pair<Node, Node>;
  /** The value as kustomize reads it: through an alias, the anchored text. */
  span: ScalarSpan | undefined;
  /** `*v` when the value is an alias: its bytes are the anchor's, which a pin must not rewrite. */
  alias?: string;
  /** Where the value is written in this entry. */
  at: number;
}

function field(doc: Document, file: YamlFile, map: YAMLMap, key: string): EntryField | undefined {
  const pair = pairNamed(doc, map, key);
  if (pair === undefined) return undefined;
  const value = pair.value as Node | null;
  const span = scalarSpan(anchored(doc, value), file.text);
  if (!isAlias(value)) return { key, pair, span, at: span?.ok ? span.span.start : (value?.range?.[0] ?? 0) };
  return { key, pair, span, alias: `*${value.source}`, at: value.range?.[0] ?? 0 };
}

/** Whether a field holds no value: nothing, `~`, `null` (YAML's null) or the empty string. */
function emptyValue(doc: Document, pair: Pair<Node, Node>): boolean {
  const value = anchored(doc, pair.value as Node | null);
  if (value === null) return true;
  return isScalar(value) && (value.value === null || value.value === '');
}

/**
 * Where a digest replaces an empty `digest:` value, in place (no second `digest:` key):
 * over `~`, `null` or inside `""`; after the colon, with a space, when nothing is
 * written. Undefined when the value cannot be spliced (an empty block scalar, no value node).
 */
function emptyReplaced(empty: EntryField, text: string): { span: Span } | { insertAt: number; text: (d: string) => string } | undefined {
  const range = (empty.pair.value as Node | null)?.range;
  if (range === undefined || range === null) return undefined;
  if (range[0] === range[1]) {
    // The empty value sits after the colon, or after its spaces when a comment (`digest: # …`)
    // or a flow map's end follows: a space before the digest only when none is written, one
    // after it when a comment follows (`#` with no space before it is not a comment).
    const at = range[0];
    const before = /[ \t]/.test(text[at - 1] ?? '') ? '' : ' ';
    const after = text[at] === '#' ? ' ' : '';
    return { insertAt: at, text: (d) => `${before}${d}${after}` };
  }
  return empty.span?.ok ? { span: empty.span.span } : undefined;
}

/** A new `digest:` after newTag: the next line at newTag's indent (block style), or `, digest: …` (flow style). */
function insertAfter(file: YamlFile, map: YAMLMap, tag: Pair<Node, Node>, valueEnd: number): { insertAt: number; text: (d: string) => string } {
  const text = file.text;
  if (map.flow) return { insertAt: (tag.value as { range: [number, number, number] }).range[1], text: (d) => `, digest: ${d}` };
  const keyStart = (tag.key as { range: [number, number, number] }).range[0];
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  let indent = text.slice(lineStart, keyStart);
  // `- newTag: 1.0` (newTag first in the entry): the next key lines up under it.
  indent = indent.replace(/[^ \t]/g, ' ');
  let eolAt = text.indexOf('\n', valueEnd);
  if (eolAt === -1) eolAt = text.length;
  const crlf = eolAt > 0 && text[eolAt - 1] === '\r';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const insertAt = crlf ? eolAt - 1 : eolAt;
  return { insertAt, text: (d) => `${eol}${indent}digest: ${d}` };
}
