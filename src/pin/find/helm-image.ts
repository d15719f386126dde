// Helm values name an image as a map the chart's template joins: `image: {repository:
// nginx, tag: 1.25.3}`, with `registry:` (Bitnami) and `digest:` where the chart has
// them. That is the most common shape in real charts, and a --check that passed over it
// let a release pull by tag. It is read as the reference the chart renders,
// `[registry/]repository[:tag][@digest]`: checked like any other (a `digest:` that is
// current passes), never rewritten: the digest goes in the chart's own field, by hand.
import { isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import type { FileKind, FoundReference } from '../model.ts';
import { anchored, keyName, pairNamed, position, type YamlFile } from './yaml-document.ts';

export function helmImage(path: string, kind: FileKind, file: YamlFile, doc: Document, map: YAMLMap): FoundReference | undefined {
  // Helm honours merge keys: `image: {<<: *base, tag: "7.4"}` renders base's repository.
  const field = (key: string) => anchored(doc, helmValue(doc, map, key) ?? null) ?? undefined;
  const repositoryNode = field('repository');
  const repository = text(repositoryNode);
  if (repository === undefined) return undefined;
  const registry = text(field('registry'));
  const tag = text(field('tag'));
  const digest = text(field('digest'));
  const at = position(file, writtenAt(doc, map));
  const reference = `${registry ? `${registry}/` : ''}${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  const found: FoundReference = { file: path, ...at, kind, text: reference, span: { start: 0, end: 0 } };
  if (tag === undefined && digest === undefined) {
    found.skip = 'image: {repository} with no tag: the chart fills it in (its appVersion); pin the rendered manifests (helm template)';
  } else {
    found.uneditable = 'repository and tag set apart (Helm values): set the chart\'s digest: field by hand';
  }
  return found;
}

/**
 * A key's value as Helm reads values (sigs.k8s.io/yaml, go-yaml v2): keys in the order
 * written, the later one winning, and a `<<:` merged where it stands, so a key written
 * BEFORE `<<: *base` is overwritten by base's (go-yaml v3 and Compose let the map's own
 * key win wherever it is). In a `<<: [*a, *b]` list the earlier map wins. `path` stops
 * a merge that reaches itself.
 */
function helmValue(doc: Document, map: YAMLMap, key: string, path: ReadonlySet<YAMLMap> = new Set()): Node | undefined {
  let value: Node | undefined;
  const inside = new Set([...path, map]);
  for (const pair of map.items) {
    // `*r : nginx` after `&r repository` is a repository: key to go-yaml, as to every reader.
    if (keyName(doc, pair.key) === key) value = (pair.value as Node | null) ?? undefined;
    // A merge is a literal `<<` only: go-yaml takes an alias key as the scalar it names, not as a merge.
    if (!isScalar(pair.key) || pair.key.value !== '<<') continue;
    const merged = pair.value as Node | null;
    const sources = isSeq(merged) ? [...(merged.items as Node[])].reverse() : [merged];
    for (const source of sources) {
      const base = anchored(doc, source);
      if (!isMap(base) || inside.has(base)) continue;
      const found = helmValue(doc, base, key, inside);
      if (found !== undefined) value = found;
    }
  }
  return value;
}

/**
 * Where the chart's map says its repository: the value as written in this map (`*repo`
 * where it is an alias, not the anchor's text elsewhere), else the map itself when the
 * repository is merged in. The row then points at the `image:` map the chart reads.
 */
function writtenAt(doc: Document, map: YAMLMap): number {
  const own = pairNamed(doc, map, 'repository')?.value as { range?: [number, number, number] | null } | null | undefined;
  return own?.range?.[0] ?? map.range?.[0] ?? 0;
}

/** A scalar's text: a string, or a number YAML read from `tag: 1.25` (written as it was). */
function text(node: Node | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'string') return node.value.trim() === '' ? undefined : node.value.trim();
  if (typeof node.value === 'number') return node.source ?? String(node.value);
  return undefined;
}
