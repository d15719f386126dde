// Found by a review: BuildKit opens heredocs in ONBUILD RUN/COPY/ADD too (parser.go:
// heredocCompoundDirectives = {ONBUILD}), but dockerfile.ts only looks for them after
// RUN, COPY and ADD. The heredoc body is then read as instructions, the first body
// line is an "unknown instruction", and because the file holds a `{{` (a Go template
// written by the heredoc, a `docker inspect -f '{{.Id}}'`) the parse error is taken for
// "a template of a Dockerfile": the file is listed in the notes and skipped, and
// `pin --check` passes while the Dockerfile builds FROM nginx:1.25 by tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinnedDeployment, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'library/nginx:1.25']);

test('--check: a Dockerfile with an ONBUILD RUN heredoc is read, not skipped as a template', async (t) => {
  const dockerfile = [
    `FROM ${reg.host}/library/nginx:1.25`,
    'ONBUILD RUN <<EOF',
    "echo 'server_name {{ .Host }};' > /etc/nginx/conf.d/site.tmpl",
    'EOF',
    '',
  ].join('\n');
  const tree = await pinTree(reg, t, { 'deploy/app.yaml': pinnedDeployment(reg, 'team/app:1.0', app.digest), 'deploy/Dockerfile': dockerfile }, { check: true });
  assert.equal(tree.report.result, 'violation', `FROM nginx:1.25 is by tag: ${tree.rows}`);
  assert.deepEqual(tree.report.notes, [], 'the Dockerfile is a Dockerfile BuildKit builds, not a template');
});
