// Review: CycloneDX requires every bom-ref to be unique in the BOM (1.6 spec, refType:
// "Every object with a bom-ref MUST be unique within the BOM"); tools that read the SBOM
// (cyclonedx-cli validate, Dependency-Track) refuse or merge duplicates. cyclonedx.ts
// builds them from the platform name (`${platform}/os`, `${platform}/${index}/${purl}`),
// and platformName() drops os.version: a Windows index lists `windows/amd64` once per
// os.version (ltsc2019, ltsc2022), and any index may list one platform twice.
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
