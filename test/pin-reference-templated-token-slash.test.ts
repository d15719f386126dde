// Found by a review, fixed since: a bare base64 token with a `/` before a templated
// digest (`LB7TPCj/q9x@${APP_DIGEST}`) parsed as registry and repository and was shown
// whole. A registry is now shown only as a lower-case host name with a dot, localhost,
// or a placeholder.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withoutCredentials } from '../src/reference.ts';

test('withoutCredentials: a token with a / that parses as Host/name is not shown', () => {
  const cases = [
    ['LB7TPCj/q9x@${APP_DIGEST}', 'LB7TPCj/q9x'],
    ['MC2KQ1/f0@{{ .Values.image.digest }}', 'MC2KQ1/f0'],
  ];
  const leaked = cases.filter(([text, secret]) => withoutCredentials(text!).includes(secret!))
    .map(([text]) => `${text} => ${withoutCredentials(text!)}`);
  assert.deepEqual(leaked, [], 'the secret before the templated digest is shown');
});
