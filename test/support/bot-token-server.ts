import { type JWTPayload, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Plays the Bot Framework token service for inbound requests: an OpenID metadata document
 * and key set on 127.0.0.1, and tokens signed as the Bot Connector signs them.
 */
export interface BotTokenServer {
  openIdUrl: string;
  issuer: string;
  token(claims: { aud: string; serviceurl: string } & Partial<JWTPayload>, options?: { foreignKey?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/** Starts the local Bot Framework key server. */
export async function startBotTokenServer(): Promise<BotTokenServer> {
  const issuer = 'https://api.botframework.com';
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const foreign = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bf-test-key', use: 'sig', endorsements: ['msteams'] };
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/openid') res.end(JSON.stringify({ issuer, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    else res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    openIdUrl: `${base}/openid`,
    issuer,
    token: ({ aud, serviceurl, ...rest }, options = {}) =>
      new SignJWT({ serviceurl, ...rest })
        .setProtectedHeader({ alg: 'RS256', kid: 'bf-test-key', typ: 'JWT' })
        .setIssuer((rest.iss as string) ?? issuer)
        .setAudience(aud)
        .setIssuedAt((rest.iat as number) ?? Math.floor(Date.now() / 1000))
        .setNotBefore((rest.nbf as number) ?? Math.floor(Date.now() / 1000))
        .setExpirationTime((rest.exp as number) ?? Math.floor(Date.now() / 1000) + 3600)
        .sign(options.foreignKey ? foreign.privateKey : privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
