// Found by a review, fixed since: a `+` after a bracket class was still read as "one or
// more" (`v[0-9]+` made v1, v12 and v123 mutable, `[a-z]+` made latest mutable), where
// bash reads a literal `+` that no tag name holds; it is refused like `)+` and `}+`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTagPatterns } from '../src/tag-pattern.ts';

test('v[0-9]+ and [0-9]+.[0-9]+ make no version tag mutable (bash: a literal +), or are refused', async () => {
  for (const [pattern, tags] of [['v[0-9]+', ['v1', 'v12', 'v123']], ['[0-9]+.[0-9]+', ['1.0', '12.34']], ['[a-z]+', ['latest', 'stable']]] as const) {
    let matcher: Awaited<ReturnType<typeof compileTagPatterns>>;
    try {
      matcher = await compileTagPatterns([pattern]);
    } catch {
      continue; // refused, like @(1|v1)+ and {1,v1}+
    }
    for (const tag of tags) {
      assert.equal(matcher.isMutable(tag), false, `${pattern} must not make ${tag} mutable (bash matches no tag name with it)`);
    }
  }
});
