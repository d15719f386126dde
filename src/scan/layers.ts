// Reads one image layer as a stream of tar entries without extracting anything:
// the verified blob is decompressed (by what its bytes are, not only by what its
// media type claims), every decompressed byte is charged to the image's budget,
// and only the files the caller asks for are buffered, each under a size cap.
// Everything else is drained as it streams past.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar, { type ExtractEvents, type Header } from 'tar-stream';
import { ImmutagError } from '../errors.ts';
import { quoted } from '../quoted.ts';
import type { BlobSource, Descriptor } from '../oci.ts';
import {
  BudgetMeter, type ByteBudget, type Compression, createDecompressor, SNIFF_BYTES, sniffCompression,
} from './decompress.ts';
import { type LayerMediaType, layerMediaType } from './layer-media-type.ts';
import { isTarHeader, type MemberFrame, TarFraming } from './tar-framing.ts';
import { normaliseTarPath } from './tar-path.ts';

export type EntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface LayerEntry {
  /** Canonical relative path (`etc/os-release`); see tar-path.ts. */
  path: string;
  type: EntryType;
  size: number;
  /** Symlinks: the target as written in the archive. Hard links: the canonical path of the linked member. */
  linkTarget?: string;
}

export interface LayerVisitor {
  /** Each entry in archive order. Return true to receive the content of this regular file. */
  entry(entry: LayerEntry): boolean;
  /** The content of a file that `entry` asked for. */
  file(entry: LayerEntry, data: Buffer): void;
  /** A file that `entry` asked for is over the per-file limit; its content was skipped. */
  oversized(entry: LayerEntry, limit: number): void;
  /**
   * A regular file `entry` did not ask to buffer: a sink to see its bytes as they stream
   * past (executables are recognised by content, never buffered whole), or undefined.
   */
  stream?(entry: LayerEntry): EntrySink | undefined;
}

/** Sees one entry's bytes in order; `write` returns false once it wants no more. */
export interface EntrySink {
  write(chunk: Buffer): boolean;
  end(): void;
}

export interface LayerReadOptions {
  maxFileBytes: number;
  budget: ByteBudget;
}

export interface LayerReadResult {
  /** False when the layer is not a filesystem layer we can read (see notes). */
  read: boolean;
  compression?: Compression;
  entries: number;
  notes: string[];
}

export async function readLayer(
  source: BlobSource, layer: Descriptor, visitor: LayerVisitor, options: LayerReadOptions,
): Promise<LayerReadResult> {
  const type = layerMediaType(layer.mediaType);
  if (type?.encrypted) throw encryptedLayer(layer);
  if (type === undefined) {
    return { read: false, entries: 0, notes: [unreadableLayerNote(layer)] };
  }
  // open() resolves only after the blob matched its digest and size (BlobSource contract),
  // so a tampered layer is refused here, before a single byte is decompressed.
  const verified = await source.open(layer);
  const { head, body } = await sniff(verified, TAR_BLOCK);
  const compression = sniffCompression(head);
  refuseTwoFilesystems(layer, type, head, compression);
  const notes: string[] = [];
  if (type.declared !== 'unknown' && compression !== type.declared) {
    notes.push(`Layer ${layer.digest} is labelled ${layer.mediaType} but its content is ${describe(compression)}; it was read as ${describe(compression)}.`);
  }
  const walker = new EntryWalker(visitor, options.maxFileBytes);
  await walk(body, compression, options, layer.digest, walker);
  notes.push(...walker.notes(layer.digest));
  return { read: true, compression, entries: walker.count, notes };
}

/** For layers no build tool writes: rebuilding from the same base would copy them again. */
export const UNBUILT_LAYER_HINT = 'No build tool writes such a layer. If it comes from your base image, replace that image and tell its publisher; otherwise find what produced the layer.';

/**
 * containerd hands a layer labelled uncompressed to archive/tar as it is; Docker
 * decompresses it by its bytes. When its first block is also a tar header to Go, the
 * blob can be a tar and a compressed stream of another tar at once, and which
 * filesystem runs depends on the runtime: refused. When it is not (a plain mislabelled
 * gzip layer, as buildah once pushed), containerd cannot unpack it at all, and the
 * decompressed tar is the only filesystem that can run: it is read, with a note.
 */
