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
    test: plain[i] ?? glob!(pattern, { dot: true, nocase: false }),
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
