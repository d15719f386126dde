// Found by a review, fixed since: BuildKit reads `RUN --mount=` fields with their key
// lowercased (instructions/commands_runmount.go parseMount: `key = strings.ToLower(key)`),
// so `RUN --mount=type=bind,From=image:tag,…` mounts, and pulls, that image by tag.
// dockerfile.ts mountSources matched only a lowercase `from=`: the image was never
// found, and `pin --check` passed a Dockerfile that pulls by tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'library/nginx:1.25.3']);

test('--check: RUN --mount=…,From=image:tag (any case of the key) is checked', async (t) => {
  const tree = await pinTree(reg, t, {
    'deploy/Dockerfile': [
      `FROM ${reg.host}/team/app:1.0@${app.digest}`,
      `RUN --mount=type=bind,From=${reg.host}/library/nginx:1.25.3,target=/n cp /n/x /x`,
      '',
    ].join('\n'),
  }, { check: true });
  assert.deepEqual(tree.report.rows.map((r) => `${r.line} ${r.reference.replace(reg.host, 'HOST')} ${r.state}`),
    ['1 HOST/team/app:1.0@' + app.digest + ' up-to-date', '2 HOST/library/nginx:1.25.3 unpinned'], tree.rows);
  assert.equal(tree.report.result, 'violation', tree.rows);
});

// The same reading: the --mount value is a CSV record (encoding/csv), so a quoted field
// `"from=image:tag"` is the field from=image:tag.
test('--check: RUN --mount=type=bind,"from=image:tag" (a quoted CSV field) is checked', async (t) => {
  const tree = await pinTree(reg, t, {
    'deploy/Dockerfile': [
      `FROM ${reg.host}/team/app:1.0@${app.digest}`,
      `RUN --mount=type=bind,"from=${reg.host}/library/nginx:1.25.3",target=/n cp /n/x /x`,
      '',
    ].join('\n'),
  }, { check: true });
  assert.equal(tree.report.result, 'violation', tree.rows);
});
