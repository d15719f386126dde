// A reference as written in a deploy file: built from a variable or template (listed,
// never touched), a valid image reference, or invalid (reported with the part that
// is wrong, by the same parser the gate uses).
import { asImmutagError } from '../errors.ts';
import { parseReference, type Reference } from '../reference.ts';

export type ReadReference =
  | { kind: 'skip'; reason: string }
  | { kind: 'invalid'; reason: string }
  | { kind: 'ok'; ref: Reference };

// `${VAR}`, `$VAR`, Tekton's `$(params.image)`, Go/Helm/Argo `{{ }}`, Jinja, ERB.
const TEMPLATE = /\$\{|\$[A-Za-z_]|\$\(|\{\{|\{%|<%/;

// `image:` is a common key: an icon URL in a docs config, `image: Dockerfile` in a
// Docker action's action.yml. Those are not references to resolve, and must not fail a run.
const NOT_AN_IMAGE = /^[a-z][a-z0-9+.-]*:\/\/|^\.{0,2}\/|\.(png|jpe?g|gif|svg|webp|ico)$|\.(dockerfile|containerfile)$/i;

// A Docker action's `image: docker/Dockerfile.prod`. Capitalised, so never a repository
// name (those are lowercase): `acme/dockerfile-lint` stays an image.
const DOCKERFILE_PATH = /(^|\/)(Dockerfile|Containerfile)([.-][^/:@]*)?$/;

export function readReference(text: string): ReadReference {
  if (TEMPLATE.test(text)) return { kind: 'skip', reason: 'built from a variable or template; resolved at deploy time, so pin it where the value is set' };
  if (NOT_AN_IMAGE.test(text) || DOCKERFILE_PATH.test(text)) return { kind: 'skip', reason: 'a URL or file path, not an image reference' };
  try {
    return { kind: 'ok', ref: parseReference(text) };
  } catch (err) {
    return { kind: 'invalid', reason: asImmutagError(err, 'INVALID_REFERENCE').message };
  }
}

/** The text to write: as written, minus any old digest, with `:latest` made explicit, then `@digest`. */
export function pinnedText(written: string, ref: Reference, digest: string): string {
  const at = written.indexOf('@');
  const base = at === -1 ? written : written.slice(0, at);
  return `${base}${ref.tag === undefined ? ':latest' : ''}@${digest}`;
}
