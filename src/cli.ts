// The CLI twin of the Action: the same Settings, the same core, the same report.
//   immutag check REF... [--mutable-tags P] [--insecure-registries H] [--json]
//   immutag push --image PATH REF... [--no-push] [scan options]
//   immutag verify --digest sha256:… REF... [scan options]
// Exit codes: 0 pass, 1 violation (a tag would move, the policy failed), 2 error.
// With --json, stdout holds exactly one JSON document on every path, errors included.
import { accessSync, constants, existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import packageJson from '../package.json' with { type: 'json' };
import { describeError, asImmutagError, ImmutagError } from './errors.ts';
import { tagRepositories } from './inputs/tags.ts';
import { parseCliArgs, wantsJson, type ParsedArgs, type Values } from './cli-args.ts';
import { CliLogger } from './cli-logger.ts';
import { readSettings, type Settings } from './settings.ts';
import { runImmutag, type RunOutcome } from './run.ts';
import { finalLine } from './report/final-line.ts';
import { oneLine } from './log.ts';
import { annotations } from './report/annotations.ts';
import { missingInVerify } from './report/verdict.ts';
import { scrub, secrets } from './secrets.ts';
import { installCleanupHandlers } from './cleanup.ts';
import { parseDuration, RunDeadline, runCancelled } from './registry/deadline.ts';
import { readPasswordStdin } from './inputs/password-stdin.ts';
import { readList } from './inputs/list.ts';
import { proxyCredentials } from './http/proxy-env.ts';

/** The CLI's own stdout and stderr: everything it prints goes through the scrubber. */
const toStdout = (text: string): void => void process.stdout.write(scrub(text));
const toStderr = (text: string): void => void process.stderr.write(scrub(text));

const USAGE = `usage:
  immutag check REF... [--mutable-tags PATTERN]... [--insecure-registries HOST]... [--json]
  immutag push --image PATH REF... [--no-push] [scan options]
  immutag verify --digest sha256:... REF... [scan options]
  immutag pin PATH... [--check] [--json]    (immutag pin --help)

options (named as the Action's inputs; the singular forms work too):
  --tags REF                   a target reference, as well as or instead of the REF arguments (repeatable)
  --mutable-tags PATTERN       tag names that may move (glob; repeatable or comma separated)
  --insecure-registries HOST   host:port reachable over plain HTTP (repeatable)
  --username USER              registry user; the password comes from --password-stdin or
  --password-stdin               $IMMUTAG_PASSWORD (never from an argument)
  --scan ENGINE                osv (default), trivy, grype or none
  --fail-on SEVERITY           critical, high (default), medium, low or none
  --ignore-unfixed             findings without a fix do not fail
  --ignore-file PATH           accepted vulnerability IDs (.trivyignore works)
  --osv-url URL  --vuln-db PATH  --report PATH  --sarif PATH  --sbom PATH
  --max-scan-size SIZE         stop the built-in scan past this much decompressed data (8GiB)
  --promote-same-revision      an immutable tag already holding this revision (and source)
                                 is deployed instead of the new build (see the README)
  --timeout DURATION           the whole run's time limit (30m); past it, open answers are unknown
  --tag-settle-seconds S       wait this long after writing tags, then read them again (5);
                                 the same value for every job pushing the repository
  --summary                    print the Markdown report (the job summary) to stdout
  --comment-file PATH          write the pull-request comment's Markdown to PATH (to post it from any CI)
  --json                       print one JSON document to stdout, whatever happens
  --verbose                    debug logging
  --version, --help
exit codes: 0 pass, 1 violation, 2 error`;

// Flags that mean something only with an image (check has none), or only for a push
// (verify writes no tag). Accepted and ignored, they would make a PASS look like a scan.
const IMAGE_FLAGS = ['image', 'digest', 'scan', 'fail-on', 'ignore-unfixed', 'ignore-file', 'osv-url', 'vuln-db', 'max-scan-size',
  'report', 'sarif', 'sbom', 'no-push', 'promote-same-revision', 'tag-settle-seconds'] as const;
const PUSH_FLAGS = ['image', 'no-push', 'promote-same-revision', 'tag-settle-seconds'] as const;

async function settingsFromArgs(command: string, values: Values, refs: string[], env: NodeJS.ProcessEnv): Promise<Settings> {
  if (command === 'push' && !values.image) throw usageError('push needs --image PATH');
  if (command === 'verify' && !values.digest) throw usageError('verify needs --digest sha256:...');
  refuseUnusedFlags(command, values);
  // An empty shell variable ($REF) must not make a gate that checked nothing pass, nor
  // "$A,$B" with both empty, nor a list whose every line is commented out: what counts is
  // what the tags reader finds. push without one still scans the image and names its
  // digest, as the Action does without tags.
  if (command !== 'push' && readList(refs.join('\n')).length === 0) {
    throw usageError(`no REF given: ${command} needs at least one image reference (an empty variable, or only commas or # comments?)`);
  }
  const password = values['password-stdin'] ? await passwordFromStdin(values) : env['IMMUTAG_PASSWORD'];
  if (password && !values.username) {
    const from = values['password-stdin'] ? '--password-stdin' : '$IMMUTAG_PASSWORD';
    throw new ImmutagError('INVALID_INPUT', `a password was given (${from}) but no --username`, {
      hint: 'Add --username USER; without it the password would be ignored and the registry asked anonymously.',
    });
  }
  const inputs: Record<string, string | undefined> = {
    tags: refs.join('\n'),
    'mutable-tags': values['mutable-tags']?.join('\n'),
    'insecure-registries': values['insecure-registries']?.join('\n'),
    username: values.username,
    password: values.username ? password : undefined,
    image: values.image,
    push: values['no-push'] ? 'false' : undefined,
    'promote-same-revision': values['promote-same-revision'] ? 'true' : undefined,
    digest: values.digest,
    scan: values.scan,
    'fail-on': values['fail-on'],
    'ignore-unfixed': values['ignore-unfixed'] ? 'true' : undefined,
    'ignore-file': values['ignore-file'],
    'osv-url': values['osv-url'],
    'vuln-db': values['vuln-db'],
    'max-scan-size': values['max-scan-size'],
    timeout: values.timeout,
    'tag-settle-seconds': values['tag-settle-seconds'],
    report: values.report,
    sarif: values.sarif,
    sbom: values.sbom,
    comment: 'never',
  };
  return readSettings((name) => inputs[name]);
}

function refuseUnusedFlags(command: string, values: Values): void {
  const unused = command === 'check' ? IMAGE_FLAGS : command === 'verify' ? PUSH_FLAGS : [];
  // `--scan none` says what check does anyway (the Action's pre-build check step sets scan: none).
  const given = unused.filter((flag) => values[flag] !== undefined && values[flag] !== false && !(flag === 'scan' && values.scan === 'none'));
  if (given.length === 0) return;
  throw usageError(`${command} does not take ${given.map((flag) => `--${flag}`).join(', ')}`);
}

function usageError(message: string): ImmutagError {
  return new ImmutagError('INVALID_INPUT', message, { hint: 'Run immutag --help for usage.' });
}

function exitCode(outcome: RunOutcome): number {
  if (outcome.report.result === 'pass') return 0;
  return outcome.report.result === 'violation' ? 1 : 2;
}

/** The --json document of a run: the Action's outputs, every tag's state and digests, and the error that decided it. */
function outcomeJson(outcome: RunOutcome, summary: string | undefined, failure?: ImmutagError): unknown {
  const { report } = outcome;
  const digest = report.image?.digest;
  const tags = report.tags.map((t) => {
    const pointsAt = t.state === 'refused' ? t.existingDigest
      // A tag written too late to be vouched for names this job's image all the same.
      : t.overtakenBy ?? (['created', 'unchanged', 'moved', 'verified'].includes(t.state) || t.writtenLate ? digest : t.existingDigest);
    return {
      reference: t.reference,
      state: t.state,
      mutable: t.mutable,
      ...(pointsAt !== undefined ? { digest: pointsAt } : {}),
      ...(t.existingDigest !== undefined ? { existingDigest: t.existingDigest } : {}),
      ...(t.reason !== undefined ? { reason: t.reason } : {}),
    };
  });
  const error = failure !== undefined ? { code: failure.code, message: failure.message, hint: failure.hint }
    : report.result === 'pass' ? undefined : decidingError(outcome);
  return {
    ...outcome.outputs,
    ...(failure !== undefined ? { result: 'error' } : {}),
    tags,
    ...(error !== undefined ? { error } : {}),
    problems: report.problems,
    ...(summary !== undefined ? { summary } : {}),
    requests: outcome.requests,
  };
}

/** What made the run fail, as code, message and hint: the error the core raised, else the gate's or the policy's verdict. */
function decidingError(outcome: RunOutcome): { code: string; message: string; hint: string } | undefined {
  if (outcome.error !== undefined) return { code: outcome.error.code, message: outcome.error.message, hint: outcome.error.hint };
  const problem = outcome.report.problems.find((p) => p.level === 'error');
  if (problem !== undefined) return { code: problem.code, message: problem.message, hint: problem.hint ?? '' };
  const first = annotations(outcome.report)[0];
  if (first === undefined) return undefined;
  const refused = outcome.report.tags.filter((t) => t.state === 'refused');
  const unknown = outcome.report.tags.some((t) => t.state === 'unknown');
  const missing = refused.length > 0 && refused.every((t) => missingInVerify(t, outcome.report.mode));
  const wrongKind = refused.length > 0 && refused.every((t) => t.givenDigestIs !== undefined);
  const code = missing ? 'TAG_MISSING' : wrongKind ? 'DIGEST_WRONG_KIND' : refused.length > 0 ? 'TAG_EXISTS' : unknown ? 'TAG_STATE_UNKNOWN' : 'POLICY_VIOLATION';
  return { code, message: first.title, hint: first.message };
}

function errorJson(err: ImmutagError): unknown {
  return { result: 'error', tags: [], error: { code: err.code, message: err.message, hint: err.hint } };
}

/** The signals cleanup.ts handles, by their number (the same on Linux and macOS). */
const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/** As a shell reports a process a signal ended: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + SIGNAL_NUMBERS[signal as keyof typeof SIGNAL_NUMBERS];
}

/**
 * The --password-stdin password, waited for no longer than the run's time limit and only
 * until a signal: a standard input that never ends must not hold the CLI without an answer.
 */
async function passwordFromStdin(values: Values): Promise<string> {
  const limit = new RunDeadline(parseDuration(values.timeout ?? '30m', 'timeout'), stop.signal);
  try {
    return await readPasswordStdin(limit.signal);
  } finally {
    limit.dispose();
  }
}

/** Set by the first SIGINT/SIGTERM/SIGHUP: the run is asked to stop, and the CLI still answers. */
const stop = new AbortController();
let stoppedBy: NodeJS.Signals | undefined;

async function main(argv: string[]): Promise<number> {
  // --json promises one document on every path, and a tag written before the signal must
  // be reported: the first signal stops the run, which then answers with what it knows
  // (a second signal, or 10 s, ends the process at once).
  installCleanupHandlers({
    onFirstSignal: (signal) => {
      stoppedBy = signal;
      stop.abort(runCancelled(signal));
    },
  });
  const pin = pinArguments(argv);
  if (pin !== undefined) {
    const code = await (await import('./pin/cli.ts')).runPinCli(pin, process.env, process.cwd(), stop.signal);
    return stoppedBy === undefined ? code : signalExitCode(stoppedBy);
  }
  const json = wantsJson(argv);
  const print = (doc: unknown): void => {
    toStdout(JSON.stringify(doc, null, 2) + '\n');
  };
  const fail = (err: ImmutagError): number => {
    toStderr(`immutag: ${oneLine(describeError(err))}\n`);
    if (json) print(errorJson(err));
    return 2;
  };
  let parsed: ParsedArgs;
  try {
    parsed = parseCliArgs(argv);
  } catch (err) {
    return fail(asImmutagError(err, 'INVALID_INPUT'));
  }
  const { command, refs, values } = parsed;
  // Asked beside references, a usage or version answer would exit 0 with nothing checked:
  // a required check that reads as a pass.
  if ((values.version || values.help) && refs.length > 0) {
    return fail(usageError(`${values.version ? '--version' : '--help'} was given with references to check: nothing would be checked`));
  }
  if (values.version) {
    if (json) print({ version: packageJson.version });
    else toStdout(`immutag ${packageJson.version}\n`);
    return 0;
  }
  if (values.help) {
    if (json) print({ usage: USAGE });
    else toStdout(USAGE + '\n');
    return 0;
  }
  if (command === undefined) {
    toStderr(USAGE + '\n');
    return fail(usageError('no command: say check, push, verify or pin'));
  }
  const logger = new CliLogger({ verbose: values.verbose ?? false, stream: process.stderr });
  for (const secret of proxyCredentials(process.env)) logger.secret(secret);
  let outcome: RunOutcome;
  // The comment key comes from the tags given: a run that stops before they are checked has no rows.
  let tags: readonly string[] = [];
  try {
    if (!['check', 'push', 'verify'].includes(command)) throw usageError(`unknown command "${command}": say check, push, verify or pin`);
    const settings = await settingsFromArgs(command, values, refs, process.env);
    tags = settings.tags;
    if (values['comment-file']) checkWritable(values['comment-file']);
    if (settings.password) logger.secret(settings.password);
    // Scrubbed before anything renders it: truncation or escaping could hide a secret from the scrubber.
    outcome = secrets.scrubDeep(await runImmutag(settings, { logger, env: process.env, cancel: stop.signal }));
  } catch (err) {
    const code = fail(asImmutagError(err, 'INVALID_INPUT'));
    return stoppedBy === undefined ? code : signalExitCode(stoppedBy);
  }
  for (const a of annotations(outcome.report)) logger.error(`${a.title}: ${a.message}`);
  // The Markdown renderers load only when asked for: a plain check prints neither.
  let commentFailure: ImmutagError | undefined;
  if (values['comment-file']) {
    const { commentMarker, defaultCommentKey, renderComment } = await import('./report/comment.ts');
    try {
      const marker = commentMarker(defaultCommentKey(undefined, tagRepositories(tags)));
      writeFileSync(values['comment-file'], scrub(renderComment(outcome.report, { marker })));
    } catch (err) {
      commentFailure = commentFileError(values['comment-file'], err);
      toStderr(`immutag: ${oneLine(describeError(commentFailure))}\n`);
    }
  }
  const summary = values.summary ? (await import('./report/summary.ts')).renderSummary(outcome.report) : undefined;
  // A comment file that could not be written after a push still leaves the run's outcome
  // (the digest, every tag's state) on stdout; the exit code says error.
  if (json) print(outcomeJson(outcome, summary, commentFailure));
  // Printed into a job log, a `##[` anywhere in a line is a runner command: the platform
  // names and paths in the summary come from the image. A zero-width joiner breaks it.
  else if (summary !== undefined) toStdout(summary.replaceAll('##[', '#\u200d#['));
  logger.info(finalLine(outcome.report));
  if (stoppedBy !== undefined) return signalExitCode(stoppedBy);
  return commentFailure === undefined ? exitCode(outcome) : 2;
}

/**
 * `pin`'s arguments when the command is pin: `immutag pin …`, or with the flags both
 * commands take written first (`immutag --json pin …`), as they may be for the others.
 */
function pinArguments(argv: readonly string[]): string[] | undefined {
  let at = 0;
  while (argv[at] === '--json' || argv[at] === '--verbose') at++;
  return argv[at] === 'pin' ? [...argv.slice(0, at), ...argv.slice(at + 1)] : undefined;
}

/** Before the run: a path that cannot be written is known before anything is pushed. */
function checkWritable(path: string): void {
  try {
    accessSync(existsSync(path) ? path : dirname(resolve(path)), constants.W_OK);
  } catch (err) {
    throw commentFileError(path, err);
  }
}

function commentFileError(path: string, err: unknown): ImmutagError {
  return new ImmutagError('INVALID_INPUT', `could not write --comment-file ${path}: ${(err as Error).message}`, {
    hint: 'Give a path in a directory that exists and is writable.',
  });
}

// A reader that went away (`| head`, a closed terminal) makes every later write fail with
// EPIPE, which Node raises as an uncaught error: exit code 1, "violation", in the middle of
// a push with some tags written and others not. The run goes on without its audience, and
// the exit code still says what happened.
// Any other error on stdout (a full disk under `--json > verdict.json`) lost the
// document a script reads: the run then exits 2, whatever it found.
let outputLost = false;
process.stderr.on('error', () => undefined);
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') return;
  outputLost = true;
  process.exitCode = 2;
});
// Any other uncaught error is a bug in immutag; Node's own exit code for it, 1, would read
// as a violation.
process.on('uncaughtException', (err) => {
  process.stderr.write(`immutag: internal error (a bug in immutag): ${oneLine(scrub(err instanceof Error ? err.message : String(err)))}; this is not a pass\n`);
  process.exit(2);
});
// An operation that never settled would let the event loop empty and the process end
// with exit code 0, as if the check had passed: until main answers, the code says no.
process.exitCode = 2;
let answered = false;
process.once('exit', () => {
  if (!answered) process.stderr.write('immutag: stopped before it had an answer (an operation never finished: a bug in immutag); this is not a pass\n');
});
const code = await main(process.argv.slice(2));
process.exitCode = outputLost ? 2 : code;
answered = true;
