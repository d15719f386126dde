// `immutag pin PATH... [--check] [--json] [--mutable-tags P] [--insecure-registries H]`:
// its own flags, parsed here so the main CLI only dispatches to it.
// Exit codes as everywhere: 0 pass, 1 violation (unpinned, a tag moved), 2 error.
import { parseArgs } from 'node:util';
import { asImmutagError, describeError, ImmutagError } from '../errors.ts';
import { ConsoleLogger, oneLine } from '../log.ts';
import { RegistryClient } from '../registry/client.ts';
import { pinAnnotations, pinFinalLine, renderPinSummary } from '../report/pin-section.ts';
import { parseTagPatterns } from '../tag-pattern.ts';
import type { PinReport } from './model.ts';
import { errorField, runPin } from './pin.ts';
import { scrub, secrets } from '../secrets.ts';
import { canonical, refuseRepeated, wantsJson } from '../cli-args.ts';
import { readPasswordStdin } from '../inputs/password-stdin.ts';
import { proxyCredentials } from '../http/proxy-env.ts';

export const PIN_USAGE = `usage:
  immutag pin PATH... [--check] [--json] [--mutable-tags PATTERN]... [--insecure-registries HOST]...

Pins every image reference in PATH (files, directories, globs: Kubernetes manifests,
kustomization.yaml, Compose files, Dockerfiles, GitHub workflows) to the digest its tag
points at now, editing only the references. All files are written or none.

options:
  --check                     change nothing; fail when a reference is not pinned or an
                                immutable tag no longer points at its pinned digest
  --mutable-tags PATTERN      tags that may move (glob; repeatable or comma separated):
                                a move is "update available", not a failure
  --insecure-registries HOST  host:port reachable over plain HTTP (repeatable; singular works too)
  --username USER             registry user, only for the registries named by --registry;
  --registry HOST               the password comes from --password-stdin or $IMMUTAG_PASSWORD
  --password-stdin
  --json                      print the report as JSON to stdout
  --summary                   print the markdown summary to stdout
  --verbose                   debug logging
exit codes: 0 pass, 1 violation, 2 error`;

const OPTIONS = {
  check: { type: 'boolean' },
  json: { type: 'boolean' },
  summary: { type: 'boolean' },
  'mutable-tags': { type: 'string', multiple: true },
  'insecure-registries': { type: 'string', multiple: true },
  username: { type: 'string' },
  registry: { type: 'string', multiple: true },
  'password-stdin': { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A usage error: one line on stderr and, with --json, one JSON document on stdout (so `| jq` never breaks). */
function refuse(argv: readonly string[], err: ImmutagError, usageText?: string): number {
  process.stderr.write(scrub(`immutag pin: ${oneLine(describeError(err))}\n${usageText === undefined ? '' : `${usageText}\n`}`));
  if (wantsJson(argv)) process.stdout.write(scrub(JSON.stringify(refusalReport(argv, err), null, 2) + '\n'));
  return 2;
}

/** The report's shape (fields a run fills in are empty), so one `jq` reads every exit. */
function refusalReport(argv: readonly string[], err: ImmutagError): PinReport {
  const error = errorField(err);
  return {
    result: 'error', mode: argv.includes('--check') ? 'check' : 'pin', checkedAt: new Date().toISOString(),
    rows: [], written: [], notes: [], problems: [error], requests: 0, error,
  };
}

export function exitCodeOf(report: Pick<PinReport, 'result'>): number {
  return report.result === 'pass' ? 0 : report.result === 'violation' ? 1 : 2;
}

/** `cancel`: aborted when the CLI is asked to stop (a signal): every lookup still open is abandoned, its answer unknown. */
export async function runPinCli(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), cancel?: AbortSignal): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true; tokens: true }>>;
  try {
    // The main CLI's spellings work here too (singular and plural, as the Action's inputs).
    parsed = parseArgs({ args: argv.map(canonical), options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
    refuseRepeated(parsed.tokens ?? [], OPTIONS);
  } catch (err) {
    if (err instanceof ImmutagError) return refuse(argv, err, PIN_USAGE);
    return refuse(argv, new ImmutagError('INVALID_INPUT', (err as Error).message, { hint: 'Run immutag pin --help for usage.' }), PIN_USAGE);
  }
  const v = parsed.values;
  if (v.help && parsed.positionals.length > 0) {
    // A usage answer beside paths to check would exit 0 with nothing checked.
    return refuse(argv, usage('--help was given with paths to check: nothing would be checked'), PIN_USAGE);
  }
  if (v.help) {
    process.stdout.write(scrub(v.json ? JSON.stringify({ usage: PIN_USAGE }, null, 2) + '\n' : PIN_USAGE + '\n'));
    return 0;
  }
  const logger = new ConsoleLogger({ verbose: v.verbose ?? false });
  for (const secret of proxyCredentials(env)) logger.secret(secret);
  let client: RegistryClient;
  try {
    if (parsed.positionals.length === 0) throw usage('pin needs at least one PATH (a file, directory or glob)');
    if (v.username && !v.registry?.length) throw usage('--username needs --registry HOST: the registries the password may be sent to');
    // As in the main CLI: a password without a user would be dropped and the registry asked anonymously.
    if (!v.username && (v['password-stdin'] || env['IMMUTAG_PASSWORD'])) {
      throw usage(`a password was given (${v['password-stdin'] ? '--password-stdin' : '$IMMUTAG_PASSWORD'}) but no --username`);
    }
    const password = v.username ? (v['password-stdin'] ? await readPasswordStdin(cancel) : env['IMMUTAG_PASSWORD']) : undefined;
    if (password) logger.secret(password);
    client = new RegistryClient({
      logger,
      auth: { username: v.username, password, registries: v.registry ?? [] },
      insecureRegistries: v['insecure-registries'] ?? [],
      ...(cancel ? { signal: cancel } : {}),
    });
  } catch (err) {
    return refuse(argv, asImmutagError(err, 'INVALID_INPUT'));
  }
  let report: PinReport;
  try {
    // Scrubbed before anything renders it: Markdown escaping or a cut could hide a secret from the scrubber.
    report = secrets.scrubDeep(await runPin({
      paths: parsed.positionals, cwd, check: v.check ?? false, logger, client,
      mutableTags: (v['mutable-tags'] ?? []).flatMap((p) => parseTagPatterns(p)),
    }));
  } finally {
    await client.close().catch(() => undefined);
  }
  for (const a of pinAnnotations(report)) {
    const where = a.file !== undefined ? `${a.file}${a.line !== undefined ? `:${a.line}` : ''}: ` : '';
    const line = `${where}${a.title}: ${a.message}`;
    if (a.level === 'error') logger.error(line);
    else logger.info(line);
  }
  for (const n of report.notes) logger.info(`${n.path}: not read: ${n.reason}`);
  // With --json, stdout is one JSON document: the summary's Markdown goes inside it, as in the main CLI.
  const summary = v.summary ? renderPinSummary(report) : undefined;
  if (v.json) process.stdout.write(scrub(JSON.stringify(summary === undefined ? report : { ...report, summary }, null, 2) + '\n'));
  else if (summary !== undefined) process.stdout.write(scrub(summary));
  logger.info(pinFinalLine(report));
  return exitCodeOf(report);
}

function usage(message: string): ImmutagError {
  return new ImmutagError('INVALID_INPUT', message, { hint: 'Run immutag pin --help for usage.' });
}
