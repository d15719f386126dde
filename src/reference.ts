// Image references, parsed by the grammar the Docker CLI and the distribution
// registry share, with Docker's normalisation (docker.io, library/).
// https://github.com/distribution/reference/blob/main/reference.go (grammar comment)
// https://github.com/distribution/reference/blob/main/normalize.go (splitDockerDomain)
import { isDigest } from './digest.ts';
import { CREDENTIALS_ADVICE, ImmutagError } from './errors.ts';

export const DEFAULT_REGISTRY = 'docker.io';
/** Docker Hub's API host; `docker.io` itself only redirects browsers. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
export const NAME_TOTAL_LENGTH_MAX = 255;
export const TAG_LENGTH_MAX = 128;

export interface Reference {
  /** Registry as written and normalised: `docker.io`, `ghcr.io`, `127.0.0.1:5000`, `[::1]:5000`. */
  registry: string;
  /** Repository path inside the registry, lowercase: `library/nginx`, `acme/api`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** A reference that names a tag (what the gate checks and the push writes). */
export interface TagReference extends Reference {
  tag: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST_AND_PORT = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST_GRAMMAR = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const HEX64 = /^[a-f0-9]{64}$/;

/** Parses `[registry/]repository[:tag][@digest]` the way `docker pull` does. */
export function parseReference(input: string): Reference {
  refuseCredentials(input);
  if (input === '') throw invalid(input, 'the reference is empty');
  if (/\s/.test(input)) throw invalid(input, 'it contains whitespace');
  if (HEX64.test(input)) {
    throw invalid(input, 'a bare 64-character hex string is an image ID, not a repository name');
  }
  const at = input.indexOf('@');
  const namePart = at === -1 ? input : input.slice(0, at);
  const digest = at === -1 ? undefined : input.slice(at + 1);
  const { name, tag } = splitTag(namePart);
  const { registry, repository } = splitRegistry(input, name);

  checkRegistry(input, registry);
  checkRepository(input, repository);
  const fullLength = registry.length + 1 + repository.length;
  if (fullLength > NAME_TOTAL_LENGTH_MAX) {
    throw invalid(input, `the name "${registry}/${repository}" is ${fullLength} characters; at most ${NAME_TOTAL_LENGTH_MAX} are allowed`);
  }
  if (tag !== undefined) checkTag(input, tag);
  if (digest !== undefined) checkDigest(input, digest);

  const ref: Reference = { registry, repository };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** The canonical, fully qualified form: `docker.io/library/nginx:1.27@sha256:…`. */
export function formatReference(ref: Reference): string {
  let out = `${ref.registry}/${ref.repository}`;
  if (ref.tag !== undefined) out += `:${ref.tag}`;
  if (ref.digest !== undefined) out += `@${ref.digest}`;
  return out;
}

/** `registry/repository`, the name a token scope and a Docker config key are about. */
export function repositoryName(ref: Pick<Reference, 'registry' | 'repository'>): string {
  return `${ref.registry}/${ref.repository}`;
}

/** The host that serves the registry API for a registry name. */
export function registryApiHost(registry: string): string {
  return registry === DEFAULT_REGISTRY ? DOCKER_HUB_API_HOST : registry;
}

/** Docker's reading of "no tag": `latest`. A digest-only reference has no tag to gate. */
export function withDefaultTag(ref: Reference): TagReference {
  return { ...ref, tag: ref.tag ?? 'latest' };
}

function splitTag(namePart: string): { name: string; tag: string | undefined } {
  const colon = namePart.lastIndexOf(':');
  // A colon before the last slash is a registry port (`localhost:5000/app`), not a tag.
  if (colon === -1 || colon < namePart.lastIndexOf('/')) return { name: namePart, tag: undefined };
  return { name: namePart.slice(0, colon), tag: namePart.slice(colon + 1) };
}

/**
 * The first path segment is a registry when it looks like a host: it has a dot or a
 * port, is `localhost`, or has uppercase letters (repositories are lowercase).
 */
function splitRegistry(input: string, name: string): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const isHost = slash !== -1 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first);
  let registry = isHost ? first : DEFAULT_REGISTRY;
  let repository = isHost ? name.slice(slash + 1) : name;
  // Host names are case-insensitive: `Docker.io` is Docker Hub too, and gets its API host.
  if (registry.toLowerCase() === 'index.docker.io' || registry.toLowerCase() === DEFAULT_REGISTRY) registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && repository !== '' && !repository.includes('/')) {
    repository = `library/${repository}`;
  }
  if (repository === '') throw invalid(input, 'the repository name is missing');
  return { registry, repository };
}

