import { call } from './http';

/** A user's API token as {admin}/users/{id}/tokens shows it: never its secret. */
export interface UserToken {
  readonly id: string;
  readonly name: string;
  readonly userId?: string;
  readonly created: string;
  readonly expires: string | null;
  readonly lastUsed: string | null;
  /** Set when Roster revoked it (the user was deactivated or deleted): it no longer works. */
  readonly revoked: string | null;
}

/** The answer to a new token: the secret (`token`) is in it this once only. */
export type NewUserToken = UserToken & { readonly token: string };

const tokensOf = (admin: string, userId: string) => `${admin}/users/${encodeURIComponent(userId)}/tokens`;

/** Only a service or operator token, or the user's own token, may see a user's tokens (403 otherwise). */
export const listUserTokens = (token: string, admin: string, userId: string): Promise<UserToken[]> =>
  call<{ tokens: UserToken[] }>(token, 'GET', tokensOf(admin, userId)).then((a) => a.body.tokens);

/** `expiresIn` is a duration such as 90d, 12h or 30m; without it the token does not expire. Active users only (409). */
export const createUserToken = (token: string, admin: string, userId: string, request: { name: string; expiresIn?: string }): Promise<NewUserToken> =>
  call<NewUserToken>(token, 'POST', tokensOf(admin, userId), { body: request }).then((a) => a.body);

/** Removes the token: it stops authenticating at once. */
export const revokeUserToken = (token: string, admin: string, userId: string, tokenId: string): Promise<void> =>
  call<undefined>(token, 'DELETE', `${tokensOf(admin, userId)}/${encodeURIComponent(tokenId)}`).then(() => undefined);
