// A reference written as an alias (`image: *img`) is pinned at its anchor, and the
// bytes there are every alias's bytes: a pin changes each use of the anchor at once.
// That is right when every use is an image reference (two containers sharing one
// image), and wrong when one is not (an env var's value, a label, a kustomize entry's
// name): the pin would rewrite that too. Such a reference is left uneditable, with the
// use that is not a reference named; --check still checks it. A use where nothing reads
// the value does not count: Compose's extension fields (`x-image: &img app:1.0`, the
// documented way to share a value between services) are read only through the aliases.
import { isMap, isScalar, isSeq, visit, type Node } from 'yaml';
import type { FoundReference } from '../model.ts';
import { position, type YamlFile } from './yaml-document.ts';

/** One anchored scalar that has aliases: its name and where each use is written. */
interface AnchorUses {
  anchor: string;
  /** Offsets of the anchored value and of each `*alias`. */
  sites: number[];
}

/** Every anchored scalar with at least one alias, by each of its use sites. */
function anchorUses(file: YamlFile): Map<number, AnchorUses> {
  const byNode = new Map<Node, AnchorUses>();
  for (const doc of file.docs) {
    visit(doc, {
      Alias(_, alias) {
        const target = alias.resolve(doc) as Node | undefined;
        if (!isScalar(target) || target.anchor === undefined || !alias.range || !target.range) return;
        let uses = byNode.get(target);
        if (uses === undefined) {
          uses = { anchor: target.anchor, sites: [target.range[0]] };
          byNode.set(target, uses);
        }
        uses.sites.push(alias.range[0]);
      },
    });
  }
  const bySite = new Map<number, AnchorUses>();
  for (const uses of byNode.values()) for (const site of uses.sites) bySite.set(site, uses);
  return bySite;
}

/**
 * Marks uneditable each reference whose anchor is also used where no image-reference rule
 * found it. Only rows that write into their own text count as image uses: a kustomize
 * entry's name is written with a `digest:` field, never as `name@digest`.
 */
export function guardAnchors(file: YamlFile, refs: readonly FoundReference[], compose: boolean): void {
  const uses = anchorUses(file);
  if (uses.size === 0) return;
  const imageSites = new Set<number>();
  for (const r of refs) if (r.site !== undefined && r.digestField === undefined) imageSites.add(r.site);
  const unread = compose ? extensionFields(file) : [];
  const readSite = (site: number) => !unread.some(([start, end]) => site >= start && site < end);
  for (const r of refs) {
    const shared = r.site === undefined ? undefined : uses.get(r.site);
    if (shared === undefined || r.skip !== undefined || r.uneditable !== undefined) continue;
    const other = shared.sites.find((site) => !imageSites.has(site) && readSite(site));
    if (other === undefined) continue;
    const line = position(file, other).line;
    r.uneditable = `the anchor &${shared.anchor} is also used at line ${line}, which is not an image reference: a pin at the anchor would change it too`;
  }
}

/**
 * The spans of a Compose file's top-level `x-*` values, which Compose itself ignores,
 * less any anchored map or list inside them: a service that merges one (`<<: *common`)
 * reads every value in it.
 */
function extensionFields(file: YamlFile): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const doc of file.docs) {
    if (!isMap(doc.contents)) continue;
    for (const pair of doc.contents.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      const value = pair.value as Node | null;
      if (typeof key !== 'string' || !key.startsWith('x-') || !value?.range) continue;
      spans.push(...unreadParts(value.range[0], value.range[1], anchoredCollections(value)));
    }
  }
  return spans;
}

/** The spans of the anchored maps and lists in `node`, itself included. */
function anchoredCollections(node: Node): Array<[number, number]> {
  const read: Array<[number, number]> = [];
  const note = (n: Node): void => {
    if ((isMap(n) || isSeq(n)) && n.anchor !== undefined && n.range) read.push([n.range[0], n.range[1]]);
  };
  note(node);
  visit(node, {
    Map(_, n) {
      note(n);
    },
    Seq(_, n) {
      note(n);
    },
  });
  return read;
}

/** [start, end) less the `read` spans. */
function unreadParts(start: number, end: number, read: Array<[number, number]>): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let from = start;
  for (const [s, e] of [...read].sort((a, b) => a[0] - b[0])) {
    if (s > from) parts.push([from, Math.min(s, end)]);
    from = Math.max(from, e);
  }
  if (from < end) parts.push([from, end]);
  return parts;
}