function checkRegistry(input: string, registry: string): void {
  if (!HOST_AND_PORT.test(registry)) {
    throw invalid(input, `registry "${registry}" is not a valid host[:port]`);
  }
}

function checkRepository(input: string, repository: string): void {
  if (repository.toLowerCase() !== repository) {
    throw invalid(input, `repository "${repository}" must be lowercase`);
  }
  for (const component of repository.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      throw invalid(input, `path component "${component}" of repository "${repository}" is invalid: ` +
        'use lowercase letters and digits, separated by ".", "_", "__" or "-"');
    }
  }
}

function checkTag(input: string, tag: string): void {
  if (tag.length > TAG_LENGTH_MAX) {
    throw invalid(input, `tag "${tag.slice(0, 20)}…" is ${tag.length} characters; at most ${TAG_LENGTH_MAX} are allowed`);
  }
  if (!TAG.test(tag)) {
    throw invalid(input, `tag "${tag}" is invalid: letters, digits, "_", "." and "-", not starting with "." or "-"`);
  }
}

function checkDigest(input: string, digest: string): void {
  if (!DIGEST_GRAMMAR.test(digest)) {
    throw invalid(input, `digest "${digest}" is not algorithm:hex`);
  }
  if (!isDigest(digest)) {
    throw invalid(input, `digest "${digest}" is not a lowercase sha256 (64 hex) or sha512 (128 hex) digest`);
  }
}

/**
 * In a reference an `@` introduces its digest (algorithm:hex, to the end). Any other `@` is
 * the URL habit `user:password@host/repo:tag` or a mistyped digest; either way the text
 * before it may be a secret the user handed over by mistake, and the message reaches
 * the log, the summary and the pull-request comment, which no runner masks. So the
 * reference is refused showing only what follows the last such `@`. Every `@` is looked
 * at, not only the last: `user:password@host/repo:1.0@sha256:…` ends in a digest.
 */
function refuseCredentials(input: string): void {
  const at = credentialsEnd(input);
  if (at <= 0) return;
  const rest = input.slice(at + 1, at + 301);
  if (rest.includes('/')) {
    throw new ImmutagError('INVALID_REFERENCE', `Invalid image reference "***@${rest}": it holds credentials (user:password@ before the registry); ${CREDENTIALS_ADVICE}`, {
      hint: 'List references as registry.example.com/team/app:1.2.3, without credentials.',
    });
  }
  throw new ImmutagError('INVALID_REFERENCE', `Invalid image reference "***@${rest}": an @ is followed by something other than a digest (what comes before it is not shown: it may hold a password)`, {
    hint: 'An image reference looks like registry.example.com/team/app:1.2.3, pinned as registry.example.com/team/app@sha256:<64 hex>; credentials never go in it.',
  });
}

/**
 * The last `@` that does not introduce a digest (or, with `templates`, a digest left to a
 * variable or template): what comes before it may be a secret (-1: none).
 */
function credentialsEnd(input: string, templates = false): number {
  let at = -1;
  for (let i = input.indexOf('@'); i !== -1; i = input.indexOf('@', i + 1)) {
    const rest = input.slice(i + 1);
    if (!digestAfter(rest) && !(templates && TEMPLATED.test(rest))) at = i;
  }
  return at;
}

/**
 * Text that names an image as the user wrote it (a deploy file's line, a URL), as it may
 * be shown: what comes before an `@` that does not introduce a digest is masked, as the
 * parser's refusal masks it, so a report never quotes the password beside that refusal.
 */
