// Verified blobs of `repo@digest` for the scanner in digest mode (src/oci.ts's
// BlobSource contract: `open` resolves only after the whole blob was checked).
// A layer is spooled to a private temporary file while it is hashed, so memory
// stays flat whatever its size, and only then handed over: the stream reads the
// file through an open handle after its name was removed, so it is gone from disk
// as soon as the reader is done (or the process ends). Small JSON (manifests,
// configs) is read into memory and checked with verifyBytes.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { removeOnExit } from '../cleanup.ts';
import { DigestCheck, verifyBytes } from '../digest.ts';
import { ImmutagError } from '../errors.ts';
import { BufferReleaser } from '../release-buffers.ts';
import { isIndexType, MediaType, type BlobSource, type Descriptor } from '../oci.ts';
import { readAll } from './body.ts';
import { describeBlob, getBlob } from './blob.ts';
import { networkError } from './errors.ts';
import { getManifest } from './manifest.ts';
import { isRetryableError } from './retry.ts';
import type { Transport } from './transport.ts';

export interface RegistryBlobSourceOptions {
  transport: Transport;
  registry: string;
  repository: string;
  /** Where spool files go (a private directory is made inside); default the OS temp dir. */
  tempDir?: string;
  /** The largest blob `read` takes into memory; default 16 MiB. */
  readLimit?: number;
}

const DEFAULT_READ_LIMIT = 16 * 1024 * 1024;
const SPOOL_ATTEMPTS = 3;

export class RegistryBlobSource implements BlobSource {
  private readonly options: RegistryBlobSourceOptions;
  private spoolDir: Promise<string> | undefined;
  /** The spool directory is removed on SIGINT/SIGTERM too (cleanup.ts), not only by close(). */
  private spoolGuard: { release: () => void } | undefined;

  constructor(options: RegistryBlobSourceOptions) {
    this.options = options;
  }

  async open(desc: Descriptor): Promise<Readable> {
    if (isManifestType(desc.mediaType)) return Readable.from([await this.read(desc)]);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.spool(desc);
      } catch (err) {
        // A body that broke off is fetched again; bytes that do not match are not.
        if (attempt >= SPOOL_ATTEMPTS || !isRetryableError(err)) throw networkError(err, this.options.registry, `GET ${describeBlob(this.options, desc.digest)}`);
      }
    }
  }

  async read(desc: Descriptor): Promise<Buffer> {
    const limit = this.options.readLimit ?? DEFAULT_READ_LIMIT;
    const what = `blob ${describeBlob(this.options, desc.digest)}`;
    if (desc.size > limit) {
      throw new ImmutagError('LIMIT_EXCEEDED', `${what} is ${desc.size} bytes; immutag reads at most ${limit} bytes of JSON into memory`, {
        hint: 'A manifest or config this large is not a real image; check the reference.',
      });
    }
    if (isManifestType(desc.mediaType)) {
      const manifest = await getManifest(this.options.transport, { registry: this.options.registry, repository: this.options.repository, reference: desc.digest });
      verifyBytes(manifest.bytes, desc.digest, what, desc.size);
      return manifest.bytes;
    }
    const bytes = await readAll(await getBlob(this.options.transport, this.options, desc), limit, what);
    verifyBytes(bytes, desc.digest, what, desc.size);
    return bytes;
  }

  private async spool(desc: Descriptor): Promise<Readable> {
    // The digest comes from a manifest the registry sent: it is checked (the DigestCheck
    // refuses anything but sha256/sha512 hex) before a request is made or a file named after it.
    const check = new DigestCheck(desc.digest, `blob ${describeBlob(this.options, desc.digest)}`, desc.size);
    const path = join(await this.directory(), `${desc.digest.replace(':', '-')}-${randomUUID()}`);
    try {
      const body = await getBlob(this.options.transport, this.options, desc);
      // The file is made before a byte flows: a refusal can end the pipeline while a
      // write stream's own open is still in flight, and removing the path below would
      // then come first and leave the file it goes on to create. Nothing between the
      // open and the pipeline throws, so the handle is always the write stream's to close.
      const file = await open(path, 'wx', 0o600).catch((err: unknown) => {
        body.destroy();
        throw err;
      });
      await pipeline(body, check, releaseAsWritten(), file.createWriteStream());
      const handle = await open(path, 'r');
      await unlink(path);
      return createReadStream('', { fd: handle, autoClose: true });
    } catch (err) {
      await rm(path, { force: true });
      throw err;
    }
  }

  /** Removes the spool directory (streams already handed out keep reading their open files). */
  async close(): Promise<void> {
    const dir = this.spoolDir;
    this.spoolDir = undefined;
    if (dir !== undefined) await rm(await dir, { recursive: true, force: true });
    this.spoolGuard?.release();
    this.spoolGuard = undefined;
  }

  private directory(): Promise<string> {
    this.spoolDir ??= mkdtemp(join(this.options.tempDir ?? tmpdir(), 'immutag-blobs-')).then((dir) => {
      this.spoolGuard = removeOnExit(dir);
      return dir;
    });
    return this.spoolDir;
  }
}

// Manifests live under /manifests/, not /blobs/, on most registries.
function isManifestType(mediaType: string): boolean {
  return isIndexType(mediaType) || mediaType === MediaType.ociManifest || mediaType === MediaType.dockerManifest;
}

/** A pipeline stage that lets spooled chunks be collected young (release-buffers.ts). */
function releaseAsWritten(): (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer> {
  const releaser = new BufferReleaser();
  return async function* release(source) {
    for await (const chunk of source) {
      releaser.sent(chunk.length);
      yield chunk;
    }
  };
}
