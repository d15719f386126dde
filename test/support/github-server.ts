// A stand-in for the GitHub REST API, speaking the shapes octokit uses for issue
// comments (list, create, get, update, delete) and commit pull requests (https://docs.github.com/rest/issues/comments,
// https://docs.github.com/rest/commits/commits#list-pull-requests-associated-with-a-commit):
// Link-header pagination with per_page/page, the real 65,536-character body limit
// (422), "Resource not accessible by integration" (403) for a read-only token, and
// injected 5xx. It records every request so tests can count them.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const WRITE_TOKEN = 'ghs_write_token_for_tests';
export const READ_TOKEN = 'ghs_read_only_token_for_tests';
/** A personal access token: comments are written by a User, and GET /user answers. */
export const PAT_TOKEN = 'ghp_personal_token_for_tests';

export const BODY_LIMIT = 65_536;

interface Identity {
  access: 'write' | 'read';
  login: string;
  type: 'Bot' | 'User';
  /** Installation tokens cannot call GET /user. */
  canGetUser: boolean;
}

const IDENTITIES: Record<string, Identity> = {
  [WRITE_TOKEN]: { access: 'write', login: 'github-actions[bot]', type: 'Bot', canGetUser: false },
  [READ_TOKEN]: { access: 'read', login: 'github-actions[bot]', type: 'Bot', canGetUser: false },
  [PAT_TOKEN]: { access: 'write', login: 'octocat', type: 'User', canGetUser: true },
};

export interface StoredComment {
  id: number;
  issueKey: string;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
  created_at: string;
  updated_at: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
}

interface Failure {
  status: number;
  times: number;
  /** GitHub's documented rate-limit answers instead of a plain error. */
  rateLimit?: 'primary' | 'secondary';
  /** The request is carried out, and only its answer is the error (a gateway that lost it). */
  applied?: boolean;
  method?: string;
  path?: RegExp;
}

export interface GitHubStandIn {
  /** The base URL to use as GITHUB_API_URL. */
  url: string;
  requests: RecordedRequest[];
  /** Comments on `owner/repo#number`, oldest first. */
  comments(owner: string, repo: string, issue: number): StoredComment[];
  /** Adds a comment as if someone had written it. */
  seedComment(owner: string, repo: string, issue: number, body: string, user?: StoredComment['user']): StoredComment;
  /** The next `times` matching requests answer `status`. */
  failNext(status: number, times: number, match?: { method?: string; path?: RegExp }): void;
  /** Drops every failure still armed (a test that armed more than its interleaving used). */
  clearFailures(): void;
  /** The next `times` matching requests are carried out, but answer `status` (the answer was lost on the way). */
  loseAnswerNext(status: number, times: number, match?: { method?: string; path?: RegExp }): void;
  /** The next `times` matching requests hit a primary or secondary rate limit. */
  rateLimitNext(kind: 'primary' | 'secondary', times: number, match?: { method?: string; path?: RegExp }): void;
  /**
   * The next `count` comment listings are answered only once all of them arrived, so
   * that many concurrent runs all see the comments as they were before any of them wrote.
   */
  holdLists(count: number): void;
  /** What GET /repos/{owner}/{repo}/commits/{sha}/pulls answers. */
  setCommitPulls(owner: string, repo: string, sha: string, pulls: unknown[]): void;
  close(): Promise<void>;
}

