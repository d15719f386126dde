// The built-in scanner's inventory: a verified image manifest in, the packages the
// final image filesystem holds out. The flow, one layer at a time in manifest order:
//  1. open the layer through the BlobSource (verified against digest and size first);
//  2. stream its tar (layers.ts), applying whiteouts to what lower layers left (overlay.ts);
//  3. buffer only package databases and metadata files, parse each as it arrives;
//  4. at the layer's end, merge: a package keeps the layer that introduced it when a
//     later layer rewrote its database without changing it.
// Then identify the OS (os-release.ts) and name every package's OSV ecosystem, and
// tell which language packages a distribution package installed (markOwned): the rare
// binary or archive a package database claims is read once more from its layer, to be
// hashed (inventory/claimed-content.ts); no other file is ever hashed whole.
import { posix } from 'node:path';
import { ImmutagError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { quoted } from '../quoted.ts';
import type { BlobSource, Descriptor, ImageManifest } from '../oci.ts';
import { ByteBudget } from './decompress.ts';
import { displayPath, type OwnedFiles, type RawPackage, type Unread } from './inventory/analyzer.ts';
import { Claims, ClaimedContent, type ContentDigests, differs, recordedAlgorithm, type WantedMember } from './inventory/claimed-content.ts';
import { InventoryWalk, type TrackedNode } from './inventory/walk.ts';
import { HardLinkTargets } from './inventory/hard-link-targets.ts';
import { rpmAnalyzer } from './inventory/rpm.ts';
import { rpmManifestAnalyzer } from './inventory/rpm-manifest.ts';
import { yarnCacheAnalyzer } from './inventory/yarn-cache.ts';
import { pnpLoaderAnalyzer } from './inventory/yarn-pnp.ts';
import { CHISEL_MANIFEST, CHISEL_UNREAD } from './inventory/chisel.ts';
import { cacheNote, PackageCaches, packageCacheAnalyzer, type CachedIn } from './inventory/package-cache.ts';
import { dockerPullerTakes, dockerPullerTakesLayer, isRunnableManifest, layerMediaType } from './layer-media-type.ts';
import { beginsWithTar, type LayerReadOptions, readLayer } from './layers.ts';
import type { OsInfo, Package } from './model.ts';
import { languageEcosystem, osEcosystem } from './os-ecosystem.ts';
import { findOsRelease, type OsRelease } from './os-release.ts';
import { purlFor } from './purl.ts';

export interface InventoryOptions {
  /** Largest single file an analyser reads: a larger package database stops the scan, other files get a note. Default 64 MiB. */
  maxFileBytes?: number;
  /** Decompressed bytes across all layers before the scan stops with LIMIT_EXCEEDED. Default 8 GiB. */
  maxTotalBytes?: number;
  logger?: Logger;
  /** The manifest was reached through an index (which config types make it an image depends on it). */
  inIndex?: boolean;
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
  const walk = new InventoryWalk(maxFileBytes);
  const notes: string[] = [];
  /** What each layer decompressed to: the bound of any later pass over it. */
  const spent = new Map<string, number>();
  await refuseUnreadableLayers(source, manifest, options.inIndex ?? false);
  for (const layer of manifest.layers) {
    walk.beginLayer(layer.digest);
    const before = budget.spent;
    const result = await readLayer(source, layer, walk, { maxFileBytes, budget });
    spent.set(layer.digest, budget.spent - before);
    // The same bytes again: counted once against the image's limit, and bounded by what the first pass read.
    await fillHardLinks(source, layer, walk, { maxFileBytes, budget: new ByteBudget(budget.spent - before) });
    walk.endLayer();
    notes.push(...result.notes);
    options.logger?.debug(`layer ${layer.digest}: ${result.read ? `${result.compression}, ${result.entries} entries` : 'skipped'}`);
  }
  options.logger?.debug(`inventory: ${budget.spent} decompressed bytes read`);
  const { inventory, owned } = assemble(walk, notes);
  const claims = new Claims(owned);
  const digests = metadataDigests(walk);
  for (const [path, found] of await hashClaimed(source, manifest, walk, claims, { maxFileBytes, spent })) digests.set(path, found);
  const ownedNote = markOwned(inventory.packages, claims, inventory.os?.prettyName ?? inventory.os?.id, digests);
  if (ownedNote && !inventory.notes.includes(ownedNote)) inventory.notes.push(ownedNote);
  return inventory;
}

/**
 * Hard links at names an analyser reads whose bytes the layer stored under another
 * name it does not (pnpm's store, ostree's objects): read by a second pass over the
 * layer, which only such layers pay for (see inventory/hard-link-targets.ts). Its
 * budget is what the first pass decompressed: the image's limit counts each byte once.
 */
async function fillHardLinks(source: BlobSource, layer: Descriptor, walk: InventoryWalk, options: LayerReadOptions): Promise<void> {
  const pending = walk.pendingLinks();
  if (pending.length === 0) return;
  const targets = new HardLinkTargets(pending);
  await readLayer(source, layer, targets, options);
  walk.fillLinks(targets);
}

/**
 * A runtime unpacks every layer of an image (or refuses to run it): a layer of an image
 * the scanner cannot read is a filesystem it never saw, so the scan stops before reading
 * any. A manifest no runtime takes for an image keeps other layers as notes, unless
 * Docker's puller would still take it and untar one of its layers: that one begins with
 * a tar once decompressed, and stops the scan too. Attestations never get here.
 */
async function refuseUnreadableLayers(source: BlobSource, manifest: ImageManifest, inIndex: boolean): Promise<void> {
  if (isRunnableManifest(manifest, manifest.mediaType, inIndex)) {
    const unknown = manifest.layers.filter((layer) => layerMediaType(layer.mediaType) === undefined);
    if (unknown.length > 0) throw unknownLayers(manifest.config?.mediaType, unknown);
    return;
  }
  if (!dockerPullerTakes(manifest.config?.mediaType, manifest.mediaType, inIndex)) return;
  const tars: Descriptor[] = [];
  for (const layer of manifest.layers) {
    if (dockerPullerTakesLayer(layer.mediaType) && await beginsWithTar(source, layer)) tars.push(layer);
  }
  if (tars.length > 0) throw unknownLayers(manifest.config?.mediaType, tars);
}

function unknownLayers(configType: string | undefined, layers: Descriptor[]): ImmutagError {
  const list = layers.slice(0, 3).map((l) => `${l.digest} (${quoted(l.mediaType)})`).join(', ') + (layers.length > 3 ? ', …' : '');
  const config = configType ? `config ${quoted(configType)}` : 'no config media type';
  return new ImmutagError('SCANNER_FAILED',
    `The image (${config}) has ${layers.length === 1 ? 'a layer' : `${layers.length} layers`} of a media type the built-in scanner does not read as a filesystem: ${list}`, {
      hint: 'What such a layer puts in the container is unknown, so the image cannot pass this scan. ' +
        'Rebuild the image with standard layer media types (application/vnd.oci.image.layer.v1.tar+gzip), or scan with scan: trivy or grype.',
    });
}

/** The inventory before markOwned, and the file lists it checks. */
function assemble(walk: InventoryWalk, layerNotes: string[]): { inventory: Inventory; owned: OwnedFiles[] } {
  const unread = walk.followDatabaseLinks();
  const { release } = findOsRelease((path) => walk.osReleaseNode(path), (path) => walk.resolve(path));
  const packages: Package[] = [];
  const notes = new Set<string>(layerNotes);
  const distro = osEcosystem(release);
  const owned: OwnedFiles[] = [];
  // An image with an rpm database and rpm's build-time manifest lists each package twice: the database is the list.
  const rpmDatabase = [...walk.entries()].some(([, node]) => node.analyzer === rpmAnalyzer && (node.analysis?.packages.length ?? 0) > 0);
  const loadable = plugAndPlayZips(walk);
  const caches = packageCaches(walk);
  const uncounted = { noLoader: 0, notRegistered: 0, cached: new Map<string, { cachedIn: CachedIn; count: number }>() };
  for (const [path, node] of walk.entries()) {
    if (node.analyzer === yarnCacheAnalyzer && loadable !== 'all' && !loadable?.has(path)) {
      if (loadable === undefined) uncounted.noLoader++;
      else uncounted.notRegistered++;
      continue;
    }
    const note = walk.noteFor(path, node);
    if (note) notes.add(note);
    const missed = walk.unreadFor(path, node);
    if (missed) unread.push(missed);
    if (!node.analysis || (rpmDatabase && node.analyzer === rpmManifestAnalyzer)) continue;
    for (const note of node.analysis.notes) notes.add(note);
    if (node.analysis.owned) owned.push(node.analysis.owned);
    const cachedIn = caches.leftOut(path);
    if (cachedIn !== undefined && node.analysis.packages.some((p) => languageEcosystem(p.type) !== undefined)) {
      const seen = uncounted.cached.get(cachedIn.cache) ?? { cachedIn, count: 0 };
      uncounted.cached.set(cachedIn.cache, { cachedIn, count: seen.count + node.analysis.packages.length });
      continue;
    }
    for (const raw of node.analysis.packages) packages.push(toPackage(raw, path, node, release, distro.ecosystem));
  }
  const osNote = osCoverageNote(release, distro.note, packages.some((p) => languageEcosystem(p.type) === undefined));
  if (osNote) notes.add(osNote);
  if (uncounted.noLoader > 0) notes.add(`${uncounted.noLoader} Yarn cache zip(s) not counted as installed: no app in the image runs under Plug'n'Play (no .pnp.cjs), so Node loads node_modules, which is read.`);
  if (uncounted.notRegistered > 0) notes.add(`${uncounted.notRegistered} Yarn cache zip(s) not counted as installed: no Plug'n'Play loader in the image (.pnp.cjs, .pnp.data.json) registers them; Yarn leaves the zips of earlier installs in its global cache.`);
  for (const { cachedIn, count } of uncounted.cached.values()) notes.add(cacheNote(cachedIn, count));
  if (walk.get(CHISEL_MANIFEST)?.kind === 'file' && !packages.some((p) => p.type === 'deb')) unread.push(CHISEL_UNREAD);
  const inventory: Inventory = { packages, notes: [...notes], unread };
  if (release) inventory.os = release.info;
  return { inventory, owned };
}

/**
 * The one line an image gets about its OS part, decided once per image (per platform):
 * whether OS packages were read or not, a reader must learn that the OS was not checked.
 * Without a dpkg, apk or rpm package (Arch's pacman, Gentoo's portage, BusyBox alone, a
 * static Go binary FROM scratch) nothing of the OS was listed, and an image with no
 * finding would otherwise read as one whose OS was checked and clean.
 */
function osCoverageNote(release: OsRelease | undefined, distroNote: string | undefined, osPackages: boolean): string | undefined {
  if (osPackages) return distroNote;
  if (!release) return NO_OS_NOTE;
  const { id, prettyName } = release.info;
  return `${prettyName ?? id} (ID=${id}): no dpkg, apk or rpm package was found, so its OS packages were neither listed nor matched against advisories; only language packages were checked.`;
}

/** The note of an image with neither os-release nor an OS package (FROM scratch, BusyBox alone). */
export const NO_OS_NOTE = 'No OS identified (no os-release) and no dpkg, apk or rpm package found: only language packages were checked (Go and Rust binaries by their build info), not other binaries such as BusyBox.';

/** The digests the walk took of small language metadata files, by displayed path. */
function metadataDigests(walk: InventoryWalk): Map<string, ContentDigests> {
  return new Map([...walk.entries()].flatMap(([path, node]) => (node.digests ? [[displayPath(path), node.digests] as const] : [])));
}

/**
 * The digests of the binaries and archives a package database claims with a recorded
 * digest, read again from the layers that wrote them and hashed only in the algorithms
 * recorded (inventory/claimed-content.ts). A layer holding none is not read again; an
 * image holding none (almost every one) costs nothing. Each pass is bounded by what
 * its layer decompressed to the first time.
 */
async function hashClaimed(
  source: BlobSource, manifest: ImageManifest, walk: InventoryWalk, claims: Claims, limits: { maxFileBytes: number; spent: Map<string, number> },
): Promise<Map<string, ContentDigests>> {
  const found = new Map<string, ContentDigests>();
  for (const [digest, wanted] of claimedMembers(walk, claims)) {
    const layer = manifest.layers.find((l) => l.digest === digest);
    if (!layer) continue;
    const pass = new ClaimedContent(wanted);
    await readLayer(source, layer, pass, { maxFileBytes: limits.maxFileBytes, budget: new ByteBudget(limits.spent.get(digest) ?? 0) });
    for (const [path, digests] of pass.digests()) found.set(path, digests);
  }
  return found;
}

/** By layer, then by position in it: each content-read file with packages that a database claims and recorded a digest for. */
function claimedMembers(walk: InventoryWalk, claims: Claims): Map<string, Map<number, WantedMember>> {
  const byLayer = new Map<string, Map<number, WantedMember>>();
  for (const [path, node] of walk.entries()) {
    if (!node.readFrom || (node.analysis?.packages.length ?? 0) === 0) continue;
    const shown = displayPath(path);
    const claim = claims.claim(shown, metadataDirectory(shown));
    const recorded = claim === undefined ? undefined : claims.recorded(claim, shown);
    const algorithm = recorded === undefined ? undefined : recordedAlgorithm(recorded);
    if (algorithm === undefined) continue;
    const members = byLayer.get(node.layer) ?? new Map<number, WantedMember>();
    byLayer.set(node.layer, members);
    const want = members.get(node.readFrom.index) ?? { member: node.readFrom, algorithms: new Set(), shownAs: [] };
    members.set(node.readFrom.index, want);
    want.algorithms.add(algorithm);
    want.shownAs.push(shown);
  }
  return byLayer;
}

/**
 * The package caches the image holds (package-cache.ts), with what in them a symlink
 * reaches (conda's always_softlink, uv's --link-mode symlink, a linked directory): that
 * is what runs, and is read as installed wherever it is.
 */
function packageCaches(walk: InventoryWalk): PackageCaches {
  const caches = new PackageCaches();
  for (const [path, node] of walk.entries()) {
    if (node.analyzer === packageCacheAnalyzer && node.analysis?.cacheMarker) caches.add(path);
  }
  caches.follow(walk.symlinks());
  return caches;
}

/**
 * The Yarn cache zips Node can load from in the final image: those the Plug'n'Play
 * loaders left in it register (yarn-pnp.ts). Undefined when no loader is left: under
 * Yarn's other linkers the cache (Yarn 4 keeps a global one by default) is only a
 * download cache, node_modules is what runs, and its packages would be reported twice,
 * or when left out of node_modules, falsely. `all` when a directory's loaders register
 * nothing this reader understands (too large, another format): every zip may be loaded.
 */
function plugAndPlayZips(walk: InventoryWalk): Set<string> | 'all' | undefined {
  const byDirectory = new Map<string, string[] | undefined>();
  for (const [path, node] of walk.entries()) {
    if (node.analyzer !== pnpLoaderAnalyzer) continue;
    const dir = posix.dirname(path);
    const loads = node.analysis?.loads;
    if (loads !== undefined) byDirectory.set(dir, [...(byDirectory.get(dir) ?? []), ...loads]);
    else if (!byDirectory.has(dir)) byDirectory.set(dir, undefined);
  }
  if (byDirectory.size === 0) return undefined;
  const zips = new Set<string>();
  for (const loads of byDirectory.values()) {
    if (loads === undefined) return 'all';
    for (const zip of loads) zips.add(zip);
  }
  return zips;
}

const INSTALLER = { deb: 'dpkg', rpm: 'rpm', apk: 'apk' } as const;

/**
 * The `.dist-info` / `.egg-info` directory a metadata file is in, which a file list may
 * name instead of the file. Never any other parent: `/usr/bin` or `dist-packages` is in
 * many packages' lists, and would claim every binary or egg dropped next to theirs.
 */
function metadataDirectory(path: string): string | undefined {
  const parent = path.slice(0, path.lastIndexOf('/'));
  return /\.(dist|egg)-info$/.test(parent) ? parent : undefined;
}

/**
 * Language packages whose metadata file (or its `.dist-info`-style directory) a
 * distribution package installed are marked and left to the distribution's advisories:
 * Debian's python3-idna carries Debian's fixes, and PyPI's idna records would fail a
 * fully patched image. Returns the one note that says so.
 */
function markOwned(packages: Package[], claims: Claims, distro: string | undefined, digests: Map<string, ContentDigests>): string | undefined {
  const byInstaller = new Map<OwnedFiles['by'], string[]>();
  for (const pkg of packages) {
    if (languageEcosystem(pkg.type) === undefined) continue;
    const claim = claims.claim(pkg.path, metadataDirectory(pkg.path));
    if (claim === undefined) continue;
    // A file with other content than the package recorded was put there by something else since (npm upgraded over it, curl replaced a binary).
    const recorded = claims.recorded(claim, pkg.path);
    if (recorded !== undefined && differs(recorded, digests.get(pkg.path))) continue;
    pkg.ownedBy = { type: claim.list.by, name: claim.name };
    byInstaller.set(claim.list.by, [...(byInstaller.get(claim.list.by) ?? []), `${pkg.name} (${claim.name})`]);
  }
  if (byInstaller.size === 0) return undefined;
  const parts = [...byInstaller].map(([by, names]) => `${names.length} installed by ${INSTALLER[by]}: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`);
  const count = [...byInstaller.values()].reduce((sum, names) => sum + names.length, 0);
  return `${count} language packages are left to ${distro ?? 'the distribution'}'s advisories and not matched against upstream ones (${parts.join('; ')}).`;
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
  if (raw.rpmModule !== undefined) pkg.rpmModule = raw.rpmModule;
  return pkg;
}
