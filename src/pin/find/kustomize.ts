// kustomization.yaml `images:` entries (and a Flux Kustomization's `spec.images`, a
// Flux HelmRelease's post-renderer images): `name` (what the manifests say), `newName`,
// `newTag` and `digest`. The reference is newName (else name) with newTag; a pin
// writes kustomize's own `digest:` field (kept beside newTag, as Renovate does, so the
// version stays readable) instead of editing the tag text.
// https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/images/
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { FoundReference } from '../model.ts';
import { position, scalarSpan, type YamlFile } from './yaml-document.ts';

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
          const found = entry(path, file, item);
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

function entry(path: string, file: YamlFile, map: YAMLMap): FoundReference | undefined {
  const field = (key: string) => map.items.find((p): p is Pair<Node, Node> => isScalar(p.key) && p.key.value === key);
  const name = field('newName') ?? field('name');
  const nameSpan = name && scalarSpan(name.value, file.text);
  if (!name || !nameSpan?.ok) return undefined;
  const tag = field('newTag');
  const digest = field('digest');
  const tagSpan = tag && scalarSpan(tag.value, file.text);
  const digestSpan = digest && scalarSpan(digest.value, file.text);
  const at = position(file, nameSpan.span.start);
  const base = { file: path, ...at, kind: 'kustomization' as const };
  if (tagSpan && !tagSpan.ok) return { ...base, text: nameSpan.text, span: nameSpan.span, skip: `newTag is ${tagSpan.reason}; pin it by hand` };
  if (digestSpan && !digestSpan.ok) return { ...base, text: nameSpan.text, span: nameSpan.span, skip: `digest is ${digestSpan.reason}; pin it by hand` };
  const text = nameSpan.text + (tagSpan ? `:${tagSpan.text}` : '') + (digestSpan ? `@${digestSpan.text}` : '');
  if (!tagSpan && !digestSpan) {
    return { ...base, text, span: nameSpan.span, skip: 'no newTag: the tag comes from the manifests the kustomization names; pin those' };
  }
  const found: FoundReference = { ...base, text, span: nameSpan.span };
  if (digestSpan) {
    found.digestField = { span: digestSpan.span };
  } else if (tag && tagSpan?.ok) {
    found.digestField = insertAfter(file, map, tag, tagSpan.span.end);
  }
  return found;
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