export async function startGitHubStandIn(): Promise<GitHubStandIn> {
  const comments: StoredComment[] = [];
  const commitPulls = new Map<string, unknown[]>();
  const failures: Failure[] = [];
  const requests: RecordedRequest[] = [];
  let nextId = 1_000_000_001;
  let listGate: { count: number; waiting: (() => void)[] } | undefined;
  const passListGate = async (): Promise<void> => {
    const gate = listGate;
    if (gate === undefined) return;
    await new Promise<void>((resolve) => {
      gate.waiting.push(resolve);
      if (gate.waiting.length < gate.count) return;
      listGate = undefined;
      for (const release of gate.waiting) release();
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { message: String(err) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const failure = failures.find((f) => f.times > 0 && (f.method === undefined || f.method === method) && (f.path === undefined || f.path.test(url.pathname)));
    const lost = failure?.applied === true ? failure.status : undefined;
    const reply = (status: number, data: unknown, headers: Record<string, string> = {}): void => {
      if (lost !== undefined) {
        requests.push({ method, path: url.pathname + url.search, status: lost });
        send(res, lost, { message: 'Server Error' });
        return;
      }
      requests.push({ method, path: url.pathname + url.search, status });
      send(res, status, data, headers);
    };
    if (failure !== undefined) failure.times--;
    if (failure !== undefined && lost === undefined) {
      if (failure.rateLimit === 'primary') {
        // https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api
        const reset = String(Math.floor(Date.now() / 1000) + 1);
        return reply(403, { message: 'API rate limit exceeded for installation ID 1.', documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting' },
          { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset, 'x-ratelimit-resource': 'core' });
      }
      if (failure.rateLimit === 'secondary') {
        return reply(403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' },
          { 'retry-after': '1' });
      }
      return reply(failure.status, { message: failure.status >= 500 ? 'Server Error' : 'Injected failure' });
    }
    const identity = IDENTITIES[(req.headers.authorization ?? '').replace(/^(token|bearer) /i, '')];
    if (identity === undefined) return reply(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });

    const route = matchRoute(method, url.pathname);
    if (route === undefined) return reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    if (route.write && identity.access !== 'write') {
      return reply(403, { message: 'Resource not accessible by integration', documentation_url: route.doc, status: '403' });
    }
    const base = `http://${req.headers.host}`;
    switch (route.name) {
      case 'viewer':
        // https://docs.github.com/graphql/reference/queries#viewer: any token may ask; an
        // installation token is its app's bot (github-actions[bot] for GITHUB_TOKEN).
        if (!/\bviewer\s*\{\s*login\s*\}/.test(String((JSON.parse(body || '{}') as { query?: unknown }).query ?? ''))) {
          return reply(200, { errors: [{ message: 'this stand-in answers only { viewer { login } }' }] });
        }
        return reply(200, { data: { viewer: { login: identity.login } } });
      case 'user':
        if (!identity.canGetUser) return reply(403, { message: 'Resource not accessible by integration', documentation_url: route.doc, status: '403' });
        return reply(200, { login: identity.login, id: 583231, type: identity.type });
      case 'list': {
        await passListGate();
        const all = comments.filter((c) => c.issueKey === route.issueKey);
        const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
        const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const data = all.slice((page - 1) * perPage, page * perPage).map((c) => view(c, base, route.params));
        return reply(200, data, linkHeader(url, base, page, last, perPage));
      }
      case 'create': {
        const text = bodyOf(body);
        if (text === undefined) return reply(422, { message: 'Invalid request.\n\n"body" wasn\'t supplied.', status: '422' });
        if (tooLong(text)) return reply(422, tooLongError(route.doc));
        const now = new Date().toISOString();
        const c: StoredComment = { id: nextId++, issueKey: route.issueKey, body: text, user: { login: identity.login, type: identity.type }, created_at: now, updated_at: now };
        comments.push(c);
        return reply(201, view(c, base, route.params));
      }
      case 'update': {
        const c = comments.find((x) => x.id === route.commentId && x.issueKey.startsWith(`${route.params.owner}/${route.params.repo}#`));
        if (c === undefined) return reply(404, { message: 'Not Found', documentation_url: route.doc, status: '404' });
        const text = bodyOf(body);
        if (text === undefined) return reply(422, { message: 'Invalid request.', status: '422' });
        if (tooLong(text)) return reply(422, tooLongError(route.doc));
        c.body = text;
        c.updated_at = new Date().toISOString();
        const issue = Number(c.issueKey.split('#')[1]);
        return reply(200, view(c, base, { ...route.params, issue: String(issue) }));
      }
      case 'get': {
        const c = comments.find((x) => x.id === route.commentId && x.issueKey.startsWith(`${route.params.owner}/${route.params.repo}#`));
        if (c === undefined) return reply(404, { message: 'Not Found', documentation_url: route.doc, status: '404' });
        return reply(200, view(c, base, { ...route.params, issue: c.issueKey.split('#')[1]! }));
      }
      case 'delete': {
        const at = comments.findIndex((x) => x.id === route.commentId && x.issueKey.startsWith(`${route.params.owner}/${route.params.repo}#`));
        if (at === -1) return reply(404, { message: 'Not Found', documentation_url: route.doc, status: '404' });
        comments.splice(at, 1);
        requests.push({ method, path: url.pathname + url.search, status: 204 });
        res.writeHead(204).end();
        return;
      }
      case 'commit-pulls':
        return reply(200, commitPulls.get(`${route.params.owner}/${route.params.repo}@${route.params.sha}`) ?? []);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    comments: (owner, repo, issue) => comments.filter((c) => c.issueKey === `${owner}/${repo}#${issue}`),
    seedComment(owner, repo, issue, body, user = { login: 'octocat', type: 'User' }) {
      const now = new Date().toISOString();
      const c: StoredComment = { id: nextId++, issueKey: `${owner}/${repo}#${issue}`, body, user, created_at: now, updated_at: now };
      comments.push(c);
      return c;
    },
    failNext(status, times, match = {}) {
      failures.push({ status, times, ...match });
    },
    clearFailures() {
      failures.length = 0;
    },
    loseAnswerNext(status, times, match = {}) {
      failures.push({ status, times, applied: true, ...match });
    },
    rateLimitNext(kind, times, match = {}) {
      failures.push({ status: 403, times, rateLimit: kind, ...match });
    },
    holdLists(count) {
      listGate = { count, waiting: [] };
    },
    setCommitPulls(owner, repo, sha, pulls) {
      commitPulls.set(`${owner}/${repo}@${sha}`, pulls);
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

interface Route {
  name: 'viewer' | 'user' | 'list' | 'create' | 'get' | 'update' | 'delete' | 'commit-pulls';
  write: boolean;
  params: Record<string, string>;
  issueKey: string;
  commentId?: number;
  doc: string;
}

function matchRoute(method: string, path: string): Route | undefined {
  const doc = 'https://docs.github.com/rest/issues/comments';
  if (method === 'GET' && path === '/user') return { name: 'user', write: false, params: {}, issueKey: '', doc: 'https://docs.github.com/rest/users/users#get-the-authenticated-user' };
  if (method === 'POST' && path === '/graphql') return { name: 'viewer', write: false, params: {}, issueKey: '', doc: 'https://docs.github.com/graphql' };
  let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path);
  if (m !== null) {
    const params = { owner: m[1]!, repo: m[2]!, issue: m[3]! };
    const issueKey = `${params.owner}/${params.repo}#${params.issue}`;
    if (method === 'GET') return { name: 'list', write: false, params, issueKey, doc: `${doc}#list-issue-comments` };
    if (method === 'POST') return { name: 'create', write: true, params, issueKey, doc: `${doc}#create-an-issue-comment` };
  }
  m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path);
  if (m !== null && method === 'GET') {
    return { name: 'get', write: false, params: { owner: m[1]!, repo: m[2]! }, issueKey: '', commentId: Number(m[3]), doc: `${doc}#get-an-issue-comment` };
  }
  if (m !== null && method === 'PATCH') {
    return { name: 'update', write: true, params: { owner: m[1]!, repo: m[2]! }, issueKey: '', commentId: Number(m[3]), doc: `${doc}#update-an-issue-comment` };
  }
  if (m !== null && method === 'DELETE') {
    return { name: 'delete', write: true, params: { owner: m[1]!, repo: m[2]! }, issueKey: '', commentId: Number(m[3]), doc: `${doc}#delete-an-issue-comment` };
  }
  m = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]{40})\/pulls$/.exec(path);
  if (m !== null && method === 'GET') {
    return { name: 'commit-pulls', write: false, params: { owner: m[1]!, repo: m[2]!, sha: m[3]! }, issueKey: '', doc: 'https://docs.github.com/rest/commits/commits#list-pull-requests-associated-with-a-commit' };
  }
  return undefined;
}

/** The issue comment object, as the REST API returns it (fields the issue_comment fixture shows). */
function view(c: StoredComment, base: string, params: Record<string, string>): unknown {
  const { owner, repo, issue } = params;
  return {
    url: `${base}/repos/${owner}/${repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${c.id}`,
    issue_url: `${base}/repos/${owner}/${repo}/issues/${issue}`,
    id: c.id,
    node_id: Buffer.from(`IssueComment${c.id}`).toString('base64'),
    user: { login: c.user.login, id: c.user.type === 'Bot' ? 41898282 : 583231, type: c.user.type, site_admin: false },
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'OWNER',
    body: c.body,
    performed_via_github_app: null,
  };
}

function linkHeader(url: URL, base: string, page: number, last: number, perPage: number): Record<string, string> {
  const at = (p: number): string => {
    const u = new URL(url.pathname, base);
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(p));
    return u.href;
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${at(page - 1)}>; rel="prev"`);
  if (page < last) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
  if (page > 1) links.push(`<${at(1)}>; rel="first"`);
  return links.length === 0 ? {} : { link: links.join(', ') };
}

/** GitHub counts characters, not bytes or UTF-16 units. */
function tooLong(body: string): boolean {
  return Array.from(body).length > BODY_LIMIT;
}

function tooLongError(doc: string): unknown {
  return {
    message: 'Validation Failed',
    errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${BODY_LIMIT} characters)` }],
    documentation_url: doc,
    status: '422',
  };
}

function bodyOf(raw: string): string | undefined {
  try {
    const parsed = JSON.parse(raw) as { body?: unknown };
    return typeof parsed.body === 'string' ? parsed.body : undefined;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(data);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'x-github-media-type': 'github.v3; format=json',
    ...headers,
  });
  res.end(body);
}
