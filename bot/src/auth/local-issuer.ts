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

/**
 * The local issuers' key, made once per process: an RSA key takes a tenth of a second or more
 * to make, and tests start an app per test in one process.
 */
let localKey: Promise<{ publicKey: CryptoKey; privateKey: CryptoKey; kid: string }> | undefined;
function localKeyOfProcess() {
  localKey ??= generateKeyPair('RS256', { extractable: true }).then(
    ({ publicKey, privateKey }) => ({ publicKey, privateKey, kid: randomUUID() }),
    (error: unknown) => {
      localKey = undefined;
      throw error;
    },
  );
  return localKey;
}

/** Makes a local issuer whose tokens the API verifies exactly like Entra tokens. */
export async function createLocalIssuer(audience: string): Promise<LocalIssuer> {
  const { publicKey, privateKey, kid } = await localKeyOfProcess();
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
        .sign(privateKey),
  };
}
