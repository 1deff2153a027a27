import type { AttributeChange, Change, ClientSecretRecord, EventDraft } from '../../store/port';
import { attributeChanges } from './attribute-changes';
import { clientResource } from './event-resources';
import { withoutUndefined } from './json-record';

type ClientChange = Extract<Change, { of: 'client' }>;

/**
 * The event of a change of an OAuth client (client credentials grant). The client is the
 * resource, so a feed filtered by its id shows its whole history, secrets included; a secret is
 * named by its id under `secret.*` (which of several secrets, during a rotation) and never by
 * its value or hash. Issuing an access token records nothing (token-events.ts): an identity
 * provider asks for one every hour, and the secret's lastUsed and the request log show it.
 */
export function clientEvents(change: ClientChange): EventDraft[] {
  const resource = clientResource(change.client);
  switch (change.kind) {
    case 'created':
      return [{ type: 'client.created', resource }];
    case 'deleted':
      return [{ type: 'client.deleted', resource }];
    case 'secretAdded':
      return [{ type: 'client.secret_added', resource, changes: secretChanges(change.secret, 'expires') }];
    case 'secretRevoked':
      return [{ type: 'client.secret_revoked', resource, changes: secretChanges(change.secret, 'revoked') }];
  }
}

/** The secret's id and the one field the event is about (its expiry, or when it was revoked). */
function secretChanges(secret: ClientSecretRecord, field: 'expires' | 'revoked'): AttributeChange[] {
  return attributeChanges(undefined, { secret: withoutUndefined({ id: secret.id, [field]: secret[field] }) });
}
