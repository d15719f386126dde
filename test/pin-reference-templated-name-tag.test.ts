// Found by a review, fixed since: references made of placeholders with a tag
// (`${APP_IMAGE}:${APP_TAG}@${APP_DIGEST}`, Helm's repository:tag@digest) were masked as
// `***@…`, hiding nothing but variable names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withoutCredentials } from '../src/reference.ts';

test('withoutCredentials: placeholder name:tag before a templated digest is shown as written', () => {
  const cases = [
    '${APP_IMAGE}:${APP_TAG}@${APP_DIGEST}',
    '{{ .Values.image.repository }}:{{ .Values.image.tag }}@{{ .Values.image.digest }}',
    '$IMAGE:$TAG@$DIGEST',
  ];
  const masked = cases.filter((text) => withoutCredentials(text) !== text).map((text) => `${text} => ${withoutCredentials(text)}`);
  assert.deepEqual(masked, [], 'a legitimate templated reference is masked');
});
