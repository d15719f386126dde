// Found by a review of 4429683/ac974ce (quotes read as BuildKit reads them). BuildKit's
// extractBuilderFlags (frontend/dockerfile/parser/line_parsers.go) removes ' and " quotes
// anywhere in a flag word before the --mount CSV is parsed, so
// `--mount=type=bind,from='nginx:1.25.3'` (or from="…") mounts nginx:1.25.3. pin reads the
// quotes as part of the image, an invalid reference: it refuses the whole tree (error)
// instead of reporting one reference by tag. Not a regression (same at 8392847): a hole
// the quote fixes leave through a sibling path. Same class: FROM "repo":tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'library/nginx:1.25.3']);

for (const q of [`'`, `"`]) {
  test(`--check: RUN --mount=type=bind,from=${q}image:tag${q} is a reference by tag, not an invalid one`, async (t) => {
    const tree = await pinTree(reg, t, {
      'deploy/Dockerfile': `FROM ${reg.host}/team/app:1.0@${app.digest}\nRUN --mount=type=bind,from=${q}${reg.host}/library/nginx:1.25.3${q},target=/x true\n`,
    }, { check: true });
    assert.deepEqual(tree.report.rows.map((r) => `${r.line} ${r.state}`), ['1 up-to-date', '2 unpinned'], tree.rows);
  });
}
