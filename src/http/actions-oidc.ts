// @actions/core's OIDC client, loaded when a token is asked for. core.js imports it at
// start-up, and with it @actions/http-client, `tunnel` and node:tls: ~20 ms of every
// Action start for getIDToken, which immutag never calls. scripts/build.mjs points
// core.js's `./oidc-utils.js` here; the real module (`real-oidc-utils`, resolved by the
// build to the file in @actions/core) becomes a chunk loaded on first use.
export const OidcClient = {
  async getIDToken(audience?: string): Promise<string> {
    const real = await import('real-oidc-utils');
    return real.OidcClient.getIDToken(audience);
  },
};
