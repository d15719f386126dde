import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layout, type TableBlock } from '../src/report/layout.ts';

function table(name: string, rows: number, priority: number, wrapped = false): TableBlock {
  const block: TableBlock = {
    header: `| ${name} |\n| --- |`,
    rows: Array.from({ length: rows }, (_, i) => `| ${name} row ${i} |`),
    leftOut: (n) => `${n} ${name} rows left out`,
    priority,
  };
  if (wrapped) {
    block.before = '<details><summary>more</summary>';
    block.after = '</details>';
  }
  return block;
}

test('layout keeps every row when they fit', () => {
  const out = layout(['# title', table('a', 3, 1)], 10_000);
  assert.equal(out, '# title\n\n| a |\n| --- |\n| a row 0 |\n| a row 1 |\n| a row 2 |');
});

test('layout fills tables in priority order and says what it left out', () => {
  const blocks = ['# title', table('other', 50, 2, true), table('failing', 50, 1)];
  const out = layout(blocks, 700);
  assert.ok(out !== undefined && Buffer.byteLength(out) <= 700);
  const failingRows = out.match(/\| failing row \d+ \|/g)?.length ?? 0;
  const otherRows = out.match(/\| other row \d+ \|/g)?.length ?? 0;
  assert.ok(failingRows > 0);
  assert.equal(otherRows, 0);
  assert.match(out, new RegExp(`${50 - failingRows} failing rows left out`));
  assert.match(out, /<details><summary>more<\/summary>\n\n50 other rows left out\n\n<\/details>/);
});

test('layout gives up (undefined) when the prose alone is over the limit', () => {
  assert.equal(layout(['x'.repeat(200), table('a', 1, 1)], 100), undefined);
});

test('empty tables disappear', () => {
  assert.equal(layout(['# title', table('a', 0, 1, true), 'end'], 1000), '# title\n\nend');
});

test('maxShown caps a table even when more rows would fit', () => {
  const capped = { ...table('a', 10, 1), maxShown: 3 };
  assert.equal(layout([capped], 10_000), '| a |\n| --- |\n| a row 0 |\n| a row 1 |\n| a row 2 |\n\n7 a rows left out');
});
