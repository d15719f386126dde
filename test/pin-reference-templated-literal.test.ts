// Found by a review, fixed since: text before a templated digest counted as "nothing but
// placeholders" even when a placeholder held literal text (a default value,
// `${CREDS:-deploy:s3cret}`, or a quoted Helm literal, `{{ "deploy:s3cret" }}`), and
// literal `x` characters passed for placeholders: the password was shown. Only plain
// placeholders count now, and a default is judged as the literal text it is.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { withoutCredentials } from '../src/reference.ts';
import { runCli } from './support/action-runner.ts';

const dir = await mkdtemp(join(tmpdir(), 'immutag-review-own5-leak-'));
after(() => rm(dir, { recursive: true, force: true }));

test('withoutCredentials: a password in a placeholder default or a literal before a templated digest is not shown', () => {
  const cases = ['${CREDS:-deploy:s3cret}@${IMAGE}', '{{ "deploy:s3cret" }}@{{ .Values.image }}', 'xxxxxxxx${P}@${IMAGE}'];
  const leaked = cases.map((text) => withoutCredentials(text)).filter((shown) => shown.includes('s3cret') || shown.includes('xxxxxxxx'));
  assert.deepEqual(leaked, [], 'what precedes the templated digest is shown with the password in it');
});

test('pin --json: the row of image: ${CREDS:-deploy:s3cret}@${IMAGE} does not hold the password', async () => {
  await writeFile(join(dir, 'compose.yaml'), 'services:\n  app:\n    image: ${CREDS:-deploy:s3cret}@${IMAGE}\n');
  const r = await runCli(['pin', dir, '--json']);
  assert.ok(!r.stdout.includes('s3cret'), r.stdout);
});
