// What to tell the user when a GitHub API call fails. Commenting is a courtesy: a
// failure is a warning naming the permission to add, never a failed job — the gate's
// verdict and the job summary do not depend on it.
import { clean } from '../report/markdown.ts';
import { apiFailure } from './client.ts';

export interface WarningContext {
  /** What we were doing: `comment on pull request #2`. */
  action: string;
  /** The `permissions:` entry that allows it: `pull-requests: write`. */
  permission: string;
  /** The pull request comes from a fork (its workflows get a read-only token). */
  fromFork?: boolean;
  /** What the user reads last, when it is not that the report is in the job summary (the comment was posted). */
  outcome?: string;
}

// GitHub's answer when a GITHUB_TOKEN or app token lacks a permission.
const NOT_ACCESSIBLE = /resource not accessible by integration/i;

export function apiWarning(err: unknown, ctx: WarningContext): string {
  const failure = apiFailure(err);
  const said = clean(failure.githubMessage ?? failure.message, 300);
  const status = failure.status;
  const prefix = `immutag could not ${ctx.action}`;
  const summary = ctx.outcome ?? 'The report is in the job summary; the result of the run does not change.';
  if (status === 403 && NOT_ACCESSIBLE.test(said)) {
    const fork = ctx.fromFork
      ? ' Pull requests from forks get a read-only token whatever the workflow asks, so there is nothing to fix in the workflow: the comment needs the pull request to come from a branch of this repository.'
      : ` Add \`permissions: ${ctx.permission}\` to the job (or \`issues: write\`, which also allows pull-request comments).`;
    return `${prefix}: the token is not allowed to (403 ${said}).${fork} ${summary}`;
  }
  if (status === 401) {
    return `${prefix}: the token was refused (401 ${said}). Check the github-token input; it defaults to the job's GITHUB_TOKEN. ${summary}`;
  }
  if (status === 404) {
    return `${prefix}: GitHub answered 404 ${said}. For a private repository this also means the token lacks \`${ctx.permission}\`. ${summary}`;
  }
  if (status === 422) {
    const detail = failure.detail === undefined ? '' : `: ${clean(failure.detail, 200)}`;
    return `${prefix}: GitHub refused the request (422 ${said}${detail}). ${summary}`;
  }
  if (status === 403) {
    return `${prefix}: GitHub refused (403 ${said}). ${summary}`;
  }
  if (status !== undefined && status >= 500) {
    return `${prefix}: the GitHub API kept failing (${status} ${said}) after retries. ${summary}`;
  }
  return `${prefix}: ${said}. ${summary}`;
}

export function statusOf(err: unknown): number | undefined {
  return apiFailure(err).status;
}
