// Found by a review, fixed since: when pin rows came to mask what comes before an `@` that
// does not introduce a digest (so user:password@registry/… is never shown), a reference
// whose digest comes from a variable (`ghcr.io/acme/app@${APP_DIGEST}`, Helm's
// `{{ .Values.image.digest }}`) was shown as `***@${APP_DIGEST}`: it holds no
// credentials, and the row must say which image it is.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from './support/action-runner.ts';

const dir = await mkdtemp(join(tmpdir(), 'immutag-review-own2-template-'));
after(() => rm(dir, { recursive: true, force: true }));

test('pin: a reference with a templated digest is listed as written, not masked as if it held a password', async () => {
  await writeFile(join(dir, 'compose.yaml'), 'services:\n  app:\n    image: ghcr.io/acme/app@${APP_DIGEST}\n  web:\n    image: ghcr.io/acme/web:1.4.0@{{ .Values.digest }}\n');
  const r = await runCli(['pin', dir, '--json']);
  const doc = JSON.parse(r.stdout) as { rows: { reference: string; state: string }[] };
  assert.deepEqual(doc.rows.map((row) => [row.reference, row.state]), [
    ['ghcr.io/acme/app@${APP_DIGEST}', 'skipped'],
    ['ghcr.io/acme/web:1.4.0@{{ .Values.digest }}', 'skipped'],
  ], r.stderr);
});
