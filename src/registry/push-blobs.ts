// The blobs of one image into every target repository of one registry, with as
// few bytes on the wire as the protocol allows:
//
//   1. HEAD every blob in every repository (bounded pool): what is there is skipped.
//   2. Repository by repository, largest blob first: a blob another target
//      repository on this registry holds (already, or since earlier in this run)
//      is mounted from it; anything else is uploaded (upload.ts), hashed on the way.
//
// A failed upload is started over from a fresh session and a fresh read of the blob
// (a chunk is the next slice of a blob read front to back, and cannot be resent);
// DIGEST_MISMATCH and refusals are never retried.
import { ImmutagError } from '../errors.ts';
import type { LocalImage } from '../image/local-image.ts';
import type { Logger } from '../log.ts';
import type { Descriptor } from '../oci.ts';
import { mapPool } from '../pool.ts';
import { blobExists, describeBlob } from './blob.ts';
import { RegistryHttpError } from './errors.ts';
import type { PushProgress } from './push-progress.ts';
import type { Transport } from './transport.ts';
import { uploadBlob, type UploadTuning } from './upload.ts';
import { mountBlob, startUpload, type UploadSession, type UploadTarget } from './upload-session.ts';

export interface BlobStats {
  blobsUploaded: number;
  bytesUploaded: number;
  blobsSkipped: number;
  blobsMounted: number;
}

export interface BlobPhase {
  transport: Transport;
  image: LocalImage;
  /** The target repositories of one registry, in push order. */
  targets: readonly UploadTarget[];
  concurrency: number;
  tuning?: Partial<UploadTuning>;
  progress: PushProgress;
  stats: BlobStats;
  logger: Logger;
}

const UPLOAD_ATTEMPTS = 3;

export async function pushBlobs(phase: BlobPhase): Promise<void> {
  const blobs = [...phase.image.blobs].sort((a, b) => b.size - a.size);
  const holders = new Map<string, Set<string>>();
  const missing = new Map<string, Descriptor[]>();
  for (const target of phase.targets) {
    const present = await mapPool(blobs, phase.concurrency, async (desc) => (await blobExists(phase.transport, target, desc)).exists);
    missing.set(target.repository, blobs.filter((_, i) => !present[i]));
    blobs.forEach((desc, i) => {
      if (present[i]) holdersOf(holders, desc.digest).add(target.repository);
    });
    phase.stats.blobsSkipped += present.filter(Boolean).length;
  }
  for (const target of phase.targets) {
    const todo = missing.get(target.repository) ?? [];
    phase.progress.expect(todo.filter((d) => mountSource(holders, d, target) === undefined).reduce((sum, d) => sum + d.size, 0));
    if (todo.length > 0) phase.logger.info(`${target.registry}/${target.repository}: ${todo.length} blob(s) to send, ${blobs.length - todo.length} already there`);
    await mapPool(todo, phase.concurrency, stopAfterFailure(async (desc: Descriptor) => {
      await sendBlob(phase, target, desc, mountSource(holders, desc, target));
      holdersOf(holders, desc.digest).add(target.repository);
    }));
  }
}

async function sendBlob(phase: BlobPhase, target: UploadTarget, desc: Descriptor, from: string | undefined): Promise<void> {
  let session: UploadSession | undefined;
  if (from !== undefined) {
    const mount = await mountBlob(phase.transport, target, desc, from);
    if (mount?.mounted === true) {
      phase.stats.blobsMounted++;
      phase.logger.debug(`Mounted ${desc.digest} into ${target.repository} from ${from}`);
      return;
    }
    session = mount?.session;
    phase.progress.expect(desc.size);
  }
  for (let attempt = 1; ; attempt++) {
    let sent = 0;
    try {
      await uploadBlob(phase.transport, target, session ?? await startUpload(phase.transport, target), desc, await phase.image.openRaw(desc), {
        ...(phase.tuning ? { tuning: phase.tuning } : {}),
        onBytes: (n) => {
          sent += n;
          phase.progress.add(n);
        },
      });
      phase.stats.blobsUploaded++;
      phase.stats.bytesUploaded += desc.size;
      return;
    } catch (err) {
      session = undefined;
      if (attempt >= UPLOAD_ATTEMPTS || !retryable(err)) throw err;
      phase.progress.add(-sent);
      phase.logger.warning(`Upload of ${describeBlob(target, desc.digest)} failed (${(err as Error).message}); starting it over (attempt ${attempt + 1} of ${UPLOAD_ATTEMPTS})`);
      // The closing PUT may have landed before its answer was lost.
      if ((await blobExists(phase.transport, target, desc)).exists) return;
    }
  }
}

/** Once one blob failed, the pool's other workers take no new blob: the push is over. */
function stopAfterFailure<T>(fn: (item: T) => Promise<void>): (item: T) => Promise<void> {
  let failed = false;
  return async (item) => {
    if (failed) return;
    try {
      await fn(item);
    } catch (err) {
      failed = true;
      throw err;
    }
  };
}

function mountSource(holders: Map<string, Set<string>>, desc: Descriptor, target: UploadTarget): string | undefined {
  for (const repository of holders.get(desc.digest) ?? []) if (repository !== target.repository) return repository;
  return undefined;
}

function holdersOf(holders: Map<string, Set<string>>, digest: string): Set<string> {
  let set = holders.get(digest);
  if (set === undefined) {
    set = new Set();
    holders.set(digest, set);
  }
  return set;
}

function retryable(err: unknown): boolean {
  if (!(err instanceof ImmutagError)) return false;
  if (err.code === 'REGISTRY_UNREACHABLE') return true;
  // 416 RANGE_INVALID: the session's offset is not where the upload stands; a fresh session starts from 0.
  if (err instanceof RegistryHttpError) return err.temporary() || err.status === 416 || err.hasCode('BLOB_UPLOAD_UNKNOWN', 'BLOB_UPLOAD_INVALID', 'RANGE_INVALID');
  return false;
}
