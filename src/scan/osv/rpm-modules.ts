// RHEL-family module streams (AlmaLinux, Rocky Linux, Red Hat). A module stream's
// advisory names the same ecosystem and package names as the distribution's own build of
// that software: ALSA-2024:5929 ("postgresql:16 security update") lists `postgresql`
// fixed in 16.4-1.module_el9…, while AlmaLinux 9's own postgresql is 13.x, outside any
// module, and has advisories of its own. Compared by version alone, a patched 13.16 is
// "affected" by the stream's record for good, and so is a package of postgresql:15.
//
// What tells them apart: an entry is a module build's when a version it names carries
// the `.module_el` / `.module+el` release marker every module build has; a package is
// one when its rpm header has a MODULARITYLABEL (Package.rpmModule, `name:stream`), or,
// without one, when its own release has the marker (AlmaLinux 8 built its modules without
// the label until 8.6: a module build of unknown stream). So:
//   - a package built outside any module takes only entries without the marker;
//   - a module build of unknown stream takes every entry;
//   - a module package takes every entry, except a module entry for another stream of
//     its own module, when the record says which streams it is for: the affected
//     package's purl `rpmmod` qualifier (Red Hat), else the `name:stream` pairs in the
//     summary ("Important: postgresql:16 security update", as AlmaLinux and Rocky copy
//     Red Hat's titles). A record that names no stream is kept: reporting beats missing.
import { ecosystemBase } from './ecosystem.ts';
import type { OsvAffected, OsvRecord } from './record.ts';

const FAMILY = new Set(['AlmaLinux', 'Rocky Linux', 'Red Hat']);
const MODULE_BUILD = /\.module[_+]el\d/;
const STREAM = /(?:^|[\s,(])([A-Za-z0-9][A-Za-z0-9_.+-]*):([A-Za-z0-9][A-Za-z0-9_.+-]*)(?=$|[\s,)])/g;

/** Whether `entry` of `record` can describe an rpm of `ecosystem` at `version`, built in `rpmModule` (undefined: no label). */
export function entryFitsModule(record: OsvRecord, entry: OsvAffected, ecosystem: string, version: string, rpmModule: string | undefined): boolean {
  if (!FAMILY.has(ecosystemBase(ecosystem))) return true;
  const modular = versionsOf(entry).some((v) => MODULE_BUILD.test(v));
  if (rpmModule === undefined) return !modular || MODULE_BUILD.test(version);
  if (!modular) return true;
  const [name = '', stream = ''] = rpmModule.split(':');
  const streams = streamsNamed(record, entry).get(name);
  return streams === undefined || streams.has(stream);
}

function versionsOf(entry: OsvAffected): string[] {
  const out = [...(Array.isArray(entry.versions) ? entry.versions : [])];
  for (const range of Array.isArray(entry.ranges) ? entry.ranges : []) {
    for (const event of Array.isArray(range.events) ? range.events : []) {
      for (const value of Object.values(event)) if (typeof value === 'string') out.push(value);
    }
  }
  return out;
}

/** Module name → the streams the record is for. */
function streamsNamed(record: OsvRecord, entry: OsvAffected): Map<string, Set<string>> {
  const named = new Map<string, Set<string>>();
  const add = (name: string, stream: string) => named.set(name, (named.get(name) ?? new Set()).add(stream));
  const rpmmod = /[?&]rpmmod=([^&#]+)/.exec(entry.package?.purl ?? '')?.[1];
  if (rpmmod !== undefined) {
    const [name, stream] = decodeURIComponent(rpmmod).split(':');
    if (name && stream) add(name, stream);
    return named;
  }
  for (const match of (record.summary ?? '').matchAll(STREAM)) add(match[1]!, match[2]!);
  return named;
}
