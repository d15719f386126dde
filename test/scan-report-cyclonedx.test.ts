import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { cycloneDxSbom } from '../src/report/files/cyclonedx.ts';
import { purlFor } from '../src/scan/purl.ts';
import { loadSchemas, validate } from './support/json-schema.ts';
import { INDEX_DIGEST, sampleContext, samplePackages } from './support/scan-context.ts';

const dir = (name: string) => fileURLToPath(new URL(`./fixtures/scan/schemas/${name}`, import.meta.url));
const SCHEMAS = loadSchemas([dir('bom-1.6.schema.json'), dir('spdx.schema.json'), dir('jsf-0.82.schema.json')]);

type Json = Record<string, any>;

test('the SBOM validates against the CycloneDX 1.6 JSON schema', async () => {
  assert.deepEqual(validate(cycloneDxSbom(await sampleContext()), 'bom-1.6.schema.json', SCHEMAS), []);
});

test('the validator refuses a broken SBOM (wrong spec version, bad serial, unknown component type)', async () => {
  const bom = cycloneDxSbom(await sampleContext()) as Json;
  bom.specVersion = 1.6;
  bom.serialNumber = 'uuid:123';
  bom.components[0].type = 'package';
  bom.components[1].licenses = [{ license: { id: 'Not-An-SPDX-Id' } }];
  const errors = validate(bom, 'bom-1.6.schema.json', SCHEMAS);
  for (const expected of [/specVersion: expected string/, /serialNumber: "uuid:123" does not match/, /components\[0\]\.type: "package" is not one of/,
    /components\[1\]\.licenses: matches 0 of oneOf/]) {
    assert.ok(errors.some((e) => expected.test(e)), `${expected} in ${errors.join('\n')}`);
  }
});

test('metadata names the image by digest; components carry purl, bom-ref, licenses and the layer', async () => {
  const bom = cycloneDxSbom(await sampleContext()) as Json;
  assert.match(bom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(bom.metadata.component.hashes, [{ alg: 'SHA-256', content: 'd'.repeat(64) }]);
  assert.equal(bom.metadata.component.version, INDEX_DIGEST);
  assert.equal(bom.metadata.component.name, '127.0.0.1:5000/acme/api');
  assert.equal(bom.metadata.component.purl, `pkg:oci/api@sha256%3A${'d'.repeat(64)}?repository_url=127.0.0.1%3A5000%2Facme%2Fapi`);
  assert.equal(bom.metadata.timestamp, '2025-01-02T03:04:05Z');

  const libraries = (bom.components as Json[]).filter((c) => c.type === 'library');
  assert.equal(libraries.length, 2 * samplePackages().length, 'every package of both platforms');
  assert.equal(new Set((bom.components as Json[]).map((c) => c['bom-ref'])).size, bom.components.length, 'bom-refs are unique');
  const apparmor = libraries.find((c) => c.name === 'apparmor' && c.properties.some((p: Json) => p.value === 'linux/arm64/v8'));
  assert.equal(apparmor?.purl, 'pkg:deb/debian/apparmor@3.0.8-3?arch=arm64&distro=debian-12');
  assert.deepEqual(apparmor?.licenses, [{ license: { name: 'GPL-2+' } }]);
  assert.ok(apparmor?.properties.some((p: Json) => p.name === 'immutag:layer:digest' && p.value === 'sha256:' + 'e'.repeat(64)));
  const os = (bom.components as Json[]).filter((c) => c.type === 'operating-system').map((c) => [c.name, c.version]);
  assert.deepEqual(os, [['debian', '12'], ['debian', '12']]);
});

test('package URLs by type when the inventory did not set one', () => {
  const [, nginx, npm, mariadb] = samplePackages();
  const table: [string | undefined, string | undefined][] = [
    [purlFor(nginx!, { id: 'debian', versionId: '12' }, 'linux/amd64'), 'pkg:deb/debian/nginx@1.2.1-2.2?arch=amd64&distro=debian-12'],
    [purlFor(npm!, undefined), 'pkg:npm/%40acme/any23-bridge@2.4.0'],
    [purlFor(mariadb!, { id: 'alpine', versionId: '3.12.0' }, 'unknown'), 'pkg:apk/alpine/mariadb@10.4.24-r0?distro=alpine-3.12.0'],
    [purlFor({ ...npm!, type: 'pypi', name: 'Jinja_2' }, undefined), 'pkg:pypi/jinja-2@2.4.0'],
    [purlFor({ ...npm!, purl: 'pkg:npm/keep@1' }, undefined), 'pkg:npm/keep@1'],
    [purlFor({ ...nginx!, version: '1:2.0-1' }, undefined), 'pkg:deb/debian/nginx@1:2.0-1'],
  ];
  assert.deepEqual(table.map(([got]) => got), table.map(([, want]) => want));
});
