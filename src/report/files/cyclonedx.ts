// A CycloneDX 1.6 JSON SBOM of the scanned image: the image (by digest) as the subject,
// every package found on every platform as a component, with the layer that introduced it.
// https://cyclonedx.org/docs/1.6/json/
import { randomUUID } from 'node:crypto';
import type { Package, PlatformScan } from '../../scan/model.ts';
import { imageName, type ReportContext } from './context.ts';
import { purlFor } from '../../scan/purl.ts';

type Json = Record<string, unknown>;

function property(name: string, value: string | undefined): Json[] {
  return value ? [{ name, value }] : [];
}

// License strings from package metadata are free text (`GPL-2+`, `MIT`, `BSD-3-Clause or MIT`);
// `license.name` takes any of them, whereas `license.id` must be on the SPDX list.
function licenses(pkg: Package): Json[] | undefined {
  const names = (pkg.licenses ?? []).map((l) => l.trim()).filter(Boolean);
  return names.length === 0 ? undefined : names.map((name) => ({ license: { name } }));
}

// bom-refs must be unique in the BOM. They are keyed on the platform's manifest digest, not
// its name: an index may list `windows/amd64` once per os.version, or one platform twice.
// The name stays a property (`immutag:platform`).
function component(pkg: Package, platform: PlatformScan, key: string, index: number): Json {
  const purl = purlFor(pkg, platform.os, platform.platform);
  const out: Json = {
    type: 'library',
    'bom-ref': `${key}/${index}/${purl ?? `${pkg.type}:${pkg.name}@${pkg.version}`}`,
    name: pkg.name,
    version: pkg.version,
  };
  if (purl) out.purl = purl;
  const license = licenses(pkg);
  if (license) out.licenses = license;
  out.properties = [
    ...property('immutag:layer:digest', pkg.layer),
    ...property('immutag:package:path', pkg.path),
    ...property('immutag:package:type', pkg.type),
    ...property('immutag:package:ecosystem', pkg.ecosystem),
    ...property('immutag:package:source-name', pkg.sourceName),
    ...property('immutag:package:source-version', pkg.sourceVersion),
    // Left to the distribution's advisories: the distribution package that installed it.
    ...property('immutag:package:owned-by', pkg.ownedBy && `${pkg.ownedBy.type}:${pkg.ownedBy.name}`),
    ...property('immutag:platform', platform.platform),
  ];
  return out;
}

function operatingSystem(platform: PlatformScan, key: string): Json[] {
  if (!platform.os) return [];
  return [{
    type: 'operating-system',
    'bom-ref': `${key}/os`,
    name: platform.os.id,
    version: platform.os.versionId,
    ...(platform.os.prettyName ? { description: platform.os.prettyName } : {}),
    properties: [...property('immutag:platform', platform.platform), ...property('immutag:manifest:digest', platform.manifestDigest)],
  }];
}

function imageComponent(ctx: ReportContext): Json {
  const digest = ctx.result.digest;
  const name = imageName(ctx.imageRef);
  const [algorithm, hex] = digest.split(':');
  const lastSegment = name.split('/').pop() ?? name;
  const subject: Json = {
    type: 'container',
    'bom-ref': digest,
    name,
    version: digest,
    purl: `pkg:oci/${encodeURIComponent(lastSegment)}@${encodeURIComponent(digest)}?repository_url=${encodeURIComponent(name)}`,
    properties: ctx.result.platforms.map((p) => ({ name: 'immutag:platform', value: `${p.platform} ${p.manifestDigest}` })),
  };
  if (algorithm === 'sha256' && hex) subject.hashes = [{ alg: 'SHA-256', content: hex }];
  if (algorithm === 'sha512' && hex) subject.hashes = [{ alg: 'SHA-512', content: hex }];
  return subject;
}

export function cycloneDxSbom(ctx: ReportContext): Json {
  const tool: Json = { type: 'application', name: 'immutag' };
  if (ctx.toolVersion) tool.version = ctx.toolVersion;
  // The manifest digest; `#2`, `#3`… after it should an index list one manifest more than once.
  const seen = new Map<string, number>();
  const components = ctx.result.platforms.flatMap((platform) => {
    const n = (seen.get(platform.manifestDigest) ?? 0) + 1;
    seen.set(platform.manifestDigest, n);
    const key = n === 1 ? platform.manifestDigest : `${platform.manifestDigest}#${n}`;
    return [...operatingSystem(platform, key), ...platform.packages.map((pkg, i) => component(pkg, platform, key, i))];
  });
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: (ctx.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      tools: { components: [tool] },
      component: imageComponent(ctx),
    },
    components,
  };
}

export function renderCycloneDx(ctx: ReportContext): string {
  return JSON.stringify(cycloneDxSbom(ctx), null, 2) + '\n';
}
