// CycloneDX requires every bom-ref to be unique in the BOM (1.6 spec, refType: "Every
// object with a bom-ref MUST be unique within the BOM"); tools that read the SBOM
// (cyclonedx-cli validate, Dependency-Track) refuse or merge duplicates. cyclonedx.ts built
// them from the platform name (`${platform}/os`, `${platform}/${index}/${purl}`), and
// platformName() drops os.version: a Windows index lists `windows/amd64` once per
// os.version (ltsc2019, ltsc2022), and any index may list one platform twice, so the
// bom-refs repeated. The first test failed before the fix.
// Now bom-refs are keyed on the platform's manifest digest (`${digest}/os`,
// `${digest}/${index}/${purl}`, `#2`… after the digest should a manifest be listed twice),
// and the platform name stays in the `immutag:platform` property.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cycloneDxSbom } from '../src/report/files/cyclonedx.ts';
import { sampleContext } from './support/scan-context.ts';

type Json = Record<string, any>;

test('bom-refs stay unique when two manifests of the index share a platform name', async () => {
  const ctx = await sampleContext();
  const [a, b] = ctx.result.platforms;
  a!.platform = 'windows/amd64';
  b!.platform = 'windows/amd64'; // another os.version, another manifest digest
  const bom = cycloneDxSbom(ctx) as Json;
  const refs = (bom.components as Json[]).map((c) => c['bom-ref'] as string);
  const dupes = [...new Set(refs.filter((r, i) => refs.indexOf(r) !== i))];
  assert.deepEqual(dupes, [], 'duplicate bom-ref values make the SBOM invalid');
});

test('bom-refs are keyed on the manifest digest; the platform name is a property', async () => {
  const ctx = await sampleContext();
  for (const p of ctx.result.platforms) p.platform = 'windows/amd64';
  const bom = cycloneDxSbom(ctx) as Json;
  for (const platform of ctx.result.platforms) {
    const mine = (bom.components as Json[]).filter((c) => (c['bom-ref'] as string).startsWith(`${platform.manifestDigest}/`));
    assert.equal(mine.length, platform.packages.length + 1, 'its packages and its operating system');
    assert.ok(mine.some((c) => c['bom-ref'] === `${platform.manifestDigest}/os`));
    for (const c of mine) assert.ok((c.properties as Json[]).some((p) => p.name === 'immutag:platform' && p.value === 'windows/amd64'));
  }
});

test('one manifest listed twice still gives unique bom-refs', async () => {
  const ctx = await sampleContext();
  const [a, b] = ctx.result.platforms;
  b!.manifestDigest = a!.manifestDigest;
  const refs = ((cycloneDxSbom(ctx) as Json).components as Json[]).map((c) => c['bom-ref'] as string);
  assert.equal(new Set(refs).size, refs.length);
  assert.ok(refs.includes(`${a!.manifestDigest}#2/os`));
});
