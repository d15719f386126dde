// Every list input (`tags`, `mutable-tags`, `insecure-registries`, `pin`) is read by
// this one reader, as docker/metadata-action reads its own: line by line, a line whose
// first non-blank character is `#` is a comment, and only then are lines split on
// commas. Splitting first would read half of a commented-out line
// (`# reg/app:1.0, reg/app:1` kept `reg/app:1`: a tag the user took out, written and
// immutable from then on; `# dev-*, staging-*` kept `staging-*` mutable).

export interface ListOptions {
  /** Commas inside `{…}` belong to a glob (`{alpha,beta}-*`, `deploy/{a,b}.yaml`). */
  braces?: boolean;
}

/** Trimmed, non-empty items in order, each once. */
export function readList(text: string | undefined, options: ListOptions = {}): string[] {
  const out = new Set<string>();
  for (const line of (text ?? '').split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) continue;
    for (const item of splitCommas(trimmed, options.braces === true)) {
      const value = item.trim();
      if (value !== '') out.add(value);
    }
  }
  return [...out];
}

function splitCommas(line: string, braces: boolean): string[] {
  if (!braces) return line.split(',');
  const items: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of line) {
    if (ch === '{') depth++;
    if (ch === '}' && depth > 0) depth--;
    if (ch === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  items.push(current);
  return items;
}
