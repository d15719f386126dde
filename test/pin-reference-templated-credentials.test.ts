// Found by a review, fixed since: when a digest left to a variable came to be shown
// unmasked (`ghcr.io/acme/app@${APP_DIGEST}`), a reference with a password before the
// registry and such a digest (`deploy:s3cret@registry.example.com/acme/app@${APP_DIGEST}`)
// was shown whole, password included, in pin rows, --json, the summary and the comment.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { withoutCredentials } from '../src/reference.ts';
import { runCli } from './support/action-runner.ts';

const dir = await mkdtemp(join(tmpdir(), 'immutag-review-own3-leak-'));
after(() => rm(dir, { recursive: true, force: true }));

test('withoutCredentials: credentials before the registry are masked even when the digest is templated', () => {
  for (const text of ['deploy:s3cret@registry.example.com/app@${APP_DIGEST}', 'deploy:s3cret@registry.example.com/app:1.0@{{ .Values.digest }}', 'user:pa$$word@${X}']) {
    const shown = withoutCredentials(text);
    assert.doesNotMatch(shown, /s3cret|pa\$\$word/, `password shown: ${shown}`);
  }
});

test('pin --json: a row never quotes the password of user:password@registry/app@${DIGEST}', async () => {
  await writeFile(join(dir, 'compose.yaml'), 'services:\n  app:\n    image: deploy:s3cret@registry.example.com/acme/app@${APP_DIGEST}\n');
  const r = await runCli(['pin', dir, '--json']);
  assert.doesNotMatch(r.stdout, /s3cret/, r.stdout);
  assert.doesNotMatch(r.stderr, /s3cret/, r.stderr);
});
