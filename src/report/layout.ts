// Fits a report under a size limit. Prose blocks are small and bounded by
// construction; tables can be arbitrarily long (3,000 findings), so they get what is
// left, in priority order, and say how many rows they left out.
import { sizeOf } from './markdown.ts';

/** A table, or a list (empty header): rows that can be left out when the report would be too big. */
export interface TableBlock {
  /** Header and rule lines of the table; empty for a list. */
  header: string;
  rows: string[];
  /** Markdown before the table (a heading, `<details><summary>…</summary>`); a blank line follows it. */
  before?: string;
  /** Markdown after the table (`</details>`); a blank line precedes it. */
  after?: string;
  /** The line shown when `left` rows did not fit. */
  leftOut: (left: number) => string;
  /** Lower is filled first. */
  priority: number;
  /** At most this many rows, even when more would fit (the rest are left out the same way). */
  maxShown?: number;
}

export type Block = string | TableBlock;

const SEPARATOR = '\n\n';

/**
 * Joins the blocks with blank lines, keeping as many table rows as fit in `limit`
 * (UTF-8 bytes). Returns undefined when even the prose does not fit, so the caller can
 * fall back to a shorter form.
 */
export function layout(blocks: readonly Block[], limit: number): string | undefined {
  const tables = blocks.filter(isTable);
  let remaining = limit - fixedSize(blocks);
  if (remaining < 0) return undefined;
  const shown = new Map<TableBlock, number>();
  for (const table of [...tables].sort((a, b) => a.priority - b.priority)) {
    let n = 0;
    for (const row of table.rows.slice(0, table.maxShown)) {
      const cost = sizeOf(row) + 1;
      if (cost > remaining) break;
      remaining -= cost;
      n++;
    }
    shown.set(table, n);
  }
  const out = blocks
    .map((block) => (isTable(block) ? renderTable(block, shown.get(block) ?? 0) : block))
    .filter((s) => s !== '')
    .join(SEPARATOR);
  return sizeOf(out) <= limit ? out : undefined;
}

function isTable(block: Block): block is TableBlock {
  return typeof block !== 'string';
}

/** Everything except the rows, counting each table's left-out line at its longest. */
function fixedSize(blocks: readonly Block[]): number {
  let size = 0;
  for (const block of blocks) {
    size += SEPARATOR.length;
    if (!isTable(block)) {
      size += sizeOf(block);
      continue;
    }
    if (block.rows.length === 0) continue;
    size += sizeOf(renderTable(block, 0)) + sizeOf(block.header) + SEPARATOR.length;
  }
  return size;
}

function renderTable(table: TableBlock, shown: number): string {
  if (table.rows.length === 0) return '';
  const parts: string[] = [];
  if (table.before !== undefined) parts.push(table.before);
  // A list has no header; a table has its header and rule lines.
  if (shown > 0) parts.push([table.header, ...table.rows.slice(0, shown)].filter((line) => line !== '').join('\n'));
  const left = table.rows.length - shown;
  if (left > 0) parts.push(table.leftOut(left));
  if (table.after !== undefined) parts.push(table.after);
  return parts.join(SEPARATOR);
}
