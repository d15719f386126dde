// `mutable-tags`: glob patterns of tag names that may move (latest, pr-*, *-dev).
// A pattern matches the tag name only, never the repository, so one list serves
// every repository in `tags`.
import { ImmutagError } from './errors.ts';
import { readList } from './inputs/list.ts';

export interface TagMatcher {
  readonly patterns: readonly string[];
  /** The first pattern that matches `tag`, or undefined when the tag is immutable. */
  matchingPattern(tag: string): string | undefined;
  isMutable(tag: string): boolean;
}

/** The input's patterns: list lines (`#` comments skipped), split on commas outside braces, so `{alpha,beta}-*` stays one. */
export function parseTagPatterns(text: string): string[] {
  return readList(text, { braces: true });
}

export async function compileTagPatterns(patterns: readonly string[]): Promise<TagMatcher> {
  for (const pattern of patterns) checkPattern(pattern);
  const plain = patterns.map(plainMatcher);
  const glob = plain.includes(undefined) ? (await import('picomatch')).default : undefined;
  const compiled = patterns.map((pattern, i) => ({
    pattern,
    test: plain[i] ?? globMatcher(glob!, pattern),
  }));
  const matchingPattern = (tag: string): string | undefined => compiled.find((c) => c.test(tag))?.pattern;
  return {
    patterns: [...patterns],
    matchingPattern,
    isMutable: (tag) => matchingPattern(tag) !== undefined,
  };
}

// Names, and names with single stars (latest, pr-*, *-dev, *), are matched here;
// picomatch (~60 KB of source: loading it and first using it were 4% of a tag check's
// instructions) is loaded only for a list with some other pattern, such as 3.* or
// +([0-9]).+([0-9]). On every tag name ([A-Za-z0-9_][A-Za-z0-9_.-]*, never a slash)
// the two agree, which test/tag-pattern.test.ts holds them to: a name matches only
// itself, and a single star any run of characters, even none. Stars with dots, runs of
// stars and the other glob characters keep picomatch's readings (its `*.*` does not
// match `a.`).
const NAME = /^[A-Za-z0-9_.-]+$/;
const NAME_WITH_STARS = /^(?:[A-Za-z0-9_-]|\*(?!\*))+$/;

function plainMatcher(pattern: string): ((tag: string) => boolean) | undefined {
  if (NAME.test(pattern)) return (tag) => tag === pattern;
  if (!NAME_WITH_STARS.test(pattern)) return undefined;
  const re = new RegExp(`^${pattern.split('*').join('.*')}$`);
  return (tag) => re.test(tag);
}

type Picomatch = typeof import('picomatch');
const GLOB_OPTIONS = { dot: true, nocase: false };

// picomatch rebuilds a pattern from its tokens' raw text when it meets a brace range, a
// POSIX class or some nested groups, and the rebuilt expression is not the glob: its dots lose their
// escape (`1.{0..9}` matched the build tags 100 … 199) and a range wider than one digit
// becomes a class of digits (`v{10..12}` matched v1 and v2, not v10). A list of tags
// that may move must never match more than it says, so ranges are expanded here as bash
// expands them, into the comma lists picomatch reads correctly, and a pattern it would
// still rebuild is refused.
function globMatcher(glob: Picomatch, pattern: string): (tag: string) => boolean {
  // A run of stars is one star on a tag name (no slashes); three or more made the compiler
  // rebuild the pattern, two do not (and `*.**` keeps matching `a.`, as in bash).
  const expanded = expandRanges(pattern).replace(/\*{3,}/g, '**');
  if (glob.parse(expanded).backtrack) {
    throw new ImmutagError('INVALID_INPUT', `mutable-tags pattern "${pattern}" nests groups in a way immutag's glob compiler cannot read exactly`, {
      hint: 'Write it more simply: list the tags, spell a class as [0-9] rather than [[:digit:]], or use one group per part (e.g. 1.+([0-9]) or {alpha,beta}-*).',
    });
  }
  return glob(expanded, GLOB_OPTIONS);
}

