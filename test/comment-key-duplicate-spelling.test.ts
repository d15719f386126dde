// Found by a review, fixed since: the default comment key, made from the `tags` entries,
// kept a tag listed twice under two spellings of one registry (`ghcr.io` and `GHCR.io`,
// or `:443`) twice, where parseTagsInput (and so the report's rows and every earlier
// version's key) keeps the first: an upgrade left the old comment beside a new one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTagsInput, tagRepositories } from '../src/inputs/tags.ts';
import { defaultCommentKey } from '../src/report/comment.ts';
import { repositoryName } from '../src/reference.ts';

for (const entries of [
  ['ghcr.io/acme/api:1.0', 'GHCR.io/acme/api:1.0'],
  ['registry.example.com/team/app:1.0', 'registry.example.com:443/team/app:1.0'],
]) {
  test(`the key from the tags input is the key of the report's rows: ${entries.join(', ')}`, () => {
    // The report's rows are the parsed tags, one per distinct tag (job/tag-report.ts gateRows).
    const rows = [...new Set(parseTagsInput(entries.join('\n')).map((ref) => repositoryName(ref)))];
    assert.equal(defaultCommentKey('image', tagRepositories(entries)), defaultCommentKey('image', rows),
      `rows name ${JSON.stringify(rows)}, the key names ${JSON.stringify(tagRepositories(entries))}`);
  });
}
