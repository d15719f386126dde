// The built-in scanner's inventory: a verified image manifest in, the packages the
// final image filesystem holds out. The flow, one layer at a time in manifest order:
//  1. open the layer through the BlobSource (verified against digest and size first);
//  2. stream its tar (layers.ts), applying whiteouts to what lower layers left (overlay.ts);
//  3. buffer only package databases and metadata files, parse each as it arrives;
//  4. at the layer's end, merge: a package keeps the layer that introduced it when a
//     later layer rewrote its database without changing it.
// Then identify the OS (os-release.ts) and name every package's OSV ecosystem.
import type { Logger } from '../log.ts';
import type { BlobSource, ImageManifest } from '../oci.ts';
import { ByteBudget } from './decompress.ts';
import { displayPath, type RawPackage, type Unread } from './inventory/analyzer.ts';
import { InventoryWalk, type TrackedNode } from './inventory/walk.ts';
import { readLayer } from './layers.ts';
import type { OsInfo, Package } from './model.ts';
import { languageEcosystem, osEcosystem } from './ecosystem.ts';
import { findOsRelease, type OsRelease } from './os-release.ts';
import { purlFor } from './purl.ts';

export interface InventoryOptions {
  /** Largest single file an analyser reads: a larger package database stops the scan, other files get a note. Default 64 MiB. */
  maxFileBytes?: number;
  /** Decompressed bytes across all layers before the scan stops with LIMIT_EXCEEDED. Default 8 GiB. */
  maxTotalBytes?: number;
  logger?: Logger;
}

export interface Inventory {
  os?: OsInfo;
  packages: Package[];
  /** What could not be read (malformed metadata files, skipped layers or entries). */
  notes: string[];
  /** Package databases in the image that were not read: the scan must not pass (scan.ts stops it). */
  unread: Unread[];
}

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024;

export async function inventoryImage(source: BlobSource, manifest: ImageManifest, options: InventoryOptions = {}): Promise<Inventory> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const budget = new ByteBudget(options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES);
  const walk = new InventoryWalk();
  const notes: string[] = [];
  for (const layer of manifest.layers) {
    walk.beginLayer(layer.digest);
    const result = await readLayer(source, layer, walk, { maxFileBytes, budget });
    walk.endLayer();
    notes.push(...result.notes);
    options.logger?.debug(`layer ${layer.digest}: ${result.read ? `${result.compression}, ${result.entries} entries` : 'skipped'}`);
  }
  options.logger?.debug(`inventory: ${budget.spent} decompressed bytes read`);
  return assemble(walk, notes);
}

function assemble(walk: InventoryWalk, layerNotes: string[]): Inventory {
  const { release } = findOsRelease((path) => walk.get(path));
  const packages: Package[] = [];
  const notes = new Set<string>(layerNotes);
  const unread: Unread[] = [];
  const distro = osEcosystem(release);
  for (const [path, node] of walk.entries()) {
    const note = walk.noteFor(path, node);
    if (note) notes.add(note);
    const missed = walk.unreadFor(path, node);
    if (missed) unread.push(missed);
    if (!node.analysis) continue;
    for (const note of node.analysis.notes) notes.add(note);
    for (const raw of node.analysis.packages) {
      const pkg = toPackage(raw, path, node, release, distro.ecosystem);
      if (languageEcosystem(raw.type) === undefined && distro.note) notes.add(distro.note);
      packages.push(pkg);
    }
  }
  const inventory: Inventory = { packages, notes: [...notes], unread };
  if (release) inventory.os = release.info;
  return inventory;
}

function toPackage(raw: RawPackage, path: string, node: TrackedNode, os: OsRelease | undefined, osEco: string): Package {
  const pkg: Package = {
    type: raw.type,
    name: raw.name,
    version: raw.version,
    ecosystem: languageEcosystem(raw.type) ?? osEco,
    path: displayPath(path),
    layer: raw.layer ?? node.layer,
    purl: purlFor(raw, os?.info),
  };
  if (raw.sourceName !== undefined) pkg.sourceName = raw.sourceName;
  if (raw.sourceVersion !== undefined) pkg.sourceVersion = raw.sourceVersion;
  if (raw.licenses) pkg.licenses = raw.licenses;
  return pkg;
}
