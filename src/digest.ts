// Digests are the only names immutag trusts. Everything read from a registry or an
// image file is hashed and compared with the digest and size that named it before
// any byte of it is parsed.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ImmutagError } from './errors.ts';

const SHA256 = /^sha256:[a-f0-9]{64}$/;
const SHA512 = /^sha512:[a-f0-9]{128}$/;

export type Algorithm = 'sha256' | 'sha512';

export function isDigest(value: string): boolean {
  return SHA256.test(value) || SHA512.test(value);
}

export function algorithmOf(digest: string): Algorithm {
  if (SHA256.test(digest)) return 'sha256';
  if (SHA512.test(digest)) return 'sha512';
  throw new ImmutagError('INVALID_REFERENCE', `"${digest}" is not a sha256 or sha512 digest`, {
    hint: 'A digest looks like sha256: followed by 64 lowercase hex characters.',
  });
}

export function digestOf(data: Uint8Array | string, algorithm: Algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/**
 * `bytes`' digest in the algorithm of `claim`, a registry's name for them: `ours` when the
 * algorithms agree, else hashed anew. The spec lets a registry name content by sha512, and
 * such a claim is checked, not compared as a string with our sha256.
 */
export function digestLike(claim: string, ours: string, bytes: Uint8Array): string {
  const algorithm = algorithmOf(claim);
  return algorithm === algorithmOf(ours) ? ours : digestOf(bytes, algorithm);
}

/** Whether a registry's claim (a Docker-Content-Digest) names these bytes, in whatever algorithm it uses. */
export function claimNamesBytes(claim: string, ours: string, bytes: Uint8Array): boolean {
  return isDigest(claim) && digestLike(claim, ours, bytes) === claim;
}

/** Throws DIGEST_MISMATCH unless `data` has exactly the expected digest (and size, when given). */
export function verifyBytes(data: Uint8Array, expected: string, what: string, size?: number): void {
  if (size !== undefined && data.byteLength !== size) {
    throw sizeMismatch(what, size, data.byteLength);
  }
  const actual = digestOf(data, algorithmOf(expected));
  if (actual !== expected) throw digestMismatch(what, expected, actual);
}

export function digestMismatch(what: string, expected: string, actual: string): ImmutagError {
  return new ImmutagError('DIGEST_MISMATCH', `${what}: expected digest ${expected} but the content hashes to ${actual}`, {
    hint: 'The content is corrupt or was tampered with; nothing was used. Rebuild the image or re-pull it from a trusted source.',
  });
}

export function sizeMismatch(what: string, expected: number, actual: number): ImmutagError {
  return new ImmutagError('DIGEST_MISMATCH', `${what}: expected ${expected} bytes but got ${actual}`, {
    hint: 'The content is truncated, padded or tampered with; nothing was used.',
  });
}

/**
 * A pass-through stream that hashes and counts what flows through it and fails the
 * stream at the end (or as soon as it exceeds the size) when it does not match.
 * Use it where the bytes are only stored or forwarded, never where they are parsed.
 */
export class DigestCheck extends Transform {
  private readonly hash;
  private bytes = 0;
  private readonly expected: string;
  private readonly size: number | undefined;
  private readonly what: string;

  constructor(expected: string, what: string, size?: number) {
    super();
    this.hash = createHash(algorithmOf(expected));
    this.expected = expected;
    this.size = size;
    this.what = what;
  }

  get bytesSeen(): number {
    return this.bytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.size !== undefined && this.bytes > this.size) {
      done(sizeMismatch(this.what, this.size, this.bytes));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.size !== undefined && this.bytes !== this.size) {
      done(sizeMismatch(this.what, this.size, this.bytes));
      return;
    }
    const actual = `${algorithmOf(this.expected)}:${this.hash.digest('hex')}`;
    done(actual === this.expected ? null : digestMismatch(this.what, this.expected, actual));
  }
}
