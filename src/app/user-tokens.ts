import { parseDuration } from '../config/duration';
import { checkTokenOwner } from '../domain/access';
import { invalidValue, notFound } from '../scim/errors';
import type { JsonObject } from '../scim/values/json';
import type { TokenRecord } from '../store/port';
import type { Directory } from './directory';

/** Token metadata as the admin API shows it: never the secret or its hash. */
export interface TokenView {
  readonly id: string;
  readonly name: string;
  readonly userId?: string;
  readonly created: string;
  readonly expires: string | null;
  readonly lastUsed: string | null;
  readonly revoked: string | null;
}

export const tokenView = (t: TokenRecord): TokenView => ({
  id: t.id, name: t.name, userId: t.userId, created: t.created,
  expires: t.expires ?? null, lastUsed: t.lastUsed ?? null, revoked: t.revoked ?? null,
});

/** `{"name": "okta", "expiresIn": "365d"}` as a token request: a name (default `fallback`) and an optional lifetime. */
export function tokenRequest(body: JsonObject, fallback: string): { name: string; expiresInMs?: number } {
  const name = typeof body.name === 'string' && body.name.trim() !== '' ? body.name.trim() : fallback;
  if (name.length > 256) throw invalidValue('name takes at most 256 characters');
  if (body.expiresIn === undefined || body.expiresIn === null) return { name };
  const expiresInMs = parseDuration(String(body.expiresIn));
  if (expiresInMs === undefined) throw invalidValue('expiresIn takes a duration such as 90d, 12h or 30m');
  return { name, expiresInMs };
}

/**
 * A user's tokens (001): the user's own. Only a provisioning token or that user may create,
 * list, read or delete them (checkTokenOwner), checked before the user is looked up, so
 * another user's token cannot even learn whether an id exists.
 */
export class UserTokens {
  constructor(private readonly directory: Directory) {}

  async list(userId: string): Promise<TokenView[]> {
    checkTokenOwner(this.directory.context.actor, userId, 'read');
    const user = await this.directory.accounts.get(userId);
    return (await this.directory.tokens.list(user.id)).map(tokenView);
  }

  async create(userId: string, body: JsonObject): Promise<TokenView & { token: string }> {
    checkTokenOwner(this.directory.context.actor, userId, 'create');
    const user = await this.directory.accounts.get(userId);
    const { name, expiresInMs } = tokenRequest(body, 'api');
    const { token, secret } = await this.directory.tokens.createForUser(user.id, name, expiresInMs);
    return { ...tokenView(token), token: secret };
  }

  async get(userId: string, tokenId: string): Promise<TokenView> {
    checkTokenOwner(this.directory.context.actor, userId, 'read');
    return tokenView(await this.tokenOf(userId, tokenId));
  }

  async remove(userId: string, tokenId: string): Promise<void> {
    checkTokenOwner(this.directory.context.actor, userId, 'delete');
    await this.directory.tokens.remove((await this.tokenOf(userId, tokenId)).id);
  }

  /** The token must exist in this tenant and belong to the user in the path. */
  private async tokenOf(userId: string, tokenId: string): Promise<TokenRecord> {
    const token = await this.directory.tokens.get(tokenId);
    if (!token || token.userId !== userId) throw notFound(`User ${JSON.stringify(userId)} has no token ${JSON.stringify(tokenId)}`);
    return token;
  }
}
