import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTagsInput } from '../src/inputs/tags.ts';
import { ImmutagError } from '../src/errors.ts';

// docker/metadata-action's `tags` output: one reference per line, trailing newline.
const metadataActionOutput = 'ghcr.io/acme/api:1.4.0\nghcr.io/acme/api:1.4\nghcr.io/acme/api:latest\n';

test('the tags input takes metadata-action output, commas, blanks and duplicates', () => {
  const cases: Array<[string, string[]]> = [
    [metadataActionOutput, ['ghcr.io/acme/api:1.4.0', 'ghcr.io/acme/api:1.4', 'ghcr.io/acme/api:latest']],
    ['a.io/x:1, a.io/x:2 ,a.io/x:3', ['a.io/x:1', 'a.io/x:2', 'a.io/x:3']],
    ['\n  a.io/x:1  \n\n\r\n a.io/x:1\n', ['a.io/x:1']],
    ['nginx:1\ndocker.io/library/nginx:1\nindex.docker.io/nginx:1', ['nginx:1']],
    ['a.io/x:1,\n,a.io/y', ['a.io/x:1', 'a.io/y']],
  ];
  for (const [input, expected] of cases) {
    assert.deepEqual(parseTagsInput(input).map((t) => t.input), expected, JSON.stringify(input));
  }
});

test('tags are parsed references; a missing tag means latest', () => {
  const [a, b] = parseTagsInput('ghcr.io/acme/api:1.4.0\nacme/web');
  assert.deepEqual({ ...a }, { registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.0', input: 'ghcr.io/acme/api:1.4.0' });
  assert.deepEqual({ ...b }, { registry: 'docker.io', repository: 'acme/web', tag: 'latest', input: 'acme/web' });
});

test('every bad entry is reported at once; a digest is not a tag', () => {
  assert.throws(() => parseTagsInput('ghcr.io/Acme/api:1\nok.io/x:1\nghcr.io/acme/api:-x'), (e: unknown) => {
    assert.ok(e instanceof ImmutagError);
    assert.equal(e.code, 'INVALID_REFERENCE');
    assert.match(e.message, /Acme\/api/);
    assert.match(e.message, /tag "-x"/);
    assert.doesNotMatch(e.message, /ok\.io/);
    return true;
  });
  assert.throws(() => parseTagsInput(`ghcr.io/acme/api@sha256:${'b'.repeat(64)}`), /pins a digest/);
});

test('no entries is an empty list, not an error: metadata-action outputs tags=\'\' when no rule fits the event', () => {
  assert.deepEqual(parseTagsInput(''), []);
  assert.deepEqual(parseTagsInput(' \n , \n'), []);
});
