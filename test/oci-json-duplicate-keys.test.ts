// Go's encoding/json does not let a repeated key replace what an earlier one set when
// the field is a struct or a map: it decodes the second object INTO the first (fields
// the second omits keep the first's values, map entries are merged), and a `null` leaves
// a string or struct as it was. JSON.parse keeps only the last value. So a manifest that
// repeats "config" without its mediaType keeps that mediaType to every Go reader (checked
// with Go 1.19) while JSON.parse sees none, and two Labels objects are one merged map to
// Go but only the second to JSON.parse. One verified document, two readings: what
// oci-json.ts exists to refuse (its header says "the later one wins", which holds only
// for strings, numbers and lists).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONFIG_FIELDS, MANIFEST_FIELDS, parseOciJson } from '../src/oci-json.ts';
import { MediaType } from '../src/oci.ts';

const config = { mediaType: MediaType.ociConfig, digest: `sha256:${'c'.repeat(64)}`, size: 2 };

test('a repeated struct-valued key that Go merges is refused', () => {
  const { mediaType: _dropped, ...untyped } = config;
  const manifest = `{"schemaVersion":2,"mediaType":"${MediaType.ociManifest}","config":${JSON.stringify(config)},"config":${JSON.stringify(untyped)},"layers":[]}`;
  assert.throws(() => parseOciJson(manifest, MANIFEST_FIELDS), 'Go reads config.mediaType from the first "config"; JSON.parse sees none');
  const image = '{"os":"linux","config":{"Labels":{"org.opencontainers.image.source":"https://github.com/o/r"}},"config":{"Labels":{"org.opencontainers.image.revision":"abc"}}}';
  assert.throws(() => parseOciJson(image, CONFIG_FIELDS), 'Go merges the two Labels maps; JSON.parse keeps the second');
});

test('repeated keys are found as decoded, and only within one object', () => {
  assert.throws(() => parseOciJson('{"schemaVersion":2,"layers":[],"\\u006cayers":[]}', MANIFEST_FIELDS), /the key "layers" appears twice in one object/);
  const fine = '{"schemaVersion":2,"annotations":{"x":"}{\\"a\\":1,\\"a\\":2}\\\\","a":"b"},"layers":[{"digest":"d","size":1},{"digest":"d","size":1}]}';
  assert.deepEqual(parseOciJson(fine, MANIFEST_FIELDS), JSON.parse(fine));
});
