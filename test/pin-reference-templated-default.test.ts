// Found by a review, fixed since: a Compose line whose image name is a placeholder with a
// default image (`${APP_IMAGE:-ghcr.io/acme/app}@${APP_DIGEST}`) was masked as
// `***@${APP_DIGEST}`, hiding which image the row is about and no secret at all.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { withoutCredentials } from '../src/reference.ts';
import { runCli } from './support/action-runner.ts';

const dir = await mkdtemp(join(tmpdir(), 'immutag-review-own5-default-'));
after(() => rm(dir, { recursive: true, force: true }));

test('withoutCredentials: a placeholder whose default is an image name is shown as written', () => {
  const text = '${APP_IMAGE:-ghcr.io/acme/app}@${APP_DIGEST}';
  assert.equal(withoutCredentials(text), text);
});

test('pin --json: the row of image: ${APP_IMAGE:-ghcr.io/acme/app}@${APP_DIGEST} names the image', async () => {
  await writeFile(join(dir, 'compose.yaml'), 'services:\n  app:\n    image: ${APP_IMAGE:-ghcr.io/acme/app}@${APP_DIGEST}\n');
  const r = await runCli(['pin', dir, '--json']);
  const rows = (JSON.parse(r.stdout) as { rows: { reference: string }[] }).rows;
  assert.deepEqual(rows.map((row) => row.reference), ['${APP_IMAGE:-ghcr.io/acme/app}@${APP_DIGEST}'], r.stdout);
});
