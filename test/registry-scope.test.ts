import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coversScopes, normaliseScopes, pushScopes, repositoryScope } from '../src/registry/scope.ts';

test('scopes on one resource merge; order and duplicates do not matter', () => {
  assert.deepEqual(normaliseScopes(['repository:a/b:pull', 'repository:a/b:push', 'repository:a/b:pull']), ['repository:a/b:pull,push']);
  assert.deepEqual(normaliseScopes(['repository:z:pull', 'repository:a:pull repository:a:push']), ['repository:a:pull,push', 'repository:z:pull']);
  assert.deepEqual(normaliseScopes(['registry:catalog:*']), ['registry:catalog:*']);
  assert.deepEqual(normaliseScopes(['repository:127.0.0.1:5000/x:pull']), ['repository:127.0.0.1:5000/x:pull']);
});

test('push scopes ask pull,push on the target and pull on mount sources', () => {
  assert.equal(repositoryScope('acme/api', ['pull']), 'repository:acme/api:pull');
  assert.deepEqual(pushScopes('acme/api', ['acme/base']), ['repository:acme/api:pull,push', 'repository:acme/base:pull']);
});

test('coversScopes says whether a token already grants what a challenge asks', () => {
  assert.equal(coversScopes(['repository:a:pull,push'], ['repository:a:pull']), true);
  assert.equal(coversScopes(['repository:a:pull'], ['repository:a:push']), false);
  assert.equal(coversScopes(['repository:a:pull'], ['repository:b:pull']), false);
});
