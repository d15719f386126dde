// Which pull requests a pushed commit belongs to, for comments on `push` events:
// GET /repos/{owner}/{repo}/commits/{sha}/pulls
// (https://docs.github.com/rest/commits/commits#list-pull-requests-associated-with-a-commit).
// GitHub answers with open pull requests that contain the commit and, on the base
// branch, the pull request that was merged as it. Only pull requests whose head *is*
// the commit, or that were merged as it, are kept: an older commit of a branch must not
// overwrite the comment about a newer one.
import type { Logger } from '../log.ts';
import { apiWarning } from './api-warnings.ts';
import type { GitHubClient } from './client.ts';

/** A push that belongs to more pull requests than this is a shared base branch, not a review. */
export const MAX_PULL_REQUESTS = 10;

export interface PullRequestLookup {
  numbers: number[];
  warning?: string;
}

interface AssociatedPull {
  number: number;
  state?: string;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  head?: { sha?: string };
}

export async function pullRequestsForCommit(
  client: GitHubClient, owner: string, repo: string, sha: string, logger: Logger,
): Promise<PullRequestLookup> {
  let pulls: AssociatedPull[];
  try {
    const res = await client.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha, per_page: 100 });
    pulls = res.data as AssociatedPull[];
  } catch (err) {
    return {
      numbers: [],
      warning: apiWarning(err, { action: `find the pull requests of commit ${sha.slice(0, 12)}`, permission: 'pull-requests: read' }),
    };
  }
  const numbers = pulls.filter((p) => describes(p, sha)).map((p) => p.number);
  logger.debug(`commit ${sha}: ${pulls.length} associated pull requests, commenting on ${numbers.join(', ') || 'none'}`);
  return { numbers: numbers.slice(0, MAX_PULL_REQUESTS) };
}

function describes(pull: AssociatedPull, sha: string): boolean {
  if (pull.state === 'open' && pull.head?.sha === sha) return true;
  return pull.merged_at != null && pull.merge_commit_sha === sha;
}
