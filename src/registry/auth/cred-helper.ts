// Docker credential helpers: `docker-credential-<name> get` reads the server URL on
// stdin and prints {ServerURL, Username, Secret}. A Username of `<token>` marks the
// Secret as an identity (refresh) token.
// https://github.com/docker/docker-credential-helpers#development
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

export interface HelperLimits {
  /** The helper and everything it started are killed past this. */
  timeoutMs: number;
  /** stdout and stderr together; a helper answers with a few hundred bytes. */
  maxOutputBytes: number;
}

export const HELPER_LIMITS: HelperLimits = { timeoutMs: 30_000, maxOutputBytes: 1024 * 1024 };

// What a helper gets of our environment: where it lives (PATH, HOME, XDG dirs, locale),
// what the known helpers document (DOCKER_CONFIG; pass: PASSWORD_STORE_*, GNUPGHOME;
// secretservice: the D-Bus session; ecr-login, gcr and acr-env: their cloud's own
// variables), and the proxy settings. Never the GitHub token, the Action's INPUT_*
// (the registry password among them), ACTIONS_* or IMMUTAG_PASSWORD.
const HELPER_ENV = new Set([
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LANGUAGE', 'TZ',
  'DOCKER_CONFIG', 'GNUPGHOME', 'GPG_TTY', 'DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  'GOOGLE_APPLICATION_CREDENTIALS',
]);
const HELPER_ENV_PREFIXES = ['LC_', 'XDG_', 'PASSWORD_STORE_', 'AWS_', 'CLOUDSDK_', 'AZURE_'];

export function helperEnvironment(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && (HELPER_ENV.has(k) || HELPER_ENV_PREFIXES.some((p) => k.startsWith(p)))) out[k] = v;
  }
  return out;
}

/** A runner with other limits (tests shrink the timeout). */
export function credentialHelperRunner(limits: HelperLimits = HELPER_LIMITS): HelperRunner {
  return async (name, server, env) => {
    if (!HELPER_NAME.test(name)) {
      throw new ImmutagError('AUTH_FAILED', `Docker config names an invalid credential helper "${name}"`, {
        hint: 'credsStore and credHelpers take a helper name such as "desktop" or "ecr-login".',
      });
    }
    const program = `docker-credential-${name}`;
    const { code, stdout, stderr } = await run(program, server, helperEnvironment(env), limits);
    // The helpers' own wording for "no entry": docker-credential-helpers/credentials/error.go
    if (code !== 0 && /credentials not found/i.test(stdout + stderr)) return undefined;
    if (code !== 0) {
      // Only stderr is quoted: a helper that fails after printing its answer has the secret on stdout.
      const said = firstLine(stderr) || 'nothing on stderr';
      throw new ImmutagError('AUTH_FAILED', `${program} get failed for ${server} (exit ${code}): ${said}`, {
        hint: `Check that ${program} works on this machine (echo ${server} | ${program} get), or remove it from the Docker config.`,
      });
    }
    return parseHelperOutput(program, server, stdout);
  };
}

export const runCredentialHelper: HelperRunner = credentialHelperRunner();

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

/**
 * Runs the helper in a process group of its own, so that the time limit holds for
 * everything it started: a helper that leaves a child behind holding our stdout would
 * otherwise keep the pipe - and us - open after it exits. When the helper exits, what
 * is left of its group is killed; past the limit, all of it is.
 */
function run(program: string, input: string, env: Record<string, string>, limits: HelperLimits): Promise<{ code: number; stdout: string; stderr: string }> {
  // node:child_process loads here, when a helper is configured, not on every start.
  const { spawn } = process.getBuiltinModule('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // ESRCH: nothing of the group is left.
      }
    };
    let settled = false;
    const settle = (done: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      done();
    };
    // Our own timer rather than spawn's `timeout`, which outlives a helper that never started.
    const timer = setTimeout(() => {
      killGroup();
      settle(() => reject(new ImmutagError('AUTH_FAILED', `${program} get did not finish within ${limits.timeoutMs / 1000} s; it was stopped`, {
        hint: `The helper is waiting for something (a locked keychain, a prompt, the network); check it by hand: echo ${input} | ${program} get`,
      })));
    }, limits.timeoutMs);
    timer.unref();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const collect = (into: Buffer[]) => (c: Buffer): void => {
      size += c.length;
      if (size > limits.maxOutputBytes) {
        killGroup();
        settle(() => reject(new ImmutagError('AUTH_FAILED', `${program} get printed more than ${limits.maxOutputBytes} bytes; it was stopped`, {
          hint: `A credential helper answers with one small JSON object; check it by hand: echo ${input} | ${program} get`,
        })));
        return;
      }
      into.push(c);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    child.on('error', (e: NodeJS.ErrnoException) => {
      settle(() => reject(new ImmutagError('AUTH_FAILED', `Cannot run credential helper ${program}: ${e.code ?? e.message}`, {
        hint: `Install ${program} on the PATH, or remove it from credsStore/credHelpers in the Docker config.`,
        cause: e,
      })));
    });
    // The helper has answered; whatever it left running would hold the pipes open.
    child.on('exit', killGroup);
    child.on('close', (code) => {
      settle(() => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    });
    child.stdin.on('error', () => { /* the helper may exit before reading; its exit code tells */ });
    child.stdin.end(input);
  });
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}