function compressedRawLayer(layer: Descriptor, compression: Compression): ImmutagError {
  return new ImmutagError('IMAGE_INVALID',
    `Layer ${layer.digest} is two filesystems: labelled an uncompressed tar (${quoted(layer.mediaType)}), its bytes are ${describe(compression)} and also begin with a tar header, so containerd unpacks one tar and Docker decompresses another; nothing from it was scanned`, {
      hint: UNBUILT_LAYER_HINT,
    });
}

/**
 * The same refusal for scanners that read layers themselves (trivy and grype decompress
 * by the bytes): every layer labelled uncompressed is opened (verified) and sniffed.
 */
export async function refuseCompressedRawLayers(source: BlobSource, layers: Descriptor[]): Promise<void> {
  for (const layer of layers) {
    const type = layerMediaType(layer.mediaType);
    if (type?.declared !== 'none') continue;
    const verified = await source.open(layer);
    try {
      const { head } = await sniff(verified, TAR_BLOCK);
      refuseTwoFilesystems(layer, type, head, sniffCompression(head));
    } finally {
      verified.destroy();
    }
  }
}

/** A layer labelled uncompressed, compressed, and also a tar (see compressedRawLayer). */
function refuseTwoFilesystems(layer: Descriptor, type: LayerMediaType, head: Buffer, compression: Compression): void {
  if (type.declared === 'none' && compression !== 'none' && isTarHeader(head)) throw compressedRawLayer(layer, compression);
}

/**
 * Whether a layer's bytes, decompressed by what they are, begin with a tar header: what
 * Docker's puller untars whatever the layer's type. Verified before it is read; a stream
 * that will not decompress begins with nothing.
 */
export async function beginsWithTar(source: BlobSource, layer: Descriptor): Promise<boolean> {
  const verified = await source.open(layer);
  try {
    const { head, body } = await sniff(verified, TAR_BLOCK);
    // Docker also decompresses xz and bzip2, which the scanner cannot: such a layer may be a filesystem, so it counts as one.
    if (XZ_MAGIC.equals(head.subarray(0, XZ_MAGIC.length)) || BZIP2_MAGIC.equals(head.subarray(0, BZIP2_MAGIC.length))) return true;
    const decompressor = createDecompressor(sniffCompression(head));
    if (!decompressor) return isTarHeader(head);
    const { stage } = decompressor;
    const input = Readable.from(body);
    const output: AsyncIterable<Buffer> = typeof stage === 'function' ? stage(input) : input.pipe(stage);
    const parts: Buffer[] = [];
    let have = 0;
    try {
      for await (const chunk of output) {
        parts.push(chunk);
        have += chunk.length;
        if (have >= TAR_BLOCK) break;
      }
    } catch {
      return false;
    } finally {
      input.destroy();
      if (typeof stage !== 'function') stage.destroy();
    }
    return isTarHeader(Buffer.concat(parts));
  } finally {
    verified.destroy();
  }
}

const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const BZIP2_MAGIC = Buffer.from('BZh');

/** Not a filesystem a runtime unpacks (a layer of an artifact, not of an image: inventory.ts refuses the rest). */
function unreadableLayerNote(layer: Descriptor): string {
  return `Layer ${layer.digest} (${layer.mediaType}) was not scanned: it is not a filesystem layer.`;
}

/** A runtime holding the key decrypts and runs an encrypted layer (ocicrypt); the scan cannot read it, so it cannot pass. */
function encryptedLayer(layer: Descriptor): ImmutagError {
  return new ImmutagError('SCANNER_FAILED', `Layer ${layer.digest} (${layer.mediaType}) is encrypted; the built-in scanner cannot read it`, {
    hint: 'Scan the image before it is encrypted (push it unencrypted to a private staging repository, or scan the build output).',
  });
}

function describe(compression: Compression): string {
  return compression === 'none' ? 'an uncompressed tar' : `${compression}-compressed`;
}

/** Reads at least the first `want` bytes (or all there are), and hands back a stream that still starts with them. */
async function sniff(stream: Readable, want: number): Promise<{ head: Buffer; body: AsyncIterable<Buffer> }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const parts: Buffer[] = [];
  let have = 0;
  while (have < want) {
    const next = await iterator.next();
    if (next.done) break;
    parts.push(next.value);
    have += next.value.length;
  }
  const head = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  return { head, body: rejoin(head, iterator) };
}

