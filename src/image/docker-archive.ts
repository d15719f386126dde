// The legacy `docker save` archive: manifest.json lists each image's config file,
// RepoTags and layer tar files, with no manifest and no layer digests. immutag
// synthesizes the manifest it will push, deterministically from the bytes:
//
//   an OCI image manifest, serialized exactly as Docker 25+ writes it in the OCI
//   form of docker save (Go's field order, no whitespace): config mediaType
//   application/vnd.oci.image.config.v1+json with the config file's bytes
//   unchanged, layers application/vnd.oci.image.layer.v1.tar with the layer
//   files' exact bytes, digests and sizes computed from those bytes.
//
// Why: re-compressing would make the digest depend on the gzip implementation; the
// uncompressed OCI layer type is standard (Docker schema 2 has no uncompressed
// layer type), and this is the very manifest a newer Docker would have written for
// the same image (moby daemon/internal/image/tarexport/save.go), so the digest does
// not change when the user upgrades Docker.
// The config is the anchor: the layers must hash to its rootfs.diff_ids, and a
// config named <hex>.json (or blobs/sha256/<hex>) must hash to that name.
import { posix } from 'node:path';
import { digestMismatch, digestOf } from '../digest.ts';
import { ImmutagError } from '../errors.ts';
import { MediaType, type Descriptor } from '../oci.ts';
import type { FileSpan, ImageFiles } from './files.ts';
import { CONFIG_FIELDS, DOCKER_SAVE_FIELDS } from '../oci-json.ts';
import { parseJson, readJsonMember } from './json-member.ts';
import { forEachPool } from '../pool.ts';
import type { ImageCandidate } from './select-image.ts';
import { hashSpan, readSpan } from './span-reader.ts';
import type { VerifiedBlobs } from './verified-blobs.ts';

const MANIFEST_JSON_LIMIT = 4 * 1024 * 1024;
const CONFIG_LIMIT = 16 * 1024 * 1024;

export interface DockerArchiveEntry extends ImageCandidate {
  config: string;
  layers: string[];
}

export async function readDockerEntries(files: ImageFiles): Promise<DockerArchiveEntry[]> {
  const list = await readJsonMember(files, 'manifest.json', MANIFEST_JSON_LIMIT, DOCKER_SAVE_FIELDS);
  if (!Array.isArray(list)) throw malformed(files.location, 'manifest.json is not a list');
  return list.map((item: unknown, i) => {
    const e = (item ?? {}) as { Config?: unknown; RepoTags?: unknown; Layers?: unknown };
    const layers = Array.isArray(e.Layers) ? e.Layers : undefined;
    if (typeof e.Config !== 'string' || layers === undefined || !layers.every((l) => typeof l === 'string')) {
      throw malformed(files.location, `entry ${i + 1} of manifest.json has no Config file or Layers list`);
    }
    const repoTags = Array.isArray(e.RepoTags) ? e.RepoTags.filter((t): t is string => typeof t === 'string') : [];
    return { id: `${e.Config}|${layers.join('|')}`, names: repoTags, config: e.Config, layers: layers as string[] };
  });
}

/** Hashes the entry's config and layers, checks them against each other, and returns the manifest's descriptor. */
export async function synthesizeManifest(entry: DockerArchiveEntry, files: ImageFiles, store: VerifiedBlobs, concurrency: number): Promise<Descriptor> {
  const configSpan = await locate(files, entry.config, 'config');
  if (configSpan.size > CONFIG_LIMIT) throw malformed(files.location, `config ${entry.config} is ${configSpan.size} bytes`);
  const configBytes = await readSpan(configSpan, files.location);
  const configDigest = digestOf(configBytes);
  const named = digestInName(entry.config);
  if (named !== undefined && named !== configDigest) throw digestMismatch(`config ${entry.config} in ${files.location}`, named, configDigest);
  const diffIds = diffIdsOf(parseJson(configBytes, `config ${entry.config}`, CONFIG_FIELDS));
  if (diffIds.length !== entry.layers.length) {
    throw malformed(files.location, `config ${entry.config} lists ${diffIds.length} layers (rootfs.diff_ids) but manifest.json lists ${entry.layers.length}`);
  }
  store.rememberSpan(configDigest, configSpan);

  const layers: Descriptor[] = new Array(entry.layers.length);
  // One file listed many times is hashed once: else a few MB of JSON multiply one layer's hashing.
  const hashes = new Map<string, Promise<string>>();
  await forEachPool([...entry.layers.keys()], concurrency, async (i) => {
    const path = entry.layers[i] as string;
    const span = await locate(files, path, `layer ${i + 1}`);
    const key = `${span.file}\0${span.start}\0${span.size}`;
    let hashing = hashes.get(key);
    if (hashing === undefined) {
      hashing = hashSpan(span, files.location, 'sha256');
      hashes.set(key, hashing);
    }
    const actual = await hashing;
    const expected = diffIds[i] as string;
    if (actual !== expected) throw digestMismatch(`layer ${i + 1} (${path} in ${files.location}), checked against the config's rootfs.diff_ids`, expected, actual);
    store.rememberSpan(actual, span);
    layers[i] = { mediaType: MediaType.ociLayer, digest: actual, size: span.size };
  });

  // Key order and compactness are part of the digest; this matches Go's encoding/json of ocispec.Manifest.
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: configDigest, size: configBytes.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  }));
  const digest = digestOf(manifest);
  store.rememberBytes(digest, manifest);
  return { mediaType: MediaType.ociManifest, digest, size: manifest.length };
}

/** Docker names the config `<hex>.json` (before 25) or `blobs/sha256/<hex>` (25+). */
function digestInName(path: string): string | undefined {
  const base = posix.basename(path);
  const m = /^([a-f0-9]{64})(\.json)?$/.exec(base);
  return m ? `sha256:${m[1]}` : undefined;
}

function diffIdsOf(config: unknown): string[] {
  const ids = (config as { rootfs?: { diff_ids?: unknown } } | null)?.rootfs?.diff_ids;
  if (!Array.isArray(ids) || !ids.every((d) => typeof d === 'string' && /^sha256:[a-f0-9]{64}$/.test(d))) {
    throw new ImmutagError('IMAGE_INVALID', 'The image config has no valid rootfs.diff_ids list', {
      hint: 'The docker save archive is corrupt; save the image again.',
    });
  }
  return ids as string[];
}

async function locate(files: ImageFiles, path: string, what: string): Promise<FileSpan> {
  const span = await files.locate(path);
  if (span === undefined) throw malformed(files.location, `${what} file ${path} named in manifest.json is missing`);
  return span;
}

function malformed(location: string, detail: string): ImmutagError {
  return new ImmutagError('IMAGE_INVALID', `${location} is not a usable docker save archive: ${detail}`, {
    hint: 'Save the image again with docker save (or skopeo copy … docker-archive:), without editing the archive.',
  });
}
