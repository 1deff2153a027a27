import type { Application } from '../app/application';
import type { ClientView, NewSecret } from '../app/clients';
import { ScimError } from '../scim/errors';
import { enterTenant } from './cli-context';
import { option, positional, UsageError } from './options';

const USAGE = [
  'Usage: clients create --name <name> [--expires-in-days <1-1095>] [--tenant <id>]',
  '     | clients list [--tenant <id>]',
  '     | clients add-secret <clientId> [--expires-in-days <1-1095>] [--tenant <id>]',
  '     | clients revoke-secret <clientId> <secretId> [--tenant <id>]',
  '     | clients delete <clientId> [--tenant <id>]',
].join('\n');

const VALUED = ['--name', '--expires-in-days', '--tenant'];

/** `--expires-in-days N`: digits only here; the range (1 to 1095) is the use case's to check. */
function expiresInDays(args: readonly string[], field: string): Record<string, number> {
  const text = option(args, '--expires-in-days');
  if (text === undefined) return {};
  if (!/^\d{1,6}$/.test(text)) throw new UsageError('--expires-in-days takes a whole number of days from 1 to 1095');
  return { [field]: Number(text) };
}

/** The secret, once, with what to do with it. */
function printSecret(print: (line: string) => void, created: NewSecret): void {
  print(`Client secret ${created.secret.id}, expires ${created.secret.expires}.`);
  print('Copy it now: it is shown only this once (only its hash is stored). Give it to the identity provider as the client secret:');
  print(created.clientSecret);
}

const describeClient = (c: ClientView) => {
  const active = c.secrets.filter((s) => s.state === 'active').length;
  return [c.clientId, JSON.stringify(c.name), `created ${c.created}`, `${active} active secret${active === 1 ? '' : 's'}`].join('  ');
};

/**
 * `clients create|list|add-secret|revoke-secret|delete`: a tenant's OAuth clients (client
 * credentials, for Entra ID), as an operator on the server's store (`--tenant`, default the
 * built-in tenant). Secrets are printed once, on a line of their own.
 */
export async function clientsCommand(application: Application, args: readonly string[], print: (line: string) => void): Promise<void> {
  const [action, ...rest] = args;
  if (!['create', 'list', 'add-secret', 'revoke-secret', 'delete'].includes(action)) throw new UsageError(USAGE);
  const [clientId, secretId] = positional(rest, VALUED);
  const needClient = () => {
    if (!clientId) throw new UsageError(`clients ${action} needs the client id (see: clients list)`);
    return clientId;
  };
  const clients = (await enterTenant(application, rest)).clients;
  const tenant = rest.includes('--tenant') ? ` --tenant ${option(rest, '--tenant')}` : '';
  try {
    switch (action) {
      case 'create': {
        const name = option(rest, '--name');
        if (!name) throw new UsageError('clients create needs --name <name>, e.g. --name entra');
        const created = await clients.create({ name, ...expiresInDays(rest, 'secretExpiresInDays') });
        print(`Created OAuth client ${created.clientId} (${created.name}). Client id (Entra: "Client Identifier"): ${created.clientId}`);
        print('Token endpoint: <your Roster URL>/oauth/token (Entra: "Token Endpoint")');
        printSecret(print, created);
        return;
      }
      case 'list':
        for (const client of await clients.list()) {
          print(describeClient(client));
          for (const s of client.secrets) {
            print(['  secret', s.id, `created ${s.created}`, `expires ${s.expires}`, `last used ${s.lastUsed ?? 'never'}`, s.state === 'revoked' ? `revoked ${s.revoked}` : s.state].join('  '));
          }
        }
        return;
      case 'add-secret': {
        printSecret(print, await clients.addSecret(needClient(), expiresInDays(rest, 'expiresInDays')));
        print(`Once the identity provider uses it, revoke the old secret: npm run cli -- clients revoke-secret ${clientId} <secretId>${tenant}`);
        return;
      }
      case 'revoke-secret':
        if (!secretId) throw new UsageError('clients revoke-secret needs the client id and the secret id (see: clients list)');
        await clients.revokeSecret(needClient(), secretId);
        print(`Revoked secret ${secretId} of client ${clientId}: it and the access tokens issued with it no longer work.`);
        return;
      case 'delete':
        await clients.delete(needClient());
        print(`Deleted client ${clientId}, its secrets and its access tokens.`);
        return;
    }
  } catch (error) {
    // The use case's refusals (unknown client, limits, bad days) are the operator's to fix.
    if (error instanceof ScimError && error.status < 500) throw new UsageError(error.detail);
    throw error;
  }
}