async function* rejoin(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    if (head.length > 0) yield head;
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await rest.return?.();
  }
}

async function walk(
  body: AsyncIterable<Buffer>, compression: Compression, options: LayerReadOptions, digest: string, walker: EntryWalker,
): Promise<void> {
  const extract = tar.extract(EXTRACT_OPTIONS);
  const framing = new TarFraming(digest);
  const meter = new BudgetMeter(options.budget, digest, (chunk) => framing.pass(chunk));
  const decompressor = createDecompressor(compression);
  const input = new Counted(body);
  const piping = decompressor
    ? pipeline(input, decompressor.stage, meter, extract)
    : pipeline(input, meter, extract);
  let loopError: unknown;
  try {
    for await (const entry of extract) {
      await walker.visit(entry, sameFrame(framing, entry.header));
    }
    if (framing.unclaimed > 0) throw framing.invalid(`${framing.unclaimed} member headers Go's archive/tar reads were never read by the scan`);
  } catch (err) {
    loopError = err;
  }
  const pipeError = await piping.then(() => undefined, (err: unknown) => err);
  const failure = pickError(loopError, pipeError);
  if (failure !== undefined) throw asLayerError(failure, digest);
  if (decompressor && decompressor.consumed() < input.total) throw endedEarly(digest, compression, decompressor.consumed(), input.total);
}

/**
 * tar-stream must see the member Go's archive/tar sees, where Go sees it (tar-framing.ts):
 * the same header offset and the same data length, or the two read different files.
 * The member is then named as Go names it.
 */
function sameFrame(framing: TarFraming, header: Header): MemberFrame {
  const at = (header as Header & { byteOffset: number }).byteOffset - 512;
  const data = header.size === 0 || header.type === 'directory' ? 0 : header.size ?? 0;
  const frame = framing.shiftFrame();
  if (frame?.header !== at || frame.data !== data) {
    throw framing.invalid(`its member at byte ${at} is framed differently by Go's archive/tar (${frame ? `header at byte ${frame.header}, ${frame.data} data bytes` : 'no member'}) and the scanner's tar reader (${data} data bytes)`);
  }
  return frame;
}

/** Counts the bytes that pass, to tell whether the decompressor read them all. */
class Counted implements AsyncIterable<Buffer> {
  total = 0;
  private readonly source: AsyncIterable<Buffer>;

  constructor(source: AsyncIterable<Buffer>) {
    this.source = source;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for await (const chunk of this.source) {
      this.total += chunk.length;
      yield chunk;
    }
  }
}

/** Bytes after the end of the compressed stream were never read: what they hold is unknown, so the layer is refused. */
function endedEarly(digest: string, compression: Compression, consumed: number, total: number): ImmutagError {
  return new ImmutagError('IMAGE_INVALID',
    `Layer ${digest}: its ${compression} stream ends after ${consumed} of its ${total} bytes; the other ${total - consumed} bytes were not read`, {
      hint: 'A runtime may read what the scan did not, so the image is not scanned as a pass. Rebuild the image with a standard tool.',
    });
}

/** The first ImmutagError wins (a budget stop, a digest mismatch); else the stream's own error. */
function pickError(loopError: unknown, pipeError: unknown): unknown {
  if (loopError instanceof ImmutagError) return loopError;
  if (pipeError instanceof ImmutagError) return pipeError;
  return pipeError ?? loopError;
}

function asLayerError(err: unknown, digest: string): ImmutagError {
  if (err instanceof ImmutagError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ImmutagError('IMAGE_INVALID', `Layer ${digest} is not a readable tar archive: ${message}`, {
    cause: err,
    hint: 'The layer matched its digest, so it was built this way; rebuild the image. Nothing from it was used.',
  });
}

/** Read ahead of a layer: the compression magic, and a tar header block to tell a compressed stream that is also a tar. */
const TAR_BLOCK = Math.max(SNIFF_BYTES, 512);

/** v7 tars (no ustar magic) still occur in old images; tar-stream refuses them unless asked (an option its types omit). */
const EXTRACT_OPTIONS: Parameters<typeof tar.extract>[0] & { allowUnknownFormat: boolean } = { allowUnknownFormat: true };

type TarEntry = ExtractEvents['entry'][1];

const TYPES: Record<string, EntryType> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'directory',
  symlink: 'symlink',
  link: 'hardlink',
};

