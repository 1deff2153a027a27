import { randomBytes, randomUUID } from 'node:crypto';

export { hashToken as hashSecret } from '../token-secret';

/**
 * What an OAuth client is given and presents. Each secret is 256 random bits (so a plain
 * SHA-256 of it, which is all the store keeps, cannot be reversed by guessing), with a prefix
 * that says what it is: a secret scanner, a log reader or an admin pasting into the wrong field
 * can tell a client secret (long-lived, goes into the IdP) from an access token (one hour).
 */
export const CLIENT_SECRET_PREFIX = 'roster_cs_';
export const ACCESS_TOKEN_PREFIX = 'roster_at_';

const random256 = (): string => randomBytes(32).toString('base64url');

/** A client secret: base64url characters only, so form-urlencoding it (RFC 6749 §2.3.1) changes nothing. */
export const newClientSecret = (): string => CLIENT_SECRET_PREFIX + random256();

/** An access token: a bearer token like any other, found by its hash when it is used. */
export const newAccessToken = (): string => ACCESS_TOKEN_PREFIX + random256();

/** The client_id: not a secret (Entra shows it), but random, so one tenant's id tells nothing of another's. */
export const newClientId = (): string => randomUUID();
