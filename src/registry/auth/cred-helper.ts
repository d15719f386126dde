// Docker credential helpers: `docker-credential-<name> get` reads the server URL on
// stdin and prints {ServerURL, Username, Secret}. A Username of `<token>` marks the
// Secret as an identity (refresh) token.
// https://github.com/docker/docker-credential-helpers#development
import { spawn } from 'node:child_process';
import { ImmutagError } from '../../errors.ts';

export interface HelperCredential {
  username: string;
  secret: string;
}

/** Runs helper `name` for `server`; undefined when the helper has nothing for it. */
export type HelperRunner = (
  name: string,
  server: string,
  env: Record<string, string | undefined>,
) => Promise<HelperCredential | undefined>;

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const TIMEOUT_MS = 30_000;

export const runCredentialHelper: HelperRunner = async (name, server, env) => {
  if (!HELPER_NAME.test(name)) {
    throw new ImmutagError('AUTH_FAILED', `Docker config names an invalid credential helper "${name}"`, {
      hint: 'credsStore and credHelpers take a helper name such as "desktop" or "ecr-login".',
    });
  }
  const program = `docker-credential-${name}`;
  const { code, stdout, stderr } = await run(program, server, env);
  // The helpers' own wording for "no entry": docker-credential-helpers/credentials/error.go
  if (code !== 0 && /credentials not found/i.test(stdout + stderr)) return undefined;
  if (code !== 0) {
    throw new ImmutagError('AUTH_FAILED', `${program} get failed for ${server} (exit ${code}): ${firstLine(stderr || stdout)}`, {
      hint: `Check that ${program} works on this machine (echo ${server} | ${program} get), or remove it from the Docker config.`,
    });
  }
  return parseHelperOutput(program, server, stdout);
};

function parseHelperOutput(program: string, server: string, stdout: string): HelperCredential | undefined {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new ImmutagError('AUTH_FAILED', `${program} get printed something that is not JSON for ${server}`, {
      hint: `Check the helper by hand: echo ${server} | ${program} get`,
    });
  }
  const { Username, Secret } = (json ?? {}) as { Username?: unknown; Secret?: unknown };
  if (typeof Secret !== 'string' || Secret === '') return undefined;
  return { username: typeof Username === 'string' ? Username : '', secret: Secret };
}

function run(program: string, input: string, env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], { env: definedOnly(env), stdio: ['pipe', 'pipe', 'pipe'] });
    // Our own timer rather than spawn's `timeout`, which outlives a helper that never started.
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    timer.unref();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new ImmutagError('AUTH_FAILED', `Cannot run credential helper ${program}: ${e.code ?? e.message}`, {
        hint: `Install ${program} on the PATH, or remove it from credsStore/credHelpers in the Docker config.`,
        cause: e,
      }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => { /* the helper may exit before reading; its exit code tells */ });
    child.stdin.end(input);
  });
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}
