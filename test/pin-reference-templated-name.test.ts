// Found by a review, fixed since: when a templated digest after a name without a path
// came to be masked, references whose name is itself a placeholder
// (`${APP_IMAGE}@${APP_DIGEST}`, Helm's `{{ .Values.image.repository }}@{{ … }}`) were
// shown as `***@${APP_DIGEST}`, hiding nothing but a variable name.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { withoutCredentials } from '../src/reference.ts';
import { runCli } from './support/action-runner.ts';

const dir = await mkdtemp(join(tmpdir(), 'immutag-review-own4-name-'));
after(() => rm(dir, { recursive: true, force: true }));

test('withoutCredentials: a templated name before a templated digest is shown as written', () => {
  for (const text of ['${APP_IMAGE}@${APP_DIGEST}', '$IMAGE@$DIGEST', '{{ .Values.image.repository }}@{{ .Values.image.digest }}']) {
    assert.equal(withoutCredentials(text), text);
  }
});

test('pin --json: the row of image: ${APP_IMAGE}@${APP_DIGEST} names the image', async () => {
  await writeFile(join(dir, 'compose.yaml'), 'services:\n  app:\n    image: ${APP_IMAGE}@${APP_DIGEST}\n');
  const r = await runCli(['pin', dir, '--json']);
  const rows = (JSON.parse(r.stdout) as { rows: { reference: string }[] }).rows;
  assert.deepEqual(rows.map((row) => row.reference), ['${APP_IMAGE}@${APP_DIGEST}'], r.stdout);
});
