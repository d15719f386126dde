// `mutable-tags`: glob patterns of tag names that may move (latest, pr-*, *-dev).
// A pattern matches the tag name only, never the repository, so one list serves
// every repository in `tags`.
import picomatch from 'picomatch';
import { ImmutagError } from './errors.ts';

export interface TagMatcher {
  readonly patterns: readonly string[];
  /** The first pattern that matches `tag`, or undefined when the tag is immutable. */
  matchingPattern(tag: string): string | undefined;
  isMutable(tag: string): boolean;
}

/**
 * Splits the input on newlines and on commas outside braces, so `{alpha,beta}-*`
 * stays one pattern; trims and drops empty entries.
 */
export function parseTagPatterns(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === '{') depth++;
    if (ch === '}' && depth > 0) depth--;
    if (ch === '\n' || (ch === ',' && depth === 0)) {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return [...new Set(out.map((s) => s.trim()).filter((s) => s !== ''))];
}

export function compileTagPatterns(patterns: readonly string[]): TagMatcher {
  const compiled = patterns.map((pattern) => {
    checkPattern(pattern);
    return { pattern, test: picomatch(pattern, { dot: true, nocase: false }) };
  });
  const matchingPattern = (tag: string): string | undefined => compiled.find((c) => c.test(tag))?.pattern;
  return {
    patterns: [...patterns],
    matchingPattern,
    isMutable: (tag) => matchingPattern(tag) !== undefined,
  };
}

// A slash or colon means the user wrote a whole reference (`ghcr.io/acme/api:latest`);
// matching it against tag names would silently never match, so say so instead.
function checkPattern(pattern: string): void {
  if (pattern.includes('/') || pattern.includes(':')) {
    throw new ImmutagError('INVALID_INPUT', `mutable-tags pattern "${pattern}" looks like an image reference`, {
      hint: 'Patterns match the tag name only: write latest or pr-* rather than ghcr.io/acme/api:latest.',
    });
  }
}

/** Patterns as given by a caller, or a matcher it already compiled (the push reuses the gate's). */
export function tagMatcher(patterns: readonly string[] | TagMatcher): TagMatcher {
  return Array.isArray(patterns) ? compileTagPatterns(patterns as readonly string[]) : patterns as TagMatcher;
}