const UNSAFE_EXAMPLES = 3;

/**
 * tar-stream's kind, except that a legacy NUL-typed member with a trailing slash is a
 * directory to Go and a file to tar-stream (which decides its type before its own slash
 * rule; neither has data then, so only the kind differs), and that a sparse file is a
 * file the scan does not read: a package database stored so stops the scan (walk.ts).
 */
function kindOf(header: Header, frame: MemberFrame): EntryType {
  if (frame.directory) return 'directory';
  // Its bytes are a packed map and data, not the file: placed at its name, never read as a file.
  if (frame.sparse) return 'other';
  return TYPES[header.type ?? 'file'] ?? 'other';
}

/** Turns tar-stream entries into LayerEntry values and feeds the visitor. */
class EntryWalker {
  count = 0;
  private readonly visitor: LayerVisitor;
  private readonly maxFileBytes: number;
  private unsafe = 0;
  private readonly unsafeExamples: string[] = [];

  constructor(visitor: LayerVisitor, maxFileBytes: number) {
    this.visitor = visitor;
    this.maxFileBytes = maxFileBytes;
  }

  async visit(stream: TarEntry, frame: MemberFrame): Promise<void> {
    this.count++;
    const entry = this.toEntry(stream.header, frame);
    const wanted = entry !== undefined && this.visitor.entry(entry);
    if (entry === undefined || !wanted || entry.type !== 'file') {
      const sink = entry?.type === 'file' && !wanted && entry.size > 0 ? this.visitor.stream?.(entry) : undefined;
      if (sink) await feed(stream, sink);
      else stream.resume();
      return;
    }
    if (entry.size > this.maxFileBytes) {
      this.visitor.oversized(entry, this.maxFileBytes);
      stream.resume();
      return;
    }
    this.visitor.file(entry, await collect(stream, entry.size));
  }

  notes(digest: string): string[] {
    if (this.unsafe === 0) return [];
    return [`Layer ${digest}: skipped ${this.unsafe} entries with unsafe names (a NUL byte, or longer than 4096 bytes), e.g. ${this.unsafeExamples.join(', ')}.`];
  }

  /** The kind and size are tar-stream's (checked against Go's framing); the names are Go's. */
  private toEntry(header: Header, frame: MemberFrame): LayerEntry | undefined {
    const named = normaliseTarPath(frame.name);
    if (!named.ok) {
      this.recordUnsafe(frame.name);
      return undefined;
    }
    if (named.path === '') return undefined;
    const type = kindOf(header, frame);
    const entry: LayerEntry = { path: named.path, type, size: type === 'file' ? header.size ?? 0 : 0 };
    const link = frame.linkname === '' ? undefined : frame.linkname;
    if (type === 'symlink' && link) entry.linkTarget = link;
    if (type === 'hardlink' && link) {
      const target = normaliseTarPath(link);
      if (target.ok) entry.linkTarget = target.path;
    }
    return entry;
  }

  private recordUnsafe(name: string): void {
    this.unsafe++;
    if (this.unsafeExamples.length < UNSAFE_EXAMPLES) {
      // Quoted and shortened: a hostile name may be megabytes long or carry control characters.
      const shown = name.length > 80 ? `${name.slice(0, 80)}…` : name;
      this.unsafeExamples.push(JSON.stringify(shown));
    }
  }
}

/**
 * Hands an entry's chunks to a sink until it has seen enough; the rest then drains as
 * an unwanted entry's does, without a callback per chunk.
 */
function feed(stream: TarEntry, sink: EntrySink): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: unknown): void => {
      if (sink.write(chunk as Buffer)) return;
      stream.removeListener('data', onData);
      stream.resume();
    };
    stream.on('data', onData);
    stream.once('end', () => {
      sink.end();
      resolve();
    });
    stream.once('error', reject);
  });
}

/** Buffers one entry's content into a single allocation of its declared size. */
async function collect(stream: TarEntry, size: number): Promise<Buffer> {
  const data = Buffer.allocUnsafe(size);
  let offset = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (offset + chunk.length > size) throw new Error(`entry ${stream.header.name} is longer than its header says`);
    chunk.copy(data, offset);
    offset += chunk.length;
  }
  if (offset !== size) throw new Error(`entry ${stream.header.name} is shorter than its header says`);
  return data;
}

