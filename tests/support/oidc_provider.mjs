// A real OpenID Connect provider (the npm package oidc-provider) on loopback, for the sign-in tests.
// Started by the `oidc_provider` fixture (tests/support/oidc.py) with:
//   OIDC_PORT      the port to listen on (127.0.0.1)
//   OIDC_STATE     a JSON file read on every request: {"accounts": {login: claims}, "mode": null | "wrong_audience"
//                  | "expired" | "bad_signature" | "wrong_issuer" | "wrong_nonce"}. Its dev sign-in page takes any login listed in "accounts" (any
//                  password); "mode" makes the token endpoint hand out an ID token that a careful client refuses.
//   OIDC_REDIRECT_URIS  space-separated redirect URIs of the client "scp-tracker" (secret "scp-tracker-secret")
import { readFileSync } from 'node:fs';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const state = () => JSON.parse(readFileSync(process.env.OIDC_STATE, 'utf8'));

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
const { privateKey: strangerKey } = await jose.generateKeyPair('RS256');

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'scp-tracker',
    client_secret: 'scp-tracker-secret',
    redirect_uris: process.env.OIDC_REDIRECT_URIS.split(' '),
    response_types: ['code'],
    grant_types: ['authorization_code'],
  }],
  jwks: { keys: [signingKey] },
  // A client that sends no PKCE challenge is refused, so a passing sign-in proves the app sends one.
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified', 'xms_edov'], profile: ['name', 'given_name', 'family_name'] },
  // Claims go into the ID token itself (as Entra ID and Google do), not only the userinfo endpoint.
  conformIdTokenClaims: false,
  cookies: { keys: ['oidc-provider-test-only'] },
  async findAccount(ctx, login) {
    const account = state().accounts[login];
    if (!account) return undefined;
    return { accountId: login, claims: async () => ({ sub: login, ...account }) };
  },
  features: { devInteractions: { enabled: true } },
});

// The modes: re-sign the real ID token after changing what a careful client must check.
provider.use(async (ctx, next) => {
  await next();
  const { mode } = state();
  if (ctx.path !== '/token' || !mode || !ctx.body || !ctx.body.id_token) return;
  const claims = jose.decodeJwt(ctx.body.id_token);
  const now = Math.floor(Date.now() / 1000);
  if (mode === 'wrong_audience') claims.aud = 'another-app';
  if (mode === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  if (mode === 'wrong_issuer') claims.iss = 'http://127.0.0.1:1/another-provider';
  if (mode === 'wrong_nonce') claims.nonce = 'a-nonce-from-another-sign-in';
  const key = mode === 'bad_signature' ? strangerKey : privateKey;
  ctx.body.id_token = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(key);
});

provider.listen(port, '127.0.0.1', () => console.log(`listening ${issuer}`));
