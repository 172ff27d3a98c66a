import { type JWTPayload, type JWTVerifyGetKey, createRemoteJWKSet, decodeJwt, errors, jwtVerify } from 'jose';
import { type Caller, isTenantId } from '../../../core';

/** Why a bearer token was refused; logged, never shown beyond "sign in again". */
export class TokenError extends Error {}

/** Where a tenant's signing keys and issuer names come from: Entra, or the local issuer. */
export interface TokenAuthority {
  /** The keys that may have signed tokens for the tenant. */
  keysFor(tenantId: string): JWTVerifyGetKey;
  /** The issuer names a token of the tenant may carry. */
  issuersFor(tenantId: string): string[];
}

/** Options of the verifier: who the API is, and which tenants it serves. */
export interface TokenVerifierOptions {
  authority: TokenAuthority;
  clientId: string;
  appIdUri?: string;
  allowedTenants: readonly string[];
  requiredScope?: string;
}

/** Entra ID as the authority: per-tenant JWKS (cached by jose) and v1 and v2 issuers. */
export function entraAuthority(loginHost = 'https://login.microsoftonline.com'): TokenAuthority {
  const jwks = new Map<string, JWTVerifyGetKey>();
  return {
    keysFor(tenantId) {
      let set = jwks.get(tenantId);
      if (!set) {
        set = createRemoteJWKSet(new URL(`${loginHost}/${tenantId}/discovery/v2.0/keys`), { cacheMaxAge: 12 * 3600_000, cooldownDuration: 30_000 });
        jwks.set(tenantId, set);
      }
      return set;
    },
    issuersFor: (tenantId) => [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`],
  };
}

/**
 * Verifies API bearer tokens and returns the caller. Entra tokens and local-issuer tokens
 * take this same path; only the authority differs.
 */
export function createTokenVerifier(options: TokenVerifierOptions): (authorization: string | undefined) => Promise<Caller> {
  const audiences = [options.clientId, `api://${options.clientId}`, ...(options.appIdUri ? [options.appIdUri] : [])];
  const allowed = new Set(options.allowedTenants.map((t) => t.toLowerCase()));
  const scope = options.requiredScope ?? 'access_as_user';

  return async (authorization) => {
    const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new TokenError('no bearer token');
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new TokenError('malformed token');
    }
    const tid = typeof unverified.tid === 'string' ? unverified.tid.toLowerCase() : '';
    // Checked before any key fetch, so a token naming an arbitrary tenant cannot make us call out.
    if (!isTenantId(tid) || !allowed.has(tid)) throw new TokenError(`tenant ${tid || '(none)'} is not allowed`);

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, options.authority.keysFor(tid), {
        // Only RS256: stops alg=none and HS256 tokens "signed" with our public key.
        algorithms: ['RS256'],
        // Without the audience check a token minted for any other app in the tenant would pass.
        audience: audiences,
        // The issuer must name the same tenant as tid; otherwise one tenant's token could claim another.
        issuer: options.authority.issuersFor(tid),
        clockTolerance: 300,
        requiredClaims: ['exp', 'iat', 'tid', 'oid'],
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError) throw new TokenError(`${error.code}: ${error.message}`);
      throw error;
    }
    if (String(payload.tid).toLowerCase() !== tid) throw new TokenError('tid changed during verification');
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    // A token without the delegated scope was not issued for calling this API as the user.
    if (!scopes.includes(scope)) throw new TokenError(`scope ${scope} missing`);
    const oid = String(payload.oid);
    if (!oid || oid.length > 128) throw new TokenError('oid missing');
    const name = typeof payload.name === 'string' && payload.name.trim() ? payload.name.trim().slice(0, 200) : 'Someone';
    return { tenantId: tid, userId: oid, name };
  };
}
