// What an image file is made of, whatever holds it: a directory (an OCI layout, or
// an extracted docker save) or a tar archive read in place. Each member is a span
// of bytes in a real file, plus the fingerprint that file had when it was found,
// so a later read can tell whether the bytes may have changed since they were hashed.
import type { BigIntStats } from 'node:fs';
import { ImmutagError } from '../errors.ts';

/**
 * What identifies one version of a file's content on Linux without reading it:
 * a write changes size or mtime/ctime (ctime cannot be set from user space),
 * a replacement (rename over it) changes the inode.
 */
export interface Fingerprint {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

export interface FileSpan {
  /** The real file the bytes live in (a blob file, or the tar archive). */
  file: string;
  start: number;
  size: number;
  fingerprint: Fingerprint;
  /** The member's name inside the image, for messages. */
  name: string;
}

export interface ImageFiles {
  readonly container: 'directory' | 'tar';
  /** The path the user gave, for messages. */
  readonly location: string;
  /** The span of a member (a relative, `/`-separated path), or undefined when it is absent. */
  locate(name: string): Promise<FileSpan | undefined>;
}

export function fingerprintOf(stats: BigIntStats): Fingerprint {
  return { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeNs: stats.mtimeNs, ctimeNs: stats.ctimeNs };
}

export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/**
 * Member names come from manifest.json and index.json, which are not content
 * addressed: refuse anything that could point outside the image before it
 * becomes a path.
 */
export function checkMemberName(name: string, location: string): string {
  const parts = name.split('/');
  const bad = name === '' || name.startsWith('/') || name.includes('\0') || name.includes('\\') ||
    parts.some((p) => p === '..');
  if (bad) {
    throw new ImmutagError('IMAGE_INVALID', `${location} refers to "${name}", which is not a path inside the image`, {
      hint: 'The image file is malformed or hostile; rebuild it with docker, buildx, skopeo or umoci.',
    });
  }
  return parts.filter((p) => p !== '' && p !== '.').join('/');
}

/** Why a link cannot be followed, in words; the kernel's own text says less. */
const LINK_FAILURES: Readonly<Record<string, string>> = {
  ELOOP: 'a symbolic link on its path leads back to itself (or through more links than the kernel follows)',
  ENAMETOOLONG: 'its path, or the target a symbolic link on it names, is longer than the kernel accepts',
};

/**
 * A member that is there but cannot be followed or opened. A broken link is damage to
 * the image; anything else (EACCES, EIO) is said as it is, since the file may be fine.
 */
export function unreadableMember(name: string, location: string, err: unknown): ImmutagError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  const link = LINK_FAILURES[code];
  if (link !== undefined) {
    return new ImmutagError('IMAGE_INVALID', `${name} in ${location} cannot be followed (${code}): ${link}, so the image cannot be read from it and nothing of it was used`, {
      hint: 'Replace the link with the file it stands for, or export the image again (buildx --output type=oci, skopeo copy, umoci) without editing it.',
      cause: err,
    });
  }
  return new ImmutagError('IMAGE_INVALID', `${name} in ${location} could not be read (${(err as Error).message}), so nothing of the image was used`, {
    hint: 'Check that the user running immutag can read every file and directory of the image, and that the disk is healthy; then run again.',
    cause: err,
  });
}
