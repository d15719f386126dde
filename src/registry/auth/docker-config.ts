// Credentials the way `docker login` (and docker/login-action) and `podman login`
// leave them: Docker's config.json first, then the containers auth.json. Paths
// come from an injected environment and home so tests need not touch the real ones.
// https://docs.docker.com/reference/cli/docker/login/#credential-stores
// https://github.com/containers/image/blob/main/docs/containers-auth.json.5.md
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ImmutagError } from '../../errors.ts';
import { runCredentialHelper, type HelperRunner } from './cred-helper.ts';
import { IDENTITY_TOKEN_USER, type Credential, type CredentialSource } from './credentials.ts';
import { findEntry, helperServer } from './config-keys.ts';

export interface ConfigEnvironment {
  env: Record<string, string | undefined>;
  home: string;
  runHelper?: HelperRunner;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

interface ConfigFile {
  path: string;
  auths: Record<string, unknown>;
  credHelpers: Record<string, string>;
  credsStore?: string;
}

/** This process's environment and home directory. */
export function processEnvironment(): ConfigEnvironment {
  return { env: process.env, home: homedir() };
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPaths(env: ConfigEnvironment): string[] {
  const dir = env.env['DOCKER_CONFIG'];
  return [dir ? join(dir, 'config.json') : join(env.home, '.docker', 'config.json')];
}

/** `$REGISTRY_AUTH_FILE` alone when set, else `$XDG_RUNTIME_DIR/containers/auth.json` then `~/.config/containers/auth.json`. */
export function containersAuthPaths(env: ConfigEnvironment): string[] {
  const explicit = env.env['REGISTRY_AUTH_FILE'];
  if (explicit) return [explicit];
  const runtime = env.env['XDG_RUNTIME_DIR'];
  const paths = runtime ? [join(runtime, 'containers', 'auth.json')] : [];
  return [...paths, join(env.home, '.config', 'containers', 'auth.json')];
}

/** Docker config, then containers auth files; the first file that knows the registry wins. */
export function configFileCredentials(env: ConfigEnvironment): CredentialSource {
  const paths = [...dockerConfigPaths(env), ...containersAuthPaths(env)];
  let loaded: Promise<ConfigFile[]> | undefined;
  return {
    async lookup(registry, repository) {
      loaded ??= loadConfigs(paths);
      for (const file of await loaded) {
        const found = await lookupInFile(file, registry, repository, env);
        if (found !== undefined) return found;
      }
      return undefined;
    },
  };
}

async function lookupInFile(file: ConfigFile, registry: string, repository: string | undefined, env: ConfigEnvironment): Promise<Credential | undefined> {
  const run = env.runHelper ?? runCredentialHelper;
  const helperKey = findEntry(Object.keys(file.credHelpers), registry, repository);
  const helper = helperKey !== undefined ? file.credHelpers[helperKey] : file.credsStore;
  if (helper) {
    const server = helperServer(registry);
    const found = await run(helper, server, env.env);
    if (found !== undefined) return fromHelper(found.username, found.secret, `docker-credential-${helper}`);
  }
  const key = findEntry(Object.keys(file.auths), registry, repository);
  if (key === undefined) return undefined;
  return fromEntry(toEntry(file.auths[key]), `${file.path} (auths "${key}")`);
}

function fromHelper(username: string, secret: string, source: string): Credential {
  if (username === IDENTITY_TOKEN_USER) return { kind: 'identity-token', token: secret, source };
  return { kind: 'basic', username, password: secret, source };
}

function fromEntry(entry: AuthEntry, source: string): Credential | undefined {
  if (entry.registrytoken) return { kind: 'registry-token', token: entry.registrytoken, source };
  const { username, password } = decodeAuth(entry, source);
  if (entry.identitytoken) {
    const credential: Credential = { kind: 'identity-token', token: entry.identitytoken, source };
    if (username) credential.username = username;
    return credential;
  }
  if (username === undefined || password === undefined) return undefined; // an empty `{}` left by a credsStore
  return { kind: 'basic', username, password, source };
}

function decodeAuth(entry: AuthEntry, source: string): { username?: string; password?: string } {
  if (!entry.auth) return { username: entry.username, password: entry.password };
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    throw new ImmutagError('AUTH_FAILED', `The "auth" value in ${source} is not base64 of username:password`, {
      hint: 'Log in again (docker login) or fix the entry by hand.',
    });
  }
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The config files that exist, read once per run: a broken one fails every lookup alike. */
async function loadConfigs(paths: readonly string[]): Promise<ConfigFile[]> {
  return paths.map(loadConfig).filter((file) => file !== undefined);
}

/**
 * Read synchronously: a config file is a few kilobytes read once per run, and an
 * asynchronous read would load node:fs/promises (and with it readline) for nothing.
 */
function loadConfig(path: string): ConfigFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ImmutagError('AUTH_FAILED', `Cannot read ${path}: ${(err as Error).message}`, {
      hint: 'Fix the file\'s permissions, or point DOCKER_CONFIG / REGISTRY_AUTH_FILE elsewhere.',
      cause: err,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ImmutagError('AUTH_FAILED', `${path} is not valid JSON`, {
      hint: 'Fix or remove the file (docker login rewrites it).',
    });
  }
  const obj = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  return {
    path,
    auths: objectOf(obj['auths']),
    credHelpers: stringsOf(objectOf(obj['credHelpers'])),
    ...(typeof obj['credsStore'] === 'string' && obj['credsStore'] !== '' ? { credsStore: obj['credsStore'] } : {}),
  };
}

function toEntry(value: unknown): AuthEntry {
  const fields = stringsOf(objectOf(value));
  const entry: AuthEntry = {};
  for (const name of ['auth', 'username', 'password', 'identitytoken', 'registrytoken'] as const) {
    const v = fields[name];
    if (v !== undefined && v !== '') entry[name] = v;
  }
  return entry;
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

function stringsOf(obj: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) if (typeof v === 'string') out[k] = v;
  return out;
}
