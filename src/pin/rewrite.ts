// Writes pins into files by splicing the file's own bytes: only the byte ranges of
// the rewritten references change, so formatting, comments, quoting, key order, CRLF
// and anchors are exactly as they were. All files are written or none: every new
// file is first written next to its original as a temporary file, each original is
// checked to be unchanged since it was read, and only then are the temporaries
// renamed over the originals.
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { ImmutagError } from '../errors.ts';
import type { ScannedFile } from './find/find.ts';
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
export function applyEdits(file: Pick<ScannedFile, 'bytes' | 'text'>, edits: readonly Edit[]): Buffer {
  const splices = edits.map(spliceOf).sort((a, b) => a.start - b.start);
  const parts: Buffer[] = [];
  let textAt = 0;
  let byteAt = 0;
  for (const s of splices) {
    if (s.start < textAt) throw new ImmutagError('INVALID_INPUT', 'two edits overlap in one file', { hint: 'Report this as a bug in immutag pin.' });
    const byteStart = byteAt + Buffer.byteLength(file.text.slice(textAt, s.start));
    const byteEnd = byteStart + Buffer.byteLength(file.text.slice(s.start, s.end));
    parts.push(file.bytes.subarray(byteAt, byteStart), Buffer.from(s.text));
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

/** Builds every new file in memory and checks a YAML file still parses, before anything touches the disk. */
export function planWrites(files: readonly ScannedFile[], edits: readonly Edit[]): PlannedWrite[] {
  const plans: PlannedWrite[] = [];
  for (const file of files) {
    const mine = edits.filter((e) => file.references.includes(e.found));
    if (mine.length === 0) continue;
    const bytes = applyEdits(file, mine);
    if (file.candidate.kind === 'yaml') parseYamlFile(file.candidate.path, bytes.toString('utf8'));
    plans.push({ file, bytes });
  }
  return plans;
}

export async function writeAll(plans: readonly PlannedWrite[]): Promise<string[]> {
  const temps: { plan: PlannedWrite; temp: string }[] = [];
  try {
    for (const plan of plans) {
      const real = plan.file.candidate.real;
      const temp = `${real}.immutag-${randomBytes(6).toString('hex')}.tmp`;
      temps.push({ plan, temp });
      const mode = (await stat(real)).mode & 0o7777;
      await writeFile(temp, plan.bytes, { flag: 'wx', mode });
      await chmod(temp, mode);
      const now = await readFile(real);
      if (!now.equals(plan.file.bytes)) {
        throw new ImmutagError('INVALID_INPUT', `${plan.file.candidate.path} changed while pin was running`, {
          hint: 'Run pin again when nothing else is editing the files; pin changed no file.',
        });
      }
    }
  } catch (err) {
    await Promise.all(temps.map((t) => unlink(t.temp).catch(() => undefined)));
    if (err instanceof ImmutagError) throw err;
    throw new ImmutagError('INVALID_INPUT', `could not write the pinned files: ${(err as Error).message}`, {
      hint: 'Check that the files and their directories are writable; pin changed no file.', cause: err,
    });
  }
  await renameAll(temps);
  return plans.map((p) => p.file.candidate.path);
}

/** Renames are atomic one by one; if one fails, the files already renamed get their original bytes back. */
async function renameAll(temps: readonly { plan: PlannedWrite; temp: string }[]): Promise<void> {
  const done: PlannedWrite[] = [];
  try {
    for (const t of temps) {
      await rename(t.temp, t.plan.file.candidate.real);
      done.push(t.plan);
    }
  } catch (err) {
    await Promise.all(temps.map((t) => unlink(t.temp).catch(() => undefined)));
    const restored = await Promise.all(done.map((p) => writeFile(p.file.candidate.real, p.file.bytes).then(() => true, () => false)));
    const lost = done.filter((_, i) => !restored[i]).map((p) => p.file.candidate.path);
    throw new ImmutagError('INVALID_INPUT', `could not write the pinned files: ${(err as Error).message}` +
      (lost.length > 0 ? `; could not restore ${lost.join(', ')}` : ''), {
      hint: lost.length > 0 ? 'Restore those files from version control.' : 'Every file was put back as it was; check that the files are writable.', cause: err,
    });
  }
}
