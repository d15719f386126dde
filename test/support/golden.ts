// Golden files: the test compares output with a file under test/fixtures/, and
// UPDATE_GOLDEN=1 rewrites the file instead (review the diff before committing).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';

export async function assertGolden(path: string, actual: string): Promise<void> {
  const file = new URL(`../fixtures/${path}`, import.meta.url);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    await writeFile(file, actual);
    return;
  }
  let expected: string;
  try {
    expected = await readFile(file, 'utf8');
  } catch {
    assert.fail(`golden file test/fixtures/${path} is missing: run the test with UPDATE_GOLDEN=1 and review it`);
  }
  assert.equal(actual, expected, `output differs from test/fixtures/${path} (UPDATE_GOLDEN=1 rewrites it)`);
}
