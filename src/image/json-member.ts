// Small JSON files of an image that are not content-addressed (oci-layout,
// index.json, docker save's manifest.json): read whole, with a size cap.
import { ImmutagError } from '../errors.ts';
import { GoJsonRefusal, parseOciJson, type FieldSet } from '../oci-json.ts';
import type { ImageFiles } from './files.ts';
import { readSpan } from './span-reader.ts';

/** The parsed member, or undefined when the image has no such member. */
export async function readJsonMember(files: ImageFiles, name: string, limit: number, fields: FieldSet): Promise<unknown> {
  const span = await files.locate(name);
  if (span === undefined) return undefined;
  if (span.size > limit) {
    throw new ImmutagError('LIMIT_EXCEEDED', `${name} in ${files.location} is ${span.size} bytes; immutag reads at most ${limit}`, {
      hint: 'This is not a file an image builder writes; check the image path.',
    });
  }
  return parseJson(await readSpan(span, files.location), `${name} in ${files.location}`, fields);
}

/** Parsed as Go's readers of the image will read it (oci-json.ts), or refused. */
export function parseJson(bytes: Buffer, what: string, fields: FieldSet): unknown {
  try {
    return parseOciJson(bytes.toString('utf8'), fields);
  } catch (err) {
    if (err instanceof GoJsonRefusal) {
      throw new ImmutagError('IMAGE_INVALID', `${what}: ${err.message}`, { hint: err.hint });
    }
    throw new ImmutagError('IMAGE_INVALID', `${what} is not valid JSON`, {
      hint: 'The image file is corrupt; export it again.',
      cause: err,
    });
  }
}
