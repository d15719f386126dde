import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings } from '../src/settings.ts';
import { readList } from '../src/inputs/list.ts';
import type { ImmutagError } from '../src/errors.ts';

const getter = (inputs: Record<string, string>) => (name: string) => inputs[name];

test('readList takes docker/metadata-action output as is: newlines, commas, blanks, repeats', () => {
  const metadataTags = 'ghcr.io/acme/api:1.4.0\nghcr.io/acme/api:1.4\n\nghcr.io/acme/api:latest\n';
  assert.deepEqual(readList(metadataTags), ['ghcr.io/acme/api:1.4.0', 'ghcr.io/acme/api:1.4', 'ghcr.io/acme/api:latest']);
  assert.deepEqual(readList(' a , b,a\n# comment\n c '), ['a', 'b', 'c']);
  assert.deepEqual(readList(undefined), []);
});

test('defaults: everything immutable, osv scan failing on high, auto comment, push only with an image', () => {
  const s = readSettings(getter({ tags: 'r/a:1' }));
  assert.equal(s.scan, 'osv');
  assert.equal(s.failOn, 'high');
  assert.equal(s.comment, 'auto');
  assert.equal(s.push, false);
  assert.deepEqual(s.mutableTags, []);
  assert.equal(readSettings(getter({ tags: 'r/a:1', image: 'x' })).push, true);
  assert.equal(readSettings(getter({ tags: 'r/a:1', image: 'x', push: 'false' })).push, false);
});

test('no tags is valid (metadata-action outputs none when no rule fits the event); promote-same-revision is off by default', () => {
  assert.deepEqual(readSettings(getter({ tags: ' \n ', image: 'x' })).tags, []);
  assert.deepEqual(readSettings(getter({})).tags, []);
  assert.equal(readSettings(getter({ tags: 'r/a:1', image: 'x' })).promoteSameRevision, false);
  assert.equal(readSettings(getter({ tags: 'r/a:1', image: 'x', 'promote-same-revision': 'true' })).promoteSameRevision, true);
  assert.throws(() => readSettings(getter({ tags: 'r/a:1', 'promote-same-revision': 'yes' })), /promote-same-revision/);
});

const invalid: Array<[string, Record<string, string>]> = [
  ['image and digest together', { tags: 'r/a:1', image: 'x', digest: 'sha256:' + 'a'.repeat(64) }],
  ['malformed digest', { tags: 'r/a:1', digest: 'sha256:abc' }],
  ['unknown scanner', { tags: 'r/a:1', scan: 'clair' }],
  ['unknown severity', { tags: 'r/a:1', 'fail-on': 'severe' }],
  ['non-boolean', { tags: 'r/a:1', 'ignore-unfixed': 'yes' }],
  // A value push cannot mean is refused whatever else is set (it was ignored beside digest).
  ['non-boolean push beside digest', { tags: 'r/a:1', digest: 'sha256:' + 'a'.repeat(64), push: 'yes' }],
];

for (const [name, inputs] of invalid) {
  test(`refused with INVALID_INPUT and a hint: ${name}`, () => {
    assert.throws(() => readSettings(getter(inputs)), (e: ImmutagError) => e.code === 'INVALID_INPUT' && e.hint.length > 0);
  });
}

test('mutable-tags keeps brace patterns whole: their comma is not a separator', () => {
  const s = readSettings(getter({ tags: 'r/a:1', 'mutable-tags': '{alpha,beta}-*, latest\npr-*' }));
  assert.deepEqual(s.mutableTags, ['{alpha,beta}-*', 'latest', 'pr-*']);
});

