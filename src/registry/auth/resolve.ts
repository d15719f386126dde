// The order credentials are looked for, as issue 3 states it: explicit inputs, then
// the Docker config docker/login-action writes, then the containers auth files,
// then anonymous.
import { homedir } from 'node:os';
import { ImmutagError } from '../../errors.ts';
import { chainCredentials, staticCredentials, type CredentialSource } from './credentials.ts';
import { configFileCredentials, type ConfigEnvironment } from './docker-config.ts';

export interface CredentialOptions {
  username?: string;
  password?: string;
  /**
   * Registries the explicit username/password belong to. Omitted: every registry the
   * run talks to; pass the registries of `tags` so a password never reaches another one.
   */
  registries?: readonly string[];
  /** Environment and home directory for the config file lookup (default: this process's). */
  environment?: ConfigEnvironment;
}

export function resolveCredentials(options: CredentialOptions = {}): CredentialSource {
  const { username, password } = options;
  if (Boolean(username) !== Boolean(password)) {
    throw new ImmutagError('INVALID_INPUT', username ? 'username is set but password is empty' : 'password is set but username is empty', {
      hint: 'Give both username and password, or neither (then the Docker config from docker/login-action or docker login is used). In the CLI: --username with --password-stdin or $IMMUTAG_PASSWORD.',
    });
  }
  const environment = options.environment ?? { env: process.env, home: homedir() };
  const files = configFileCredentials(environment);
  if (!username || !password) return files;
  return chainCredentials([staticCredentials(username, password, options.registries), files]);
}
