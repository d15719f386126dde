// Tags that are floating by convention: a channel (`latest`, `stable`, `edge`, a
// branch name) or a version alias (`1`, `1.4`, `v1`) that names "the newest release
// of this line" and moves on every release. docker/metadata-action writes them on
// its own: `latest` on every semver tag (`flavor: latest=auto`), `{{major}}` and
// `{{major}}.{{minor}}` on every patch, the branch name on every push, `pr-<number>`
// on every commit of a pull request. A refusal of
// one of these is almost always a missing `mutable-tags` line, not a collision, so
// the hint says so and gives the line.
//
// The rule is deliberately narrow: a full version (`1.4.0`, `v2.0.1-rc.1`), a
// commit tag (`sha-1a2b3c4`) or anything else is not called floating, because
// telling someone to make an immutable tag mutable is the one wrong advice here.

/** Channel names that move by design (Docker Hub and metadata-action conventions). */
const CHANNELS = new Set([
  'latest', 'stable', 'edge', 'nightly', 'canary', 'next', 'beta', 'alpha', 'rc', 'dev', 'devel', 'develop',
  'main', 'master', 'trunk', 'head', 'current', 'lts', 'unstable', 'testing', 'release', 'staging', 'production', 'prod',
]);

// `1`, `1.4`, `v1`, `v1.4`, optionally with a variant suffix (`1.4-alpine`): a version
// with fewer than three numbers names a line of releases, not one release. A longer
// number is a date or a build number (20240101), not a major version.
const VERSION_ALIAS = /^(v?)(\d{1,4})(\.\d+)?(-[a-z][a-z0-9._-]*)?$/;

export interface FloatingTag {
  /** What kind of floating tag, in words: `a release channel`, `a {{major}}.{{minor}} alias`. */
  kind: string;
  /** The mutable-tags line that lets this tag (and its siblings of the same kind) move. */
  pattern: string;
}

/** Why `tag` looks floating, and the mutable-tags line for it; undefined for any other tag. */
export function floatingTag(tag: string): FloatingTag | undefined {
  if (CHANNELS.has(tag)) return { kind: 'a release channel', pattern: tag };
  // type=ref,event=pr: the pull request's newest commit.
  if (/^pr-\d+$/.test(tag)) return { kind: 'a pull-request tag', pattern: 'pr-*' };
  const m = VERSION_ALIAS.exec(tag);
  if (m === null) return undefined;
  const [, v = '', , minor, suffix = ''] = m;
  // An extglob that matches every alias of this shape and never a full x.y.z version.
  const numbers = minor === undefined ? '+([0-9])' : '+([0-9]).+([0-9])';
  const kind = minor === undefined ? `a ${v}{{major}} alias` : `a ${v}{{major}}.{{minor}} alias`;
  return { kind, pattern: `${v}${numbers}${suffix}` };
}

/**
 * The hint for a refused tag that looks floating, or undefined. Used by the gate's
 * TAG_EXISTS refusal and by the tag write's (tag-write-errors.ts) when it finds the tag taken.
 */
export function floatingTagHint(tag: string): string | undefined {
  const floating = floatingTag(tag);
  if (floating === undefined) return undefined;
  return `"${tag}" looks like a floating tag (${floating.kind}), which moves on every release by design: ` +
    'docker/metadata-action adds latest to every semver release (flavor: latest=auto) and moves {{major}} and {{major}}.{{minor}} on every patch. ' +
    `If it is meant to move, add this line to mutable-tags: ${floating.pattern}`;
}
