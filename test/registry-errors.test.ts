import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { httpError, parseErrorBody, responseError } from '../src/registry/errors.ts';
import { ERROR_BODY_LIMIT } from '../src/registry/body.ts';

test('registry error bodies become {code, message, detail} lists', () => {
  const cases: Array<[string, unknown]> = [
    ['{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"1.0"}}]}',
      [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: '1.0' } }]],
    ['{"errors":[{"code":"DENIED","message":"a"},{"code":"UNAUTHORIZED"}]}', [{ code: 'DENIED', message: 'a' }, { code: 'UNAUTHORIZED', message: '' }]],
    ['{"code":"NOT_FOUND","message":"artifact not found"}', [{ code: 'NOT_FOUND', message: 'artifact not found' }]],
    ['{"errors":[{"message":"no code"}, 7, null]}', []],
    ['<html>502 Bad Gateway</html>', []],
    ['', []],
  ];
  for (const [body, expected] of cases) assert.deepEqual(parseErrorBody(Buffer.from(body)), expected, body);
});

test('HTTP errors carry status, codes and a hint; 401 depends on whether credentials were sent', () => {
  const anon = httpError(401, [], { what: 'HEAD x' });
  const authed = httpError(401, [], { what: 'HEAD x', authenticated: true });
  const limited = httpError(429, [{ code: 'TOOMANYREQUESTS', message: 'slow down' }], { what: 'HEAD x' });
  assert.equal(anon.code, 'AUTH_REQUIRED');
  assert.equal(authed.code, 'AUTH_FAILED');
  assert.equal(limited.status, 429);
  assert.equal(limited.temporary(), true);
  assert.equal(limited.hasCode('TOOMANYREQUESTS'), true);
  assert.equal(limited.message, 'HEAD x failed with HTTP 429: TOOMANYREQUESTS: slow down');
  assert.match(limited.hint, /rate limiting/);
  assert.equal(httpError(404, [], { what: 'x' }).temporary(), false);
});

test('only a bounded prefix of an error body is read', async () => {
  let produced = 0;
  const endless = new Readable({
    read() {
      produced += 16384;
      this.push(Buffer.alloc(16384, 0x20));
    },
  });
  const err = await responseError(500, endless, { what: 'GET x' });
  assert.equal(err.status, 500);
  assert.ok(produced <= ERROR_BODY_LIMIT + 5 * 16384, `read ${produced} bytes`);
});