/** The most tags one range may stand for: a longer list is not what a person meant to type. */
const MAX_RANGE = 1000;
const RANGE = /\{(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?\}/g;

/** `{0..9}`, `{08..10}`, `{a..e}`, `{1..9..2}` as the comma lists (or single names) bash expands them to. */
function expandRanges(pattern: string): string {
  return pattern.replace(RANGE, (whole: string, from: string, to: string, step: string | undefined) => {
    const items = /\d/.test(from) && /\d/.test(to) ? numberRange(from, to, step) : letterRange(from, to, step);
    if (items === undefined) {
      throw new ImmutagError('INVALID_INPUT', `mutable-tags pattern "${pattern}" holds the range ${whole}, which is not a range of numbers or of letters of one case`, {
        hint: 'Write a range as {0..9} or {a..f}, or list the names: {alpha,beta}.',
      });
    }
    if (items.length > MAX_RANGE) {
      throw new ImmutagError('INVALID_INPUT', `mutable-tags pattern "${pattern}": the range ${whole} stands for more than ${MAX_RANGE} names`, {
        hint: 'Match the numbers with a glob instead, e.g. +([0-9]) for any number.',
      });
    }
    return items.length === 1 ? items[0]! : `{${items.join(',')}}`;
  });
}

// In BigInt, as bash counts in 64 bits: build numbers and timestamps (20261205020443121)
// are past 2^53, where a Number would round them onto their neighbours.
function numberRange(from: string, to: string, step: string | undefined): string[] | undefined {
  const start = BigInt(from);
  const end = BigInt(to);
  const by = abs(BigInt(step ?? 1)) || 1n;
  // As bash: a bound written with a leading zero pads every number to the wider bound.
  const width = /^-?0\d/.test(from) || /^-?0\d/.test(to) ? Math.max(from.length, to.length) : 0;
  const count = abs(end - start) / by + 1n;
  if (count > BigInt(MAX_RANGE)) return new Array<string>(MAX_RANGE + 1);
  const sign = end >= start ? 1n : -1n;
  return Array.from({ length: Number(count) }, (_, i) => padded(start + sign * BigInt(i) * by, width));
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function padded(n: bigint, width: number): string {
  const digits = abs(n).toString().padStart(n < 0n ? width - 1 : width, '0');
  return n < 0n ? `-${digits}` : digits;
}

function letterRange(from: string, to: string, step: string | undefined): string[] | undefined {
  const lower = (c: string): boolean => c >= 'a' && c <= 'z';
  if (!/^[A-Za-z]$/.test(from) || !/^[A-Za-z]$/.test(to) || lower(from) !== lower(to)) return undefined;
  const start = from.charCodeAt(0);
  const end = to.charCodeAt(0);
  const by = Math.abs(Number(step ?? 1)) || 1;
  const sign = end >= start ? 1 : -1;
  const count = Math.floor(Math.abs(end - start) / by) + 1;
  return Array.from({ length: count }, (_, i) => String.fromCharCode(start + sign * i * by));
}

// A slash or colon means the user wrote a whole reference (`ghcr.io/acme/api:latest`);
// matching it against tag names would silently never match, so say so instead.
//
// No tag name holds a `!`, so in a pattern it is always meant as "not", and the glob
// compiler reads it three ways: a leading one negates the whole pattern (`!1.0.0`), one
// before a group negates the group (`v!(1)*`, `{!(latest),dev}`), and one opening a
// class is a character of the class (`[!0-9]` is "!" or a digit), where bash, fnmatch
// and gitignore read "none of these". The first two, in a list of tags that may move,
// let nearly every other tag move; the third matches the very tags the user meant to
// keep immutable (`[!0-9]*` matched the version tags, and a release tag already at
// another digest passed). Each is refused rather than guessed at; a class that
// excludes is spelt `[^0-9]`, which the compiler reads as bash reads `[!0-9]`.
function checkPattern(pattern: string): void {
  if (pattern.includes('[!')) {
    const spelt = pattern.replaceAll('[!', '[^');
    throw new ImmutagError('INVALID_INPUT', `mutable-tags pattern "${pattern}" opens a class with "[!": immutag's glob compiler reads that "!" as a character, not as "none of", so the pattern would match the very tags it leaves out`, {
      hint: spelt.includes('!')
        ? 'Write "none of these characters" as [^…] (e.g. [^0-9]* for every tag that does not start with a digit), and list tags that may move rather than negating.'
        : `Write "none of these characters" as [^…]: ${spelt}`,
    });
  }
  if (pattern.includes('!')) {
    throw new ImmutagError('INVALID_INPUT', `mutable-tags pattern "${pattern}" is a negation: it would make every other tag mutable`, {
      hint: 'The list names the tags that may move (latest, pr-*); a tag that is in no pattern is immutable already.',
    });
  }
  // A tag name holds neither: such a pattern matches nothing, and the tag it was meant
  // for would be refused with advice to add the line that is already there.
  if (/[\s#]/.test(pattern)) {
    throw new ImmutagError('INVALID_INPUT', `mutable-tags pattern "${pattern}" holds ${pattern.includes('#') ? 'a #' : 'a space'}, which no tag name can`, {
      hint: 'Write one pattern per line (or separate them with commas); a comment goes on a line of its own, starting with #.',
    });
  }
  // The compiler reads `?` or `+` right after a group as a regular-expression quantifier:
  // `+([0-9])?` matched the one-digit tags it meant to leave out, and `@(1|v1)+` matched
  // 1, v1 and 11, where bash reads a literal `+` that no tag name holds; a brace list (or
  // a range) is the same group to the compiler, so `{1,v1}+` too, and a class: `v[0-9]+`
  // matched v1 and v123, as a regular expression would. Before `(` they open a
  // group of their own (`?(-*)`, `+([0-9])`) and are read as bash reads them.
  const quantified = /\)([?+])(?!\()|[}\]](\+)(?!\()/.exec(pattern);
  if (quantified !== null) {
    throw new ImmutagError('INVALID_INPUT', `mutable-tags pattern "${pattern}" has a ${quantified[1] ?? quantified[2]} right after a group, which immutag's glob compiler would read as a repetition, not as bash reads it`, {
      hint: 'Spell one character as a class, [A-Za-z0-9_.-] (e.g. +([0-9])[a-z] rather than +([0-9])?), and a repeated group or class as +(…) before it (+(1|v1) rather than @(1|v1)+, +([0-9]) rather than [0-9]+).',
    });
  }
  if (pattern.includes('/') || pattern.includes(':')) {
    throw new ImmutagError('INVALID_INPUT', `mutable-tags pattern "${pattern}" looks like an image reference`, {
      hint: 'Patterns match the tag name only: write latest or pr-* rather than ghcr.io/acme/api:latest.',
    });
  }
}

/** Patterns as given by a caller, or a matcher it already compiled (the push reuses the gate's). */
export async function tagMatcher(patterns: readonly string[] | TagMatcher): Promise<TagMatcher> {
  return Array.isArray(patterns) ? compileTagPatterns(patterns as readonly string[]) : patterns as TagMatcher;
}
