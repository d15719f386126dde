// Found by a review, fixed since: BuildKit expands FROM's image with its shell lexer
// (dockerfile2llb: shlex.ProcessWordWithMatches(st.BaseName, …)), which removes quotes:
// `FROM "nginx:1.25"` builds from nginx:1.25. dockerfile.ts took the word with its
// quotes (it unquoted COPY --from= and --mount values, not FROM's), so the reference was
// "invalid": `pin` refused the whole tree (wrote no file) over a Dockerfile docker
// builds, and `--check` reported an error instead of naming the tag it pulls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['library/nginx:1.25.3']);

test('pin: FROM "image:tag" (quoted, as docker build accepts it) is pinned inside its quotes', async (t) => {
  const tree = await pinTree(reg, t, {
    'deploy/Dockerfile': `FROM "${reg.host}/library/nginx:1.25.3" AS base\nRUN true\n`,
  }, { check: false });
  assert.equal(tree.report.result, 'pass', tree.rows);
  assert.equal(tree.out['deploy/Dockerfile'], `FROM "${reg.host}/library/nginx:1.25.3@${app.digest}" AS base\nRUN true\n`);
});
