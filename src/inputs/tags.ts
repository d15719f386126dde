// The `tags` input: what docker/metadata-action's `tags` output looks like (one
// reference per line) and what people type by hand (comma separated) both work.
import { ImmutagError } from '../errors.ts';
import { readList } from './list.ts';
import { parseReference, repositoryName, withDefaultTag, type TagReference } from '../reference.ts';
import { distinctRepositories, registryKey } from '../registry/origin.ts';

export interface TagInput extends TagReference {
  /** The reference exactly as the user wrote it (trimmed), for messages and outputs. */
  input: string;
}

/**
 * Splits into lines (`#` comment lines skipped) and on commas, trims, drops empty entries and duplicates (by the
 * canonical form, so `nginx:1` and `docker.io/library/nginx:1` are one tag, and by the
 * registry as the transport keys it, so `Registry.example.com` and `registry.example.com:443`
 * are one registry: a tag listed twice would be written twice and reported twice). A
 * reference without a tag means `:latest`, as with `docker build -t`. Every invalid
 * entry is reported at once. No entries at all is an empty list, not an error:
 * docker/metadata-action outputs `tags=''` when none of its rules fit the event.
 */
export function parseTagsInput(text: string): TagInput[] {
  const entries = readList(text);
  const seen = new Set<string>();
  const out: TagInput[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    try {
      const ref = parseTagEntry(entry);
      const key = tagKey(ref);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ ...ref, input: entry });
    } catch (err) {
      problems.push(err instanceof ImmutagError ? err.message : String(err));
    }
  }
  if (problems.length > 0) {
    throw new ImmutagError('INVALID_REFERENCE', problems.join('\n'), {
      hint: 'List tags as registry/repository:tag, one per line or separated by commas, e.g. ghcr.io/acme/api:1.4.0.',
    });
  }
  return out;
}

/**
 * The distinct repositories the `tags` entries name (`ghcr.io/acme/api`), in input order,
 * as the report names them (two spellings of one registry are one, the first: see
 * repositoriesOf); invalid entries are left out. The default comment key is made from
 * these, so a run that stops before its tags are checked (no image file, an invalid
 * entry) still updates the pull request's comment instead of adding one beside a
 * previous run's "ready to deploy".
 */
export function tagRepositories(entries: readonly string[]): string[] {
  const names: string[] = [];
  for (const entry of entries) {
    try {
      names.push(repositoryName(parseTagEntry(entry)));
    } catch {
      // reported by parseTagsInput when the run reads its tags
    }
  }
  return distinctRepositories(names);
}

function tagKey(ref: TagReference): string {
  return `${registryKey(ref.registry)}/${ref.repository}:${ref.tag}`;
}

function parseTagEntry(entry: string): TagReference {
  const ref = parseReference(entry);
  if (ref.digest !== undefined) {
    throw new ImmutagError('INVALID_REFERENCE',
      `Invalid tag "${entry}": it pins a digest; the tags input lists tags to write, like ${ref.registry}/${ref.repository}:1.0`);
  }
  return withDefaultTag(ref);
}
