import { type CryptoKey, type JWK, SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { randomUUID } from 'node:crypto';
import type { TokenAuthority } from './token-verifier';

/** A token issuer for local mode: a key made at start-up, never persisted, never in production. */
export interface LocalIssuer {
  authority: TokenAuthority;
  jwks: { keys: JWK[] };
  issue(claims: { tenantId: string; userId: string; name: string }, lifetimeSeconds?: number): Promise<string>;
}

/** The issuer name local tokens carry for a tenant. */
export function localIssuerName(tenantId: string): string {
  return `https://noticed.local/${tenantId}/v2.0`;
}

/** Makes a local issuer whose tokens the API verifies exactly like Entra tokens. */
export async function createLocalIssuer(audience: string): Promise<LocalIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const jwks = { keys: [jwk] };
  const keySet = createLocalJWKSet(jwks);
  return {
    jwks,
    authority: { keysFor: () => keySet, issuersFor: (tenantId) => [localIssuerName(tenantId)] },
    issue: (claims, lifetimeSeconds = 3600) =>
      new SignJWT({ tid: claims.tenantId, oid: claims.userId, name: claims.name, scp: 'access_as_user', ver: '2.0' })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(localIssuerName(claims.tenantId))
        .setAudience(audience)
        .setSubject(claims.userId)
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime(`${lifetimeSeconds}s`)
        .sign(privateKey as CryptoKey),
  };
}