export function withoutCredentials(text: string): string {
  const at = credentialsEnd(text, false);
  if (at <= 0) return text;
  // A digest left to a template (`app@${DIGEST}`) is shown with its image only when that
  // `@` is the only one that is not a digest's and the image cannot be a password.
  if (credentialsEnd(text, true) === -1 && imageBeforeTemplate(text.slice(0, at))) return text;
  return `***@${text.slice(at + 1)}`;
}

/**
 * Whether what precedes a templated digest is shown. It is when nothing but plain
 * placeholders and separators (`${APP_IMAGE}`, `${IMAGE}:${TAG}`, Helm's
 * `{{ .Values.image.repository }}:{{ .Values.image.tag }}`), which hold no secret, or an
 * image name whose registry is a host name or a placeholder (`ghcr.io/acme/app`,
 * `localhost:5000/app`, `${REGISTRY}/app`, `${APP_IMAGE:-ghcr.io/acme/app}`). Anything else
 * may be a password: `nginx:1.25` reads like `deploy:s3cret`, `deploy:2024/winter` like a
 * host and port, a base64 token with a `/` like a registry and a repository, and a
 * placeholder with quotes or filters may carry literal text.
 */
function imageBeforeTemplate(name: string): boolean {
  if (/^[/:.-]*$/.test(name.replace(PLAIN_PLACEHOLDERS, '')) && ONE_PLACEHOLDER.test(name)) return true;
  const literal = name.replace(DEFAULTED, '$1');
  const slash = literal.indexOf('/');
  if (slash <= 0) return false;
  const host = literal.slice(0, slash);
  const hostShown = WHOLE_PLACEHOLDER.test(host) || HOST_NAME.test(host);
  if (!hostShown) return false;
  try {
    parseReference(`x${literal.slice(slash).replace(PLAIN_PLACEHOLDERS, 'x')}`);
    return true;
  } catch {
    return false;
  }
}

const PLAIN_PLACEHOLDERS = /\$\{[A-Za-z_]\w*\}|\$[A-Za-z_]\w*|\{\{-?\s*[.$][\w.]*\s*-?\}\}/g;
const ONE_PLACEHOLDER = new RegExp(PLAIN_PLACEHOLDERS.source);
const WHOLE_PLACEHOLDER = new RegExp(`^(?:${PLAIN_PLACEHOLDERS.source})$`);
/** `${NAME:-default}` and `${NAME-default}`: the default is literal text, judged as such. */
const DEFAULTED = /\$\{[A-Za-z_]\w*:?-([^}]*)\}/g;
/** A registry written as a host name: lower case with a dot (`ghcr.io`, `registry.example.com:5000`), or localhost. */
const HOST_NAME = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)+|localhost)(?::\d+)?$/;

/**
 * A digest left to a variable or a template (`${APP_DIGEST}`, `$DIGEST`, `{{ .Values.digest }}`):
 * what comes before its `@` is the image, not a password, and the row must say which.
 */
const TEMPLATED = /^(?:sha256:|sha512:)?(?:\$\{[^}/]*\}|\$[A-Za-z_]\w*|\{\{[^/]*\}\})$/;

/**
 * A digest, one cut short (`sha256:abc`), or none (`app@` from an expression that came
 * out empty), which checkDigest names; none of them is a host, so none follows a password.
 */
function digestAfter(rest: string): boolean {
  return rest === '' || DIGEST_GRAMMAR.test(rest) || /^sha\d+:[0-9a-fA-F]*$/.test(rest);
}

function invalid(input: string, why: string): ImmutagError {
  const shown = input.length > 300 ? `${input.slice(0, 300)}…` : input;
  return new ImmutagError('INVALID_REFERENCE', `Invalid image reference "${shown}": ${why}`, {
    hint: 'An image reference looks like registry.example.com/team/app:1.2.3 (Docker Hub names such as nginx:1.27 work too).',
  });
}
