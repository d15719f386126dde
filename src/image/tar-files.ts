// An image held in a tar archive (an OCI archive or a docker save), read in place:
// the archive is indexed once and members are spans of the archive file.
import { open } from 'node:fs/promises';
import { ImmutagError } from '../errors.ts';
import { checkMemberName, fingerprintOf, sameFingerprint, type FileSpan, type Fingerprint, type ImageFiles } from './files.ts';
import { indexTar, resolveMember, type TarEntry } from './tar-index.ts';

export class TarFiles implements ImageFiles {
  readonly container = 'tar' as const;
  readonly location: string;
  private readonly file: string;
  private readonly entries: Map<string, TarEntry>;
  private readonly fingerprint: Fingerprint;

  private constructor(location: string, file: string, entries: Map<string, TarEntry>, fingerprint: Fingerprint) {
    this.location = location;
    this.file = file;
    this.entries = entries;
    this.fingerprint = fingerprint;
  }

  static async open(location: string, file: string): Promise<TarFiles> {
    const fh = await open(file, 'r');
    try {
      const before = await fh.stat({ bigint: true });
      const head = Buffer.alloc(4);
      await fh.read(head, 0, 4, 0);
      refuseCompressed(head, location);
      const entries = await indexTar(fh, Number(before.size), location);
      const after = await fh.stat({ bigint: true });
      if (!sameFingerprint(fingerprintOf(before), fingerprintOf(after))) {
        throw new ImmutagError('IMAGE_INVALID', `${location} changed while it was being read`, {
          hint: 'Another process is writing the image file; wait for the build step to finish.',
        });
      }
      return new TarFiles(location, file, entries, fingerprintOf(before));
    } finally {
      await fh.close();
    }
  }

  async locate(name: string): Promise<FileSpan | undefined> {
    const relative = checkMemberName(name, this.location);
    const member = resolveMember(this.entries, relative);
    if (member === undefined) return undefined;
    return { file: this.file, start: member.offset, size: member.size, fingerprint: this.fingerprint, name: relative };
  }
}

/** A compressed archive cannot be read in place; say how to get the tar. */
function refuseCompressed(head: Buffer, location: string): void {
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const zstd = head.readUInt32LE(0) === 0xfd2fb528;
  if (!gzip && !zstd) return;
  throw new ImmutagError('IMAGE_INVALID', `${location} is ${gzip ? 'gzip' : 'zstd'}-compressed`, {
    hint: `Decompress it first (${gzip ? 'gunzip' : 'unzstd'}), or pass the uncompressed tar that docker save / buildx --output type=oci wrote.`,
  });
}
