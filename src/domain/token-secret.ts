import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'roster_';

/**
 * Bearer tokens: 256 random bits, shown once at creation, kept only as a SHA-256 hash.
 * (A fast hash is right here: the secret has full entropy, so it cannot be guessed offline.)
 */
export const newTokenSecret = (): string => TOKEN_PREFIX + randomBytes(32).toString('base64url');

export const hashToken = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');
