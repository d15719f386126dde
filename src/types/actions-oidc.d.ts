// @actions/core's own OIDC client (scripts/build.mjs resolves the name; http/actions-oidc.ts).
declare module 'real-oidc-utils' {
  export const OidcClient: { getIDToken(audience?: string): Promise<string> };
}
