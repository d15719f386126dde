// The Action adapter: the only file that imports @actions/*. It reads inputs into
// Settings, runs the core, publishes the report (job summary and pull-request
// comment), and turns the outcome into outputs, annotations and the exit status.
import * as core from '@actions/core';
import { describeError, asImmutagError } from './errors.ts';
import { printable, type Logger } from './log.ts';
import { readSettings } from './settings.ts';
import { tagRepositories } from './inputs/tags.ts';
import { runImmutag, type RunOutcome } from './run.ts';
import { publishReport } from './github/publish.ts';
import { readEventPayload, runContext, runInfo } from './github/context.ts';
import { annotations, MAX_ANNOTATIONS } from './report/annotations.ts';
import { finalLine } from './report/final-line.ts';
import { text } from './report/markdown.ts';
import { registerSecret, scrub, secrets } from './secrets.ts';
import { installCleanupHandlers } from './cleanup.ts';
import { proxyCredentials } from './http/proxy-env.ts';
import type { PinReport } from './pin/model.ts';
import type { Settings } from './settings.ts';
import type { RunContext } from './github/context.ts';
import { problemHeadline } from './report/verdict.ts';

// Every line goes through the scrubber first: the runner's masking covers only what
// reached setSecret before the line was printed, and annotations and outputs outlive the log.
const logger: Logger = {
  debug: (m) => core.debug(scrub(m)),
  info: (m) => core.info(printable(m)),
  warning: (m) => core.warning(scrub(m)),
  error: (m) => core.error(scrub(m)),
  group: (title, fn) => core.group(printable(title), fn),
  secret: (v) => {
    registerSecret(v);
    core.setSecret(v);
  },
};

async function main(): Promise<void> {
  installCleanupHandlers();
  let outcome: RunOutcome;
  let settings: Settings;
  let context: RunContext;
  for (const secret of proxyCredentials(process.env)) logger.secret(secret);
  try {
    settings = readSettings((name) => core.getInput(name));
    if (settings.password) logger.secret(settings.password);
    if (settings.githubToken) logger.secret(settings.githubToken);
    context = runContext(process.env, readEventPayload(process.env['GITHUB_EVENT_PATH']));
  } catch (err) {
    const error = asImmutagError(err, 'INVALID_INPUT');
    const line = scrub(describeError(error));
    core.setOutput('result', 'error');
    // The summary is where people look first; it says why even when nothing ran, headed in words.
    await core.summary.addRaw(`### ⚠️ immutag: error: ${problemHeadline(error)}\n\n${text(line, 2000)}\n`).write().catch(() => undefined);
    core.setFailed(line);
    return;
  }
  if (settings.tags.length === 0 && (settings.pin?.length ?? 0) > 0) {
    if (settings.image || settings.digest) {
      logger.warning(`\`${settings.image ? 'image' : 'digest'}\` was not read or scanned: with \`pin\` and no \`tags\`, only pin runs. Give the tags to gate and scan the image in the same step.`);
    }
    return pinOnly(settings, context);
  }
  const running = runImmutag(settings, { logger, env: process.env, run: runInfo(context) });
  // From the input, not the report's rows: a run that stops before its tags are checked has none.
  const repositories = tagRepositories(settings.tags);
  // Scrubbed before anything renders it: truncation or escaping could hide a secret from the scrubber.
  outcome = secrets.scrubDeep(await running);
  // octokit is needed only to comment, at the end: loaded here, its ~100 KB are parsed
  // after the registry's answers, not on the way to the first request.
  const github = import('@actions/github');
  for (const [name, value] of Object.entries(outcome.outputs)) {
    if (value !== undefined) core.setOutput(name, scrub(outputText(name, value)));
  }
  for (const p of outcome.report.problems) if (p.level === 'notice') core.notice(scrub(`${p.message}. ${p.hint ?? ''}`.trim()), { title: 'immutag' });
  const runAnnotations = annotations(outcome.report);
  for (const a of runAnnotations) {
    const props = { title: scrub(a.title) };
    if (a.level === 'error') core.error(scrub(a.message), props);
    else core.warning(scrub(a.message), props);
  }
  const published = await publishReport({
    report: outcome.report, context, comment: settings.comment, commentKey: settings.commentKey, repositories,
    token: settings.githubToken, summaryPath: process.env['GITHUB_STEP_SUMMARY'], logger, octokit: (await github).getOctokit,
  });
  if (published.commentUrl) core.setOutput('comment-url', published.commentUrl);
  const pinFailure = outcome.pin === undefined ? undefined : await reportPin(outcome.pin, settings, context, repositories, runAnnotations.filter((a) => a.level === 'error').length);
  const line = printable(finalLine(outcome.report));
  if (outcome.report.result !== 'pass') core.setFailed(line);
  else if (pinFailure !== undefined) core.setFailed(pinFailure);
  else core.info(line);
}

/** `pin` without `tags`: pin (or with pin-check, check) the deploy files against the registry. */
async function pinOnly(settings: Settings, context: RunContext): Promise<void> {
  const { checkPins } = await import('./pin/after-run.ts');
  // Scrubbed before anything renders it: the annotations cut reasons, which could hide a secret from the scrubber.
  const report = secrets.scrubDeep(await checkPins(settings, logger, process.env['GITHUB_WORKSPACE'] || process.cwd()));
  core.setOutput('result', report.result);
  const failure = await reportPin(report, settings, context);
  if (failure !== undefined) core.setFailed(failure);
}

/**
 * Outputs, annotations on the files' lines, summary and comment for a pin report; the final
 * line when it failed. `errorsUsed`: error annotations this step has made already; one
 * more is kept for the verdict line.
 */
async function reportPin(report: PinReport, settings: Settings, context: RunContext, repositories: readonly string[] = [],
  errorsUsed = 0): Promise<string | undefined> {
  const { pinAnnotations, pinAnnotationsWithin, pinFinalLine } = await import('./report/pin-section.ts');
  const { publishPinReport } = await import('./pin/publish.ts');
  core.setOutput('pin-result', report.result);
  core.setOutput('pinned', JSON.stringify(report.written));
  for (const a of pinAnnotationsWithin(pinAnnotations(report), MAX_ANNOTATIONS - errorsUsed - 1)) {
    const props = { title: a.title, ...(a.file !== undefined ? { file: a.file } : {}), ...(a.line !== undefined ? { startLine: a.line } : {}) };
    if (a.level === 'error') core.error(scrub(a.message), props);
    else if (a.level === 'warning') core.warning(scrub(a.message), props);
    else core.notice(scrub(a.message), props);
  }
  const url = await publishPinReport({
    report, context, comment: settings.comment, commentKey: settings.commentKey, scope: [...repositories, ...(settings.pin ?? [])], token: settings.githubToken,
    summaryPath: process.env['GITHUB_STEP_SUMMARY'], logger, octokit: (await import('@actions/github')).getOctokit,
  });
  if (url !== undefined) core.setOutput('pin-comment-url', url);
  const line = scrub(pinFinalLine(report));
  if (report.result === 'pass') {
    core.info(line);
    return undefined;
  }
  return line;
}

/** `images` is newline-separated like docker/metadata-action's lists; structured outputs are JSON. */
function outputText(name: string, value: unknown): string {
  if (name === 'images' && Array.isArray(value)) return value.join('\n');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

await main();
