// The comment and the job summary as GitHub shows them, laid out in headless Chromium
// at a phone's width (390 px) and a tablet's (820 px): nothing may be wider than the
// screen, neither the page nor a table (GitHub scrolls a wide table sideways inside
// the comment, which on a phone hides the columns that matter).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREVIEW_CASES, renderCase } from '../scripts/preview-cases.ts';
import { renderPage } from '../scripts/preview-page.ts';
import { measurePages } from '../scripts/preview-browser.ts';
import { INDEX_DIGEST } from './support/sample-report.ts';

const WIDTHS = [390, 820];

test('every standard outcome fits a phone and a tablet: no page or table wider than the screen', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-preview-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pages: string[] = [];
  for (const c of PREVIEW_CASES) {
    const { comment, summary } = renderCase(c);
    for (const [kind, markdown] of [['comment', comment], ['summary', summary]] as const) {
      const name = `${c.name}.${kind}.html`;
      await writeFile(join(dir, name), renderPage(`${c.title} (${kind})`, markdown));
      pages.push(name);
    }
  }
  for (const width of WIDTHS) {
    const measured = await measurePages(dir, pages, width);
    for (const page of pages) {
      const m = measured[page];
      assert.ok(m !== undefined, `${page} was not measured`);
      assert.equal(m.viewport, width, `${page}: laid out at ${m.viewport} px, not ${width}`);
      assert.ok(m.scrollWidth <= m.viewport, `${page} at ${width} px is ${m.scrollWidth} px wide`);
      assert.deepEqual(m.wideTables, [], `${page} at ${width} px has tables wider than the comment`);
    }
    if (width === 390) {
      // 150 failing findings: the comment opens at a readable height (it was 15,844 px
      // with every finding in wide tables); the rest is folded.
      const many = measured['many-findings.comment.html']!;
      assert.ok(many.closedHeight < 3000, `the 150-findings comment opens ${many.closedHeight} px tall`);
      assert.ok(many.openHeight > many.closedHeight * 3, 'the findings past the first few are folded');
    }
  }
});

test('the check can fail: a table with a full digest in a cell is wider than a phone', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-preview-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const wide = `| Tag | Digest |\n| --- | --- |\n| \`ghcr.io/octo-org/api:1.4.0\` | \`${INDEX_DIGEST}\` |\n`;
  const pre = `${'x'.repeat(20)}<div style="width:600px">a fixed-width block</div>\n`;
  await writeFile(join(dir, 'table.html'), renderPage('wide table', wide));
  await writeFile(join(dir, 'block.html'), renderPage('wide block', pre));
  const m = await measurePages(dir, ['table.html', 'block.html'], 390);
  assert.equal(m['table.html']!.wideTables.length, 1);
  assert.ok(m['block.html']!.scrollWidth > 390);
});
