// The CLI's flags: one table, the Action's input names as the canonical spelling
// (singular and plural both accepted where the CLI used to differ), and a "did you
// mean" for a flag that is not in the table, so a typo stops with the fix in hand.
import { parseArgs } from 'node:util';
import { ImmutagError } from './errors.ts';

export const OPTIONS = {
  tags: { type: 'string', multiple: true },
  'mutable-tags': { type: 'string', multiple: true },
  'insecure-registries': { type: 'string', multiple: true },
  username: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  image: { type: 'string' },
  'no-push': { type: 'boolean' },
  'promote-same-revision': { type: 'boolean' },
  digest: { type: 'string' },
  scan: { type: 'string' },
  'fail-on': { type: 'string' },
  'ignore-unfixed': { type: 'boolean' },
  'ignore-file': { type: 'string' },
  'osv-url': { type: 'string' },
  'vuln-db': { type: 'string' },
  'max-scan-size': { type: 'string' },
  timeout: { type: 'string' },
  'tag-settle-seconds': { type: 'string' },
  report: { type: 'string' },
  sarif: { type: 'string' },
  sbom: { type: 'string' },
  summary: { type: 'boolean' },
  'comment-file': { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  version: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Other spellings → the canonical flag: the singular of the Action's plural inputs, and the CLI's old names. */
export const ALIASES: Readonly<Record<string, keyof typeof OPTIONS>> = {
  tag: 'tags',
  'mutable-tag': 'mutable-tags',
  'insecure-registry': 'insecure-registries',
};

/** Flags people reach for that immutag deliberately does not have, and what to use instead. */
const INSTEAD: Readonly<Record<string, string>> = {
  password: '--password-stdin (or $IMMUTAG_PASSWORD): a password in an argument ends up in shell history and `ps`',
  'github-token': 'nothing: the CLI writes no pull-request comment (use --summary for the Markdown report)',
  comment: 'nothing: the CLI writes no pull-request comment (use --summary for the Markdown report)',
  push: '--no-push to check and scan without pushing (pushing is the default of `immutag push`)',
};

export type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export interface ParsedArgs {
  command: string | undefined;
  refs: string[];
  values: Values;
}

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const args = argv.map(canonical);
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true; tokens: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    throw flagError(argv, err as Error);
  }
  refuseRepeated(parsed.tokens ?? [], OPTIONS);
  const [command, ...refs] = parsed.positionals;
  return { command, refs: [...refs, ...(parsed.values.tags ?? [])], values: parsed.values };
}

/**
 * A flag that takes one value, given twice: the parser keeps the last and drops the first
 * without a word, so `--scan trivy … --scan none` (a template's default and a job's
 * override) would pass unscanned. Refused instead, as a flag that would be ignored is.
 */
export function refuseRepeated(tokens: ReadonlyArray<{ kind: string; name?: string }>, options: Readonly<Record<string, { type: string; multiple?: boolean }>>): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined) continue;
    const option = options[token.name];
    if (option === undefined || option.multiple || option.type !== 'string') continue;
    if (seen.has(token.name)) {
      throw new ImmutagError('INVALID_INPUT', `flag --${token.name} was given more than once`, {
        hint: `Give --${token.name} once: only one of its values could apply.`,
      });
    }
    seen.add(token.name);
  }
}

/** `--json` anywhere before a `--`: the caller promised `| jq` a JSON document even when parsing fails. */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--json' || a.startsWith('--json='));
}

/** The canonical spelling of a flag (`--insecure-registry` → `--insecure-registries`); others as given. */
export function canonical(arg: string): string {
  const m = /^--([^=]+)(=.*)?$/s.exec(arg);
  if (m === null) return arg;
  const alias = ALIASES[m[1]!];
  return alias === undefined ? arg : `--${alias}${m[2] ?? ''}`;
}

function flagError(argv: readonly string[], err: Error): ImmutagError {
  const unknown = firstUnknownFlag(argv);
  if (unknown !== undefined) {
    const instead = INSTEAD[unknown.name];
    const hint = instead !== undefined ? `Use ${instead}.` : suggestion(unknown.name);
    return new ImmutagError('INVALID_INPUT', `unknown flag ${unknown.written}`, { hint });
  }
  // parseArgs says which option lacks its value or should not have one; its advice about `--` does not apply.
  const message = err.message.split('. To specify')[0]!
    .replace(/^Option '([^' ]+)[^']*' argument missing$/, 'flag $1 needs a value')
    .replace(/^Option '/, "flag '").replace(/'/g, '');
  return new ImmutagError('INVALID_INPUT', message, { hint: 'Run immutag --help for the flags and what they take.' });
}

function firstUnknownFlag(argv: readonly string[]): { name: string; written: string } | undefined {
  for (const arg of argv) {
    if (arg === '--') return undefined;
    const long = /^--([^=]+)/.exec(arg);
    const name = long?.[1];
    if (name !== undefined && !(name in OPTIONS) && !(name in ALIASES)) return { name, written: `--${name}` };
    // A short flag is named by its letter: what follows it may be a value glued on (-pSECRET).
    if (long === null && /^-[^-]/.test(arg) && arg !== '-h') return { name: arg.slice(1, 2), written: arg.slice(0, 2) };
  }
  return undefined;
}

/** A flag that starts the same way (`--insecure`, `--user`), else the closest spelling (`--verison`). */
function suggestion(unknown: string): string {
  const wanted = unknown.toLowerCase();
  const canonical = Object.keys(OPTIONS);
  const prefixed = canonical.filter((name) => name.startsWith(wanted));
  if (prefixed.length > 0) return `Did you mean ${prefixed.map((n) => `--${n}`).join(' or ')}? Run immutag --help for every flag.`;
  const best = [...canonical, ...Object.keys(ALIASES)]
    .map((name) => ({ name, distance: editDistance(wanted, name) }))
    .sort((a, b) => a.distance - b.distance)[0];
  const close = best !== undefined && best.distance <= Math.max(2, Math.floor(wanted.length / 3));
  return close ? `Did you mean --${best.name}? Run immutag --help for every flag.` : 'Run immutag --help for every flag.';
}

/** Levenshtein distance; flags are short, so the quadratic table is nothing. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
