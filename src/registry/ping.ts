// Step one of every handshake: `GET /v2/` without credentials. 200 means the registry
// is open; 401 carries the WWW-Authenticate challenge that says how to authenticate.
// The answer also says whether this registry labels its answers with
// `Docker-Distribution-Api-Version`: when its /v2/ does, a 404 that does not carry the
// label came from something else in front of it (tag-state.ts).
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#determining-support
import { ImmutagError } from '../errors.ts';
import { parseChallenges, pickChallenge, type Challenge } from './auth/challenge.ts';
import { discard, readPrefix } from './body.ts';
import { headerValue, type HttpClient, type HttpResponse } from './http.ts';
import { httpError, networkError, parseErrorBody, responseError } from './errors.ts';
import { isRetryableStatus, parseRetryAfter, withRetry, type RetryClock, type RetryPolicy } from './retry.ts';

export interface PingResult {
  /** The challenge to answer, or undefined when the registry needs no authentication. */
  challenge: Challenge | undefined;
  /** The `Docker-Distribution-Api-Version` header of the answer, if it had one. */
  apiVersion: string | undefined;
}

export async function ping(
  http: HttpClient,
  origin: string,
  policy: RetryPolicy,
  clock: RetryClock,
): Promise<PingResult> {
  const url = new URL('/v2/', origin);
  const what = `GET ${url.href}`;
  let res: HttpResponse;
  try {
    res = await withRetry(() => http.send({ url, method: 'GET' }), {
      retryable: (r) => isRetryableStatus(r.status)
        ? { reason: `HTTP ${r.status}`, retryAfterMs: parseRetryAfter(headerValue(r.headers, 'retry-after'), clock.now()) }
        : undefined,
      discard: (r) => discard(r.body),
    }, policy, clock);
  } catch (err) {
    throw networkError(err, url.host, what);
  }
  if (res.url.origin !== url.origin) {
    // The challenge decides where credentials go for the whole run: only the registry's own counts.
    await discard(res.body);
    throw new ImmutagError('REGISTRY_ERROR', `${what} was redirected to ${res.url.origin}; immutag authenticates only to the registry's own origin`, {
      hint: 'Point the tags at the registry host that answers /v2/ itself (not at a redirect), or fix the redirect in front of the registry.',
    });
  }
  const apiVersion = headerValue(res.headers, 'docker-distribution-api-version')?.trim() || undefined;
  if (res.status >= 200 && res.status < 300) {
    await discard(res.body);
    return { challenge: undefined, apiVersion };
  }
  if (res.status === 400 && url.protocol === 'http:') throw await plainHttpToTls(res, what, url.host);
  if (res.status !== 401) throw await responseError(res.status, res.body, { what });
  await discard(res.body);
  const challenge = pickChallenge(parseChallenges(res.headers['www-authenticate']));
  if (challenge === undefined) {
    throw new ImmutagError('AUTH_FAILED', `${what} answered 401 without a Basic or Bearer challenge`, {
      hint: 'immutag speaks the Basic and Bearer token schemes of the distribution spec; this registry asks for something else.',
    });
  }
  return { challenge, apiVersion };
}

// What a TLS server's HTTP stack answers a plain-HTTP request on its port: Go's net/http
// (distribution, Harbor, Zot) and nginx. A registry listed in insecure-registries is
// reached over plain HTTP; Docker's daemon.json list of the same name also covers HTTPS
// with an unverified certificate, so a self-signed registry copied over lands here.
const TLS_PORT_ANSWER = /HTTP request to an HTTPS server|plain HTTP request was sent to HTTPS port/i;

/** A 400 to the plain-HTTP ping: says "this registry speaks HTTPS" when the answer shows it. */
async function plainHttpToTls(res: HttpResponse, what: string, host: string): Promise<ImmutagError> {
  const bytes = await readPrefix(res.body);
  if (!TLS_PORT_ANSWER.test(bytes.toString('latin1'))) return httpError(400, parseErrorBody(bytes), { what });
  return new ImmutagError('REGISTRY_UNREACHABLE', `${what}: ${host} serves HTTPS, not plain HTTP (it answered 400: a plain-HTTP request sent to its TLS port)`, {
    hint: `Take ${host} out of insecure-registries (CLI: --insecure-registries): immutag then reaches it over HTTPS and checks its certificate. For a self-signed or private-CA certificate, set NODE_EXTRA_CA_CERTS to the CA's PEM file before Node starts.`,
  });
}
