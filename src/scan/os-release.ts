// OS identification from os-release(5): `etc/os-release`, else `usr/lib/os-release`.
// https://www.freedesktop.org/software/systemd/man/latest/os-release.html
// Debian and Ubuntu ship `etc/os-release -> ../usr/lib/os-release`; the link is
// followed inside the image's own files (never the host's), a few hops at most.
import type { OsInfo } from './model.ts';
import { resolveSymlink } from './tar-path.ts';

export const OS_RELEASE_PATHS = ['etc/os-release', 'usr/lib/os-release'] as const;
const MAX_HOPS = 8;

/** os-release fields plus the parsed OsInfo the scan model carries. */
export interface OsRelease {
  info: OsInfo;
  fields: ReadonlyMap<string, string>;
}

/** What the merged image holds at a tracked path, as far as os-release lookup needs. */
export interface OsReleaseNode {
  kind: string;
  data?: Buffer;
  target?: string;
}

/**
 * `resolve`, when given, follows every symlink of the image on the way (a linked
 * directory too: /etc/static -> /nix/store/…); the hops below follow links at the file.
 */
export function findOsRelease(get: (path: string) => OsReleaseNode | undefined, resolve?: (path: string) => string | undefined): { release?: OsRelease; path?: string } {
  for (const start of OS_RELEASE_PATHS) {
    let path: string | undefined = resolve?.(start) ?? start;
    for (let hop = 0; hop < MAX_HOPS && path !== undefined; hop++) {
      const node = get(path);
      if (node === undefined) break;
      if (node.kind === 'file' && node.data) {
        const release = parseOsRelease(node.data.toString('utf8'));
        if (release) return { release, path };
        break;
      }
      path = node.kind === 'symlink' && node.target ? resolveSymlink(path, node.target) : undefined;
    }
  }
  return {};
}

/** Undefined when there is no ID: such a file identifies nothing. */
export function parseOsRelease(text: string): OsRelease | undefined {
  const fields = parseFields(text);
  const id = fields.get('ID');
  if (!id) return undefined;
  const info: OsInfo = { id, versionId: fields.get('VERSION_ID') ?? '' };
  const prettyName = fields.get('PRETTY_NAME');
  if (prettyName) info.prettyName = prettyName;
  const codename = fields.get('VERSION_CODENAME');
  if (codename) info.versionCodename = codename;
  return { info, fields };
}

const ASSIGNMENT = /^([A-Z][A-Z0-9_]*)=(.*)$/;

/** Shell-like `KEY=value` lines; values may be single- or double-quoted, with `\` escapes in double quotes. */
export function parseFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = ASSIGNMENT.exec(line);
    if (match) fields.set(match[1]!, unquote(match[2]!));
  }
  return fields;
}

function unquote(value: string): string {
  const first = value[0];
  if ((first === '"' || first === "'") && value.length >= 2 && value.endsWith(first)) {
    const inner = value.slice(1, -1);
    return first === '"' ? inner.replace(/\\([\\$"`])/g, '$1') : inner;
  }
  return value;
}
