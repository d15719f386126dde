import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatReference, parseReference, registryApiHost, withDefaultTag, type Reference } from '../src/reference.ts';
import { ImmutagError } from '../src/errors.ts';

const D = `sha256:${'a'.repeat(64)}`;

const valid: Array<[string, Reference]> = [
  ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
  ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
  ['docker.io/nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
  ['index.docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
  ['docker.io/library/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
  ['acme/api:1.4.0', { registry: 'docker.io', repository: 'acme/api', tag: '1.4.0' }],
  ['ghcr.io/acme/api:1.4.0', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.0' }],
  ['ghcr.io/acme/team/api', { registry: 'ghcr.io', repository: 'acme/team/api' }],
  ['localhost/app', { registry: 'localhost', repository: 'app' }],
  ['localhost:5000/app:dev', { registry: 'localhost:5000', repository: 'app', tag: 'dev' }],
  ['127.0.0.1:5000/a/b:v1', { registry: '127.0.0.1:5000', repository: 'a/b', tag: 'v1' }],
  ['[::1]:5000/app:1', { registry: '[::1]:5000', repository: 'app', tag: '1' }],
  ['Registry.Example.com/app', { registry: 'Registry.Example.com', repository: 'app' }],
  ['MyHost/app', { registry: 'MyHost', repository: 'app' }],
  ['localhost:5000', { registry: 'docker.io', repository: 'library/localhost', tag: '5000' }],
  [`ghcr.io/acme/api@${D}`, { registry: 'ghcr.io', repository: 'acme/api', digest: D }],
  [`ghcr.io/acme/api:1.0@${D}`, { registry: 'ghcr.io', repository: 'acme/api', tag: '1.0', digest: D }],
  ['a/b.c_d__e-f---g:_Tag.1-x', { registry: 'docker.io', repository: 'a/b.c_d__e-f---g', tag: '_Tag.1-x' }],
  [`x.io/app:${'t'.repeat(128)}`, { registry: 'x.io', repository: 'app', tag: 't'.repeat(128) }],
  [`x.io/${'a'.repeat(250)}`, { registry: 'x.io', repository: 'a'.repeat(250) }],
];

test('valid references parse to registry, repository, tag and digest', () => {
  for (const [input, expected] of valid) {
    assert.deepEqual(parseReference(input), expected, input);
  }
});

// Each invalid reference, and the part its error message must name.
const invalid: Array<[string, string]> = [
  ['', 'empty'],
  ['ghcr.io/Acme/api:1', 'repository "Acme/api" must be lowercase'],
  ['ghcr.io/acme/api:-bad', 'tag "-bad"'],
  ['ghcr.io/acme/api:.bad', 'tag ".bad"'],
  ['ghcr.io/acme/api:bad/tag', 'path component "api:bad"'],
  [`x.io/app:${'t'.repeat(129)}`, '129 characters'],
  [`x.io/${'a'.repeat(251)}`, 'at most 255'],
  ['ghcr.io/acme//api', 'path component ""'],
  ['ghcr.io/acme/api-', 'path component "api-"'],
  ['ghcr.io/acme/_api', 'path component "_api"'],
  ['ghcr.io/acme/a...b', 'path component "a...b"'],
  ['ghcr.io/', 'repository name is missing'],
  ['-bad.io/app', 'registry "-bad.io"'],
  ['bad_host.io/app', 'registry "bad_host.io"'],
  ['ghcr.io/acme/api@sha256:abc', 'digest "sha256:abc"'],
  [`ghcr.io/acme/api@sha256:${'A'.repeat(64)}`, 'lowercase sha256'],
  [`ghcr.io/acme/api@md5:${'a'.repeat(32)}`, 'digest "md5:'],
  ['ghcr.io/acme/api@', 'digest ""'],
  ['ghcr.io/acme/ api', 'whitespace'],
  ['a'.repeat(64).replace(/a/g, 'f'), 'image ID'],
];

test('invalid references fail with INVALID_REFERENCE naming the offending part', () => {
  for (const [input, part] of invalid) {
    assert.throws(() => parseReference(input), (e: unknown) => {
      assert.ok(e instanceof ImmutagError, input);
      assert.equal(e.code, 'INVALID_REFERENCE', input);
      assert.ok(e.message.includes(part), `${input}: "${e.message}" should mention ${part}`);
      assert.ok(e.hint.length > 0);
      return true;
    });
  }
});

test('Docker Hub is reached at registry-1.docker.io; other registries at their own host', () => {
  assert.equal(registryApiHost('docker.io'), 'registry-1.docker.io');
  assert.equal(registryApiHost('ghcr.io'), 'ghcr.io');
  assert.equal(registryApiHost('127.0.0.1:5000'), '127.0.0.1:5000');
});

test('a reference without a tag means :latest', () => {
  assert.equal(withDefaultTag(parseReference('nginx')).tag, 'latest');
  assert.equal(withDefaultTag(parseReference('nginx:1')).tag, '1');
});

const lower = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const alnum = fc.string({ unit: fc.constantFrom(...lower), minLength: 1, maxLength: 8 });
const separator = fc.constantFrom('.', '_', '__', '-', '--');
const component = fc.tuple(alnum, fc.array(fc.tuple(separator, alnum), { maxLength: 2 }))
  .map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(''));
const repository = fc.array(component, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
const hostLabel = fc.string({ unit: fc.constantFrom(...lower), minLength: 1, maxLength: 6 });
const registry = fc.oneof(
  fc.constant('docker.io'),
  fc.constant('localhost'),
  fc.tuple(hostLabel, hostLabel).map(([a, b]) => `${a}.${b}`),
  fc.tuple(hostLabel, fc.integer({ min: 1, max: 65535 })).map(([a, p]) => `${a}:${p}`),
  fc.integer({ min: 1, max: 65535 }).map((p) => `127.0.0.1:${p}`),
);
const tagChars = 'abcXYZ019_.-'.split('');
const tag = fc.tuple(fc.constantFrom('a', 'Z', '0', '_'), fc.string({ unit: fc.constantFrom(...tagChars), maxLength: 20 }))
  .map(([h, t]) => h + t);
const digest = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 64, maxLength: 64 }).map((h) => `sha256:${h}`);

const reference = fc.record({ registry, repository, tag: fc.option(tag, { nil: undefined }), digest: fc.option(digest, { nil: undefined }) })
  .map((r): Reference => {
    // Docker Hub names one level deep live under library/; the parser adds it, so the model does too.
    const repo = r.registry === 'docker.io' && !r.repository.includes('/') ? `library/${r.repository}` : r.repository;
    const out: Reference = { registry: r.registry, repository: repo };
    if (r.tag !== undefined) out.tag = r.tag;
    if (r.digest !== undefined) out.digest = r.digest;
    return out;
  });

test('property: parse(format(ref)) gives ref back, and format is a fixed point', () => {
  fc.assert(fc.property(reference, (ref) => {
    const parsed = parseReference(formatReference(ref));
    assert.deepEqual(parsed, ref);
    assert.equal(formatReference(parseReference(formatReference(parsed))), formatReference(ref));
  }), { numRuns: 500 });
});
