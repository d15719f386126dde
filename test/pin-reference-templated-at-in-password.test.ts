// Found by a review, fixed since: with a templated digest, a password holding an `@`
// (`deploy:hunter2@Prod@${APP_DIGEST}`) was cut at its own `@` and its tail shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withoutCredentials } from '../src/reference.ts';

test('withoutCredentials: no part of a password with an @ is shown before a templated digest', () => {
  const cases = [
    ['deploy:hunter2@Prod@${APP_DIGEST}', 'Prod'],
    ['deploy:s3cr@tail/x@{{ .Values.image.digest }}', 'tail/x'],
    ['deploy:pa@ss-word@$DIGEST', 'ss-word'],
  ];
  const leaked = cases.filter(([text, tail]) => withoutCredentials(text!).includes(tail!))
    .map(([text]) => `${text} => ${withoutCredentials(text!)}`);
  assert.deepEqual(leaked, [], 'the part of the password after its @ is shown');
});
