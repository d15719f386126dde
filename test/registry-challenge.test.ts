import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChallenges, pickChallenge, type Challenge } from '../src/registry/auth/challenge.ts';

// Real headers: the reference registry, Docker Hub, GHCR, ECR, Harbor, plus RFC 7235 corner cases.
const cases: Array<[string, string | string[], Challenge[]]> = [
  ['distribution token, with scope holding a comma',
    'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
    [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:samalba/my-app:pull,push' } }]],
  ['insufficient_scope',
    'Bearer realm="http://127.0.0.1:1/token",service="reg",scope="repository:a/b:pull",error="insufficient_scope"',
    [{ scheme: 'bearer', params: { realm: 'http://127.0.0.1:1/token', service: 'reg', scope: 'repository:a/b:pull', error: 'insufficient_scope' } }]],
  ['htpasswd Basic', 'Basic realm="immutag-test"', [{ scheme: 'basic', params: { realm: 'immutag-test' } }]],
  ['ECR Basic with a service param', 'Basic realm="https://1.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com"',
    [{ scheme: 'basic', params: { realm: 'https://1.dkr.ecr.us-east-1.amazonaws.com/', service: 'ecr.amazonaws.com' } }]],
  ['case-insensitive scheme and names, spaces around =, token values',
    'BEARER Realm = "https://x/token" , Service=svc',
    [{ scheme: 'bearer', params: { realm: 'https://x/token', service: 'svc' } }]],
  ['escapes in quoted strings', 'Basic realm="a \\"quoted\\" \\\\ realm"', [{ scheme: 'basic', params: { realm: 'a "quoted" \\ realm' } }]],
  ['two challenges in one header', 'Basic realm="r1", Bearer realm="https://t/token",service="s"',
    [{ scheme: 'basic', params: { realm: 'r1' } }, { scheme: 'bearer', params: { realm: 'https://t/token', service: 's' } }]],
  ['two headers', ['Negotiate', 'Bearer realm="https://t"'],
    [{ scheme: 'negotiate', params: {} }, { scheme: 'bearer', params: { realm: 'https://t' } }]],
  ['token68', 'Negotiate YIIB9gYJKoZIhvcSAQICAQBuggHlMIIB4aADAgEFoQMCAQ6iBwMFACAAAACjggEVYYIBETCCAQ2gAwIBBaEXGxVBVEhFTkEuTUlULkVEVQ==, Basic realm="x"',
    [{ scheme: 'negotiate', params: {}, token68: 'YIIB9gYJKoZIhvcSAQICAQBuggHlMIIB4aADAgEFoQMCAQ6iBwMFACAAAACjggEVYYIBETCCAQ2gAwIBBaEXGxVBVEhFTkEuTUlULkVEVQ==' },
      { scheme: 'basic', params: { realm: 'x' } }]],
  ['first duplicate param wins', 'Bearer realm="a",realm="b"', [{ scheme: 'bearer', params: { realm: 'a' } }]],
  ['unterminated quote keeps what is there', 'Bearer realm="https://t/tok', [{ scheme: 'bearer', params: { realm: 'https://t/tok' } }]],
  ['empty', '', []],
];

test('WWW-Authenticate headers parse into challenges', () => {
  for (const [name, header, expected] of cases) {
    assert.deepEqual(parseChallenges(header), expected, name);
  }
  assert.deepEqual(parseChallenges(undefined), []);
});

test('Bearer is preferred over Basic; other schemes are not answered', () => {
  assert.equal(pickChallenge(parseChallenges('Basic realm="r", Bearer realm="t"'))?.scheme, 'bearer');
  assert.equal(pickChallenge(parseChallenges('Basic realm="r"'))?.scheme, 'basic');
  assert.equal(pickChallenge(parseChallenges('Negotiate abc')), undefined);
});
