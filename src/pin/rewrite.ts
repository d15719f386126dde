// Writes pins into files by splicing the file's own bytes: only the byte ranges of
// the rewritten references change, so formatting, comments, quoting, key order, CRLF
// and anchors are exactly as they were, and a UTF-16 file stays UTF-16. All files are
// written or none: every new file is first written next to its original as a
// temporary file, each original is checked to be unchanged since it was read, and
// only then are the temporaries renamed over the originals.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { ImmutagError } from '../errors.ts';
import type { ScannedFile } from './find/find.ts';
import { decodeText, encodedLength, encodeText } from './find/text-encoding.ts';
import { parseYamlFile } from './find/yaml-document.ts';
import type { FoundReference } from './model.ts';
import { pinnedText } from './reference-text.ts';
import type { Reference } from '../reference.ts';

export interface Edit {
  found: FoundReference;
  ref: Reference;
  digest: string;
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

/** The file's text with the edits applied, as bytes: untouched ranges are the original bytes. */
export function applyEdits(file: Pick<ScannedFile, 'bytes' | 'text' | 'encoding'>, edits: readonly Edit[]): Buffer {
  return applySplices(file, edits.map(spliceOf));
}

function applySplices(file: Pick<ScannedFile, 'bytes' | 'text' | 'encoding'>, unordered: readonly Splice[]): Buffer {
  const splices = [...unordered].sort((a, b) => a.start - b.start);
  const parts: Buffer[] = [];
  let textAt = 0;
  let byteAt = 0;
  for (const s of splices) {
    if (s.start < textAt) throw new ImmutagError('INVALID_INPUT', 'two edits overlap in one file', { hint: 'Report this as a bug in immutag pin.' });
    const byteStart = byteAt + encodedLength(file.text.slice(textAt, s.start), file.encoding);
    const byteEnd = byteStart + encodedLength(file.text.slice(s.start, s.end), file.encoding);
    parts.push(file.bytes.subarray(byteAt, byteStart), encodeText(s.text, file.encoding));
    textAt = s.end;
    byteAt = byteEnd;
  }
  parts.push(file.bytes.subarray(byteAt));
  return Buffer.concat(parts);
}

function spliceOf(edit: Edit): Splice {
  const field = edit.found.digestField;
  if (field === undefined) return { ...edit.found.span, text: pinnedText(edit.found.text, edit.ref, edit.digest) };
  if ('span' in field) return { ...field.span, text: edit.digest };
  return { start: field.insertAt, end: field.insertAt, text: field.text(edit.digest) };
}

export interface PlannedWrite {
  file: ScannedFile;
  bytes: Buffer;
}

/**
 * Builds every new file in memory, before anything touches the disk, and makes sure a
 * YAML file still reads as it did with only the pinned values changed.
 *
 * Why most files need no second parse: a splice that replaces a scalar's text with
 * text that starts with a letter or digit and holds only `A-Z a-z 0-9 . _ - / : @`
 * cannot change the document's structure. In a plain scalar none of those starts an
 * indicator (the first character is alphanumeric), there is no space for `: ` or ` #`
 * to form, and no flow indicator (`, [ ] { }`); in a quoted one there is no quote or
 * backslash. So the scalar reads back as exactly that text, in the same place.
 * References and digests always fit (the reference grammar allows nothing else), and
 * this is checked rather than assumed. An inserted line (kustomize's `digest:`)
 * is not a value splice, so a file with one, or with any splice that does not fit,
 * is parsed again in full. That second parse was half of pin's time on 100 files.
 */
export function planWrites(files: readonly ScannedFile[], edits: readonly Edit[]): PlannedWrite[] {
  const plans: PlannedWrite[] = [];
  for (const file of files) {
    const mine = edits.filter((e) => file.references.includes(e.found));
    if (mine.length === 0) continue;
    const splices = mine.map(spliceOf);
    const bytes = applySplices(file, splices);
    if (file.candidate.kind === 'yaml' && !splices.every(isInertSplice)) parseYamlFile(file.candidate.path, decodeText(bytes, file.encoding));
    plans.push({ file, bytes });
  }
  return plans;
}

const INERT_SCALAR = /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/;

/** A splice that replaces a scalar's text (an insertion replaces nothing) with text that cannot change the YAML around it. */
function isInertSplice(splice: Splice): boolean {
  return splice.start < splice.end && INERT_SCALAR.test(splice.text);
}

/**
 * Writes every file or none. The file system calls are synchronous: the files are
 * small and many, nothing else runs meanwhile, and an asynchronous call costs a
 * thread-pool round trip each (five per file: 130 ms for 100 files, against 35 ms).
 */
export async function writeAll(plans: readonly PlannedWrite[]): Promise<string[]> {
  const temps: { plan: PlannedWrite; temp: string }[] = [];
  try {
    for (const plan of plans) {
      const temp = `${plan.file.candidate.real}.immutag-${randomBytes(6).toString('hex')}.tmp`;
      temps.push({ plan, temp });
      prepare(plan, temp);
    }
  } catch (err) {
    removeTemps(temps);
    if (err instanceof ImmutagError) throw err;
    throw new ImmutagError('INVALID_INPUT', `could not write the pinned files: ${(err as Error).message}`, {
      hint: 'Check that the files and their directories are writable; pin changed no file.', cause: err,
    });
  }
  renameAll(temps);
  return plans.map((p) => p.file.candidate.path);
}

/** Writes the new bytes beside the original, and checks the original is as it was read. */
function prepare(plan: PlannedWrite, temp: string): void {
  const real = plan.file.candidate.real;
  const mode = statSync(real).mode & 0o7777;
  writeFileSync(temp, plan.bytes, { flag: 'wx', mode });
  chmodSync(temp, mode);
  const now = readFileSync(real);
  if (!now.equals(plan.file.bytes)) {
    throw new ImmutagError('INVALID_INPUT', `${plan.file.candidate.path} changed while pin was running`, {
      hint: 'Run pin again when nothing else is editing the files; pin changed no file.',
    });
  }
}

/** Renames are atomic one by one; if one fails, the files already renamed get their original bytes back. */
function renameAll(temps: readonly { plan: PlannedWrite; temp: string }[]): void {
  const done: PlannedWrite[] = [];
  try {
    for (const t of temps) {
      renameSync(t.temp, t.plan.file.candidate.real);
      done.push(t.plan);
    }
  } catch (err) {
    removeTemps(temps);
    const lost = done.filter((p) => !restore(p)).map((p) => p.file.candidate.path);
    throw new ImmutagError('INVALID_INPUT', `could not write the pinned files: ${(err as Error).message}` +
      (lost.length > 0 ? `; could not restore ${lost.join(', ')}` : ''), {
      hint: lost.length > 0 ? 'Restore those files from version control.' : 'Every file was put back as it was; check that the files are writable.', cause: err,
    });
  }
}

function restore(plan: PlannedWrite): boolean {
  try {
    writeFileSync(plan.file.candidate.real, plan.file.bytes);
    return true;
  } catch {
    return false;
  }
}

function removeTemps(temps: readonly { temp: string }[]): void {
  for (const t of temps) rmSync(t.temp, { force: true });
}
