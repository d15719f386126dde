// tag-settle-seconds: the settle window of the tag-write protocol, one value for every
// job pushing a repository, so it is validated like every other input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings } from '../src/settings.ts';

const read = (value?: string) => readSettings((name) => ({ tags: 'ghcr.io/acme/api:1.0', 'tag-settle-seconds': value } as Record<string, string | undefined>)[name]);

test('tag-settle-seconds: 5 s by default, decimals allowed', () => {
  assert.equal(read().tagSettleMs, 5000);
  assert.equal(read('2.5').tagSettleMs, 2500);
});

for (const bad of ['0', '-1', 'abc', '601', '1e3']) {
  test(`tag-settle-seconds "${bad}" is refused`, () => {
    assert.throws(() => read(bad), { code: 'INVALID_INPUT', message: /tag-settle-seconds/ });
  });
}
