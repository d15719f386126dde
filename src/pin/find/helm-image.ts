// Helm values name an image as a map the chart's template joins: `image: {repository:
// nginx, tag: 1.25.3}`, with `registry:` (Bitnami) and `digest:` where the chart has
// them. That is the most common shape in real charts, and a --check that passed over it
// let a release pull by tag. It is read as the reference the chart renders,
// `[registry/]repository[:tag][@digest]`: checked like any other (a `digest:` that is
// current passes), never rewritten: the digest goes in the chart's own field, by hand.
import { isScalar, type Document, type Node, type YAMLMap } from 'yaml';
import type { FileKind, FoundReference } from '../model.ts';
import { anchored, mergedGet, position, type YamlFile } from './yaml-document.ts';

export function helmImage(path: string, kind: FileKind, file: YamlFile, doc: Document, map: YAMLMap): FoundReference | undefined {
  // go-yaml honours merge keys: `image: {<<: *base, tag: "7.4"}` renders base's repository.
  const field = (key: string) => anchored(doc, mergedGet(doc, map, key) ?? null) ?? undefined;
  const repository = text(field('repository'));
  if (repository === undefined) return undefined;
  const registry = text(field('registry'));
  const tag = text(field('tag'));
  const digest = text(field('digest'));
  // Where this map is written: a repository merged in from an anchor is the anchor's text.
  const node = (map.has('repository') ? field('repository') : map) as { range?: [number, number, number] | null };
  const at = position(file, node.range?.[0] ?? 0);
  const reference = `${registry ? `${registry}/` : ''}${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  const found: FoundReference = { file: path, ...at, kind, text: reference, span: { start: 0, end: 0 } };
  if (tag === undefined && digest === undefined) {
    found.skip = 'image: {repository} with no tag: the chart fills it in (its appVersion); pin the rendered manifests (helm template)';
  } else {
    found.uneditable = 'repository and tag set apart (Helm values): set the chart\'s digest: field by hand';
  }
  return found;
}

/** A scalar's text: a string, or a number YAML read from `tag: 1.25` (written as it was). */
function text(node: Node | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'string') return node.value.trim() === '' ? undefined : node.value.trim();
  if (typeof node.value === 'number') return node.source ?? String(node.value);
  return undefined;
}
