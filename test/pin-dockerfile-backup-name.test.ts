// Found by a review of 511a166 (any Dockerfile* name is a Dockerfile). NOT_DOCKERFILE keeps editor
// and merge leftovers out (.bak, .orig, .swp), but the broadened dockerfileStem now also
// walks an Emacs/Vim backup `Dockerfile~`, which at 8392847 was not walked. A stale
// backup's old FROM by tag makes `pin --check deploy/` fail (and `pin` rewrites the backup).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinnedDeployment, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'library/nginx:1.25.3']);

test('--check deploy/: an editor backup Dockerfile~ is not a deploy file', async (t) => {
  const tree = await pinTree(reg, t, {
    'deploy/app.yaml': pinnedDeployment(reg, 'team/app:1.0', app.digest),
    'deploy/Dockerfile~': `FROM ${reg.host}/library/nginx:1.25.3\n`,
  }, { check: true });
  assert.equal(tree.report.result, 'pass', tree.rows);
});
