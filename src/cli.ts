// The CLI twin of the Action: the same Settings, the same core, the same report.
//   immutag check REF... [--mutable-tags P] [--insecure-registry H] [--json]
//   immutag push --image PATH REF... [--no-push] [scan options]
//   immutag verify --digest sha256:… REF... [scan options]
//   immutag pin PATH... [--check] (src/pin/cli.ts)
// Exit codes: 0 pass, 1 violation (a tag would move, the policy failed), 2 error.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { describeError, asImmutagError, ImmutagError } from './errors.ts';
import { ConsoleLogger } from './log.ts';
import { readSettings, type Settings } from './settings.ts';
import { runImmutag, type RunOutcome } from './run.ts';
import { finalLine } from './report/final-line.ts';
import { annotations } from './report/annotations.ts';
import { renderSummary } from './report/summary.ts';
import { scrub, secrets } from './secrets.ts';
import { installCleanupHandlers } from './cleanup.ts';

/** The CLI's own stdout and stderr: everything it prints goes through the scrubber. */
const toStdout = (text: string): void => void process.stdout.write(scrub(text));
const toStderr = (text: string): void => void process.stderr.write(scrub(text));

const USAGE = `usage:
  immutag check REF... [--mutable-tags PATTERN]... [--insecure-registry HOST]... [--json]
  immutag push --image PATH REF... [--no-push] [scan options]
  immutag verify --digest sha256:... REF... [scan options]
  immutag pin PATH... [--check] [--json] [--mutable-tags PATTERN]... (immutag pin --help)

options:
  --mutable-tags PATTERN      tag names that may move (glob; repeatable or comma separated)
  --insecure-registry HOST    host:port reachable over plain HTTP (repeatable)
  --username USER             registry user; the password comes from --password-stdin or
  --password-stdin              $IMMUTAG_PASSWORD (never from an argument)
  --promote-same-revision     an immutable tag already holding this revision (and source)
                                is deployed instead of the new build (see the README)
  --scan ENGINE               osv (default), trivy, grype or none
  --fail-on SEVERITY          critical, high (default), medium, low or none
  --ignore-unfixed            findings without a fix do not fail
  --ignore-file PATH          accepted vulnerability IDs (.trivyignore works)
  --osv-url URL  --vuln-db PATH  --report PATH  --sarif PATH  --sbom PATH
  --max-scan-size SIZE        stop the built-in scan past this much decompressed data (8GiB)
  --timeout DURATION          the whole run's time limit (30m); past it, open answers are unknown
  --summary                   print the markdown summary to stdout
  --json                      print the outcome as JSON to stdout
  --verbose                   debug logging
exit codes: 0 pass, 1 violation, 2 error`;

const OPTIONS = {
  'mutable-tags': { type: 'string', multiple: true },
  'insecure-registry': { type: 'string', multiple: true },
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
  report: { type: 'string' },
  sarif: { type: 'string' },
  sbom: { type: 'string' },
  summary: { type: 'boolean' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function settingsFromArgs(command: string, values: Values, refs: string[], env: NodeJS.ProcessEnv): Settings {
  if (command === 'push' && !values.image) throw usageError('push needs --image PATH');
  if (command === 'verify' && !values.digest) throw usageError('verify needs --digest sha256:...');
  if (command === 'check' && (values.image || values.digest)) throw usageError('check takes neither --image nor --digest');
  const password = values['password-stdin'] ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : env['IMMUTAG_PASSWORD'];
  const inputs: Record<string, string | undefined> = {
    tags: refs.join('\n'),
    'mutable-tags': values['mutable-tags']?.join('\n'),
    'insecure-registries': values['insecure-registry']?.join('\n'),
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
    report: values.report,
    sarif: values.sarif,
    sbom: values.sbom,
    comment: 'never',
  };
  return readSettings((name) => inputs[name]);
}

function usageError(message: string): ImmutagError {
  return new ImmutagError('INVALID_INPUT', message, { hint: 'Run immutag --help for usage.' });
}

function exitCode(outcome: RunOutcome): number {
  if (outcome.report.result === 'pass') return 0;
  return outcome.report.result === 'violation' ? 1 : 2;
}

async function main(argv: string[]): Promise<number> {
  installCleanupHandlers();
  if (argv[0] === 'pin') return (await import('./pin/cli.ts')).runPinCli(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    toStderr(`immutag: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [command, ...refs] = parsed.positionals;
  if (parsed.values.help || !command) {
    toStdout(USAGE + '\n');
    return parsed.values.help ? 0 : 2;
  }
  const logger = new ConsoleLogger({ verbose: parsed.values.verbose ?? false });
  let outcome: RunOutcome;
  try {
    if (!['check', 'push', 'verify'].includes(command)) throw usageError(`unknown command "${command}"`);
    const settings = settingsFromArgs(command, parsed.values, refs, process.env);
    if (settings.password) logger.secret(settings.password);
    // Scrubbed before anything renders it: truncation or escaping could hide a secret from the scrubber.
    outcome = secrets.scrubDeep(await runImmutag(settings, { logger, env: process.env }));
  } catch (err) {
    toStderr(`immutag: ${describeError(asImmutagError(err, 'INVALID_INPUT'))}\n`);
    return 2;
  }
  for (const a of annotations(outcome.report)) logger.error(`${a.title}: ${a.message}`);
  if (parsed.values.summary) toStdout(renderSummary(outcome.report));
  if (parsed.values.json) toStdout(JSON.stringify({ ...outcome.outputs, requests: outcome.requests }, null, 2) + '\n');
  logger.info(finalLine(outcome.report));
  return exitCode(outcome);
}

process.exitCode = await main(process.argv.slice(2));
