// The order credentials are looked for, as issue 3 states it: explicit inputs, then
// the Docker config docker/login-action writes, then the containers auth files,
// then anonymous.
import { ImmutagError } from '../../errors.ts';
import { chainCredentials, staticCredentials, type CredentialSource } from './credentials.ts';
import type { ConfigEnvironment } from './docker-config.ts';

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
  const files = configFilesOnFirstLookup(options.environment);
  if (!username || !password) return files;
  return chainCredentials([staticCredentials(username, password, options.registries), files]);
}

/**
 * The config files' source, loaded when a lookup first reaches it: a run whose
 * credentials all come from the inputs (the CLI's --username for the registries of its
 * tags) never loads the config, helper and key-matching code, about 6 KB a tag check
 * would otherwise parse.
 */
function configFilesOnFirstLookup(environment: ConfigEnvironment | undefined): CredentialSource {
  let files: Promise<CredentialSource> | undefined;
  return {
    async lookup(registry, repository) {
      files ??= import('./docker-config.ts').then((m) => m.configFileCredentials(environment ?? m.processEnvironment()));
      return (await files).lookup(registry, repository);
    },
  };
}