test('max-scan-size takes byte counts with units, and refuses anything else', async () => {
  const { parseSize } = await import('../src/settings.ts');
  const table: Array<[string, number]> = [['8GiB', 8 * 2 ** 30], ['500MB', 500e6], ['1024', 1024], ['1.5 KiB', 1536], ['64mib', 64 * 2 ** 20]];
  for (const [text, bytes] of table) assert.equal(parseSize(text, 'max-scan-size'), bytes, text);
  assert.equal(readSettings(getter({ tags: 'r/a:1' })).maxScanBytes, 8 * 2 ** 30);
  for (const bad of ['lots', '-1GB', '0', '5 parsecs', '0.5', '0.0001KB']) {
    assert.throws(() => parseSize(bad, 'max-scan-size'), (e: ImmutagError) => e.code === 'INVALID_INPUT', bad);
  }
});

test('timeout is bounded by what a timer can wait: past ~596 h it is refused, not a run that ends at once', async () => {
  const { parseDuration } = await import('../src/registry/deadline.ts');
  assert.equal(parseDuration('596h', 'timeout'), 596 * 3_600_000);
  for (const bad of ['600h', '100000m']) {
    assert.throws(() => parseDuration(bad, 'timeout'), (e: ImmutagError) => e.code === 'INVALID_INPUT' && /at most 596 h/.test(e.message), bad);
  }
});

test('an empty image or digest never turns a push or a scan into a bare check: settings that need one of them say so', () => {
  const refused = (inputs: Record<string, string>, pattern: RegExp) =>
    assert.throws(() => readSettings(getter({ tags: 'ghcr.io/a/b:1', ...inputs })), (e: ImmutagError) => e.code === 'INVALID_INPUT' && pattern.test(e.message));
  // A workflow expression that came out empty: `image: ${{ steps.build.outputs.path }}`.
  refused({ image: '', push: 'true' }, /push: true.*neither `image` nor `digest`/);
  refused({ push: 'banana' }, /push/);
  for (const file of ['report', 'sarif', 'sbom']) refused({ digest: '', [file]: `out.${file}` }, new RegExp(`\`${file}\`.*neither \`image\` nor \`digest\``));
  // push: false, or nothing at all, is a check as before.
  assert.equal(readSettings(getter({ tags: 'ghcr.io/a/b:1', push: 'false' })).push, false);
  assert.equal(readSettings(getter({ tags: 'ghcr.io/a/b:1' })).image, undefined);
});

test('report, sarif and sbom with a digest but no tags are refused: the tags name the repository the image is read from, so nothing would be scanned or written', () => {
  const digest = 'sha256:' + 'a'.repeat(64);
  for (const file of ['report', 'sarif', 'sbom']) {
    assert.throws(() => readSettings(getter({ tags: '', digest, [file]: `out.${file}` })),
      (e: ImmutagError) => e.code === 'INVALID_INPUT' && new RegExp(`\`${file}\`.*\`digest\`.*no \`tags\``).test(e.message), file);
  }
  assert.equal(readSettings(getter({ tags: '', digest })).digest, digest, 'a digest alone with no tags is still the notice, as before');
});

test('report, sarif and sbom with scan: none are refused: the scan writes them, so they would be missing without a word', () => {
  for (const file of ['report', 'sarif', 'sbom']) {
    assert.throws(() => readSettings(getter({ tags: 'ghcr.io/a/b:1', image: 'dir', scan: 'none', [file]: `out.${file}` })),
      (e: ImmutagError) => e.code === 'INVALID_INPUT' && new RegExp(`\`${file}\`.*scan: none`).test(e.message), file);
  }
  assert.equal(readSettings(getter({ tags: 'ghcr.io/a/b:1', image: 'dir', sarif: 'out.sarif' })).sarif, 'out.sarif');
});

test('pin-check without pin is refused: a check of no files is not a pass', () => {
  assert.throws(() => readSettings(getter({ 'pin-check': 'true', pin: '' })), (e: ImmutagError) => e.code === 'INVALID_INPUT' && /pin-check.*`pin`/.test(e.message));
  assert.equal(readSettings(getter({ 'pin-check': 'false' })).pinCheck, false);
});
