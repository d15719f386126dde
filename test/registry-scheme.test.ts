import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InsecureHosts } from '../src/registry/scheme.ts';
import { ImmutagError } from '../src/errors.ts';

test('https everywhere except the hosts listed as insecure', () => {
  const insecure = new InsecureHosts(['127.0.0.1:5000', ' http://Registry.local:8080/ ', 'build-cache', '[::1]:5001']);
  const cases: Array<[string, 'http' | 'https']> = [
    ['127.0.0.1:5000', 'http'],
    ['127.0.0.1:5001', 'https'],
    ['127.0.0.1', 'https'],
    ['registry.local:8080', 'http'],
    ['build-cache', 'http'],
    ['build-cache:9000', 'http'],
    ['[::1]:5001', 'http'],
    ['[::1]:5000', 'https'],
    ['localhost:5000', 'https'],
    ['ghcr.io', 'https'],
  ];
  for (const [host, scheme] of cases) assert.equal(insecure.schemeFor(host), scheme, host);
  assert.equal(insecure.originFor('127.0.0.1:5000'), 'http://127.0.0.1:5000');
  assert.throws(() => new InsecureHosts(['user:pw@host']), (e: unknown) => e instanceof ImmutagError && e.code === 'INVALID_INPUT');
});
