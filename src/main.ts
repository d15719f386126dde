// The Action adapter: the only file that imports @actions/*. It reads inputs into
// Settings, runs the core, publishes the report (job summary and pull-request
// comment), and turns the outcome into outputs, annotations and the exit status.
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { describeError, asImmutagError } from './errors.ts';
import type { Logger } from './log.ts';
import { readSettings } from './settings.ts';
import { runImmutag, type RunOutcome } from './run.ts';
import { publishReport } from './github/publish.ts';
import { readEventPayload, runContext, runInfo } from './github/context.ts';
import { annotations } from './report/annotations.ts';
import { finalLine } from './report/final-line.ts';
import { text } from './report/markdown.ts';
import { problemHeadline } from './report/verdict.ts';

const logger: Logger = {
  debug: (m) => core.debug(m),
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  error: (m) => core.error(m),
  group: (title, fn) => core.group(title, fn),
  secret: (v) => core.setSecret(v),
};

async function main(): Promise<void> {
  let outcome: RunOutcome;
  let settings;
  let context;
  try {
    settings = readSettings((name) => core.getInput(name));
    if (settings.password) core.setSecret(settings.password);
    if (settings.githubToken) core.setSecret(settings.githubToken);
    context = runContext(process.env, readEventPayload(process.env['GITHUB_EVENT_PATH']));
  } catch (err) {
    const error = asImmutagError(err, 'INVALID_INPUT');
    const line = describeError(error);
    core.setOutput('result', 'error');
    // The summary is where people look first; it says why even when nothing ran, headed in words.
    await core.summary.addRaw(`### ⚠️ immutag: error: ${problemHeadline(error)}\n\n${text(line, 2000)}\n`).write().catch(() => undefined);
    core.setFailed(line);
    return;
  }
  outcome = await runImmutag(settings, { logger, env: process.env, run: runInfo(context) });
  for (const [name, value] of Object.entries(outcome.outputs)) {
    if (value !== undefined) core.setOutput(name, outputText(name, value));
  }
  for (const a of annotations(outcome.report)) {
    if (a.level === 'error') core.error(a.message, { title: a.title });
    else core.warning(a.message, { title: a.title });
  }
  const published = await publishReport({
    report: outcome.report, context, comment: settings.comment, commentKey: settings.commentKey,
    token: settings.githubToken, summaryPath: process.env['GITHUB_STEP_SUMMARY'], logger, octokit: getOctokit,
  });
  if (published.commentUrl) core.setOutput('comment-url', published.commentUrl);
  const line = finalLine(outcome.report);
  if (outcome.report.result === 'pass') core.info(line);
  else core.setFailed(line);
}

/** `images` is newline-separated like docker/metadata-action's lists; structured outputs are JSON. */
function outputText(name: string, value: unknown): string {
  if (name === 'images' && Array.isArray(value)) return value.join('\n');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

await main();
