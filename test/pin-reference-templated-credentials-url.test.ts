// Found by a review, fixed since: a reference whose name part held a password and a `/`
// before a templated image (`https://deploy:s3cret@${APP_IMAGE}`, or a base64 password
// with a `/`) passed for "a name with a path" and was shown whole. What comes before a
// templated digest is now shown only when it parses as an image name with a path, or is
// nothing but placeholders.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { withoutCredentials } from '../src/reference.ts';
import { runCli } from './support/action-runner.ts';

const dir = await mkdtemp(join(tmpdir(), 'immutag-review-own4-leak-'));
after(() => rm(dir, { recursive: true, force: true }));

test('withoutCredentials: a password before a templated image is masked even when a slash precedes the @', () => {
  for (const text of ['https://deploy:s3cret@${APP_IMAGE}', 'deploy:s3/cret@${APP_IMAGE}', 'deploy:s3/cret@{{ .Values.image }}', 'deploy:s3/cret@$APP_IMAGE']) {
    const shown = withoutCredentials(text);
    assert.doesNotMatch(shown, /s3\/?cret/, `password shown: ${shown}`);
  }
});

test('pin --json: a row never quotes the password of https://user:password@${IMAGE}', async () => {
  await writeFile(join(dir, 'compose.yaml'), 'services:\n  app:\n    image: https://deploy:s3cret@${APP_IMAGE}\n  web:\n    image: deploy:s3/cret@${WEB_IMAGE}\n');
  const r = await runCli(['pin', dir, '--json']);
  assert.doesNotMatch(r.stdout, /s3\/?cret/, r.stdout);
  assert.doesNotMatch(r.stderr, /s3\/?cret/, r.stderr);
});
