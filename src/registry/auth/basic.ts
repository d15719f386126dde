// HTTP Basic for registries that challenge with `Basic realm=…` (htpasswd setups,
// some Artifactory and Nexus configurations). Only username/password credentials
// fit; token-shaped credentials are for Bearer realms.
// https://www.rfc-editor.org/rfc/rfc7617
import { basicValue, type Credential } from './credentials.ts';

/** The Authorization value for `credential`, or undefined to go anonymous. */
export function basicAuthorization(credential: Credential | undefined): string | undefined {
  if (credential?.kind !== 'basic') return undefined;
  return `Basic ${basicValue(credential.username, credential.password)}`;
}
