import { mongoCommand } from '../../src/cli/mongo-command';
import { UsageError } from '../../src/cli/options';
import { createLogger } from '../../src/logger';
import { migrateDatabase } from '../../src/store/mongo/mongo-migration';
import { memoryValidators, previousVersionDatabase } from '../store/mongo/migration-support';

/** `mongo migrate`, over the in-memory database a previous version left (test/store/mongo/migration-support.ts). */
describe('mongo command', () => {
  const URI = 'mongodb://db1:27017/roster';
  let lines: string[];
  const print = (line: string) => void lines.push(line);
  beforeEach(() => {
    lines = [];
  });

  async function inMemoryMigration() {
    const database = await previousVersionDatabase();
    const target = { collections: database.asCollections(), transactions: database.transactions, validators: memoryValidators() };
    return async () => ({ database: URI, report: await migrateDatabase(target, createLogger('silent'), () => '2025-06-01T12:00:00.000Z') });
  }

  it('migrates and says what it did: documents, indexes built, present and dropped, validators', async () => {
    await mongoCommand(['migrate'], URI, await inMemoryMigration(), print);
    expect(lines).toEqual([
      'Migrating the MongoDB database: index builds on large collections take a while (the server keeps serving meanwhile).',
      'MongoDB database mongodb://db1:27017/roster is migrated to schema 5 (it was at none).',
      'Documents: 0 moved into tenants; live set on 4 user(s) (1 deleted); groupIds added to 4 user(s); 4 membership(s) copied into groupIds.',
      'Hourly activity counted for 0 hour(s) and type(s).',
      'Indexes built (28): users.tenant_live_created_id, users.tenant_live_lastModified_created_id, users.tenant_groupIds, users.tenant_deleted, users.tenant_inactive, tenants.deleting, events.tenant_seq_unique, events.tenant_resourceId_seq, events.tenant_memberId_seq, events.tenant_actorTokenId_seq, events.tenant_occurredAt, webhooks.tenant_created_id, webhooks.claimable, webhooks.leaseOwner, deliveries.tenant_webhookId_eventId_unique, deliveries.tenant_webhookId_state_eventId, deliveries.tenant_eventId, '
        + 'clients.tenant_created_id, client_secrets.hash_unique, client_secrets.tenant_clientId_created_id, tokens.tenant_secretId, tokens.tenant_clientId, tokens.tenant_accessExpires, users.tenant_entitlements_value, groups.tenant_permissions, request_failures.tenant_seq_unique, request_failures.tenant_status_seq, activity_hours.tenant_hour_type_unique.',
      'Indexes already present (11).',
      'Indexes dropped (3): users.tenant_deletedAt, users.tenant_created_id, users.tenant_lastModified_created_id.',
      'Validators set (14): users, groups, memberships, tokens, tenants, roster_meta, events, event_sequences, webhooks, deliveries, clients, client_secrets, request_failures, activity_hours; unchanged (0).',
    ]);
  });

  it('says so when run again and there is nothing left to do', async () => {
    const migrate = await inMemoryMigration();
    await mongoCommand(['migrate'], URI, migrate, print);
    lines = [];
    await mongoCommand(['migrate'], URI, migrate, print);
    expect(lines.slice(1)).toEqual([
      'MongoDB database mongodb://db1:27017/roster is migrated to schema 5 (it was at 5).',
      'Documents: 0 moved into tenants; live set on 0 user(s) (0 deleted); groupIds added to 0 user(s); memberships not copied again (this schema keeps groupIds up to date).',
      'Hourly activity not counted again (this schema keeps it up to date).',
      'Indexes built (0).',
      'Indexes already present (39).',
      'Indexes dropped (0).',
      'Validators set (0); unchanged (14).',
    ]);
  });

  it('needs MONGODB_URI, and says how to give it', async () => {
    const migrate = jest.fn();
    const error = await mongoCommand(['migrate'], undefined, migrate, print).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^mongo migrate needs MONGODB_URI.*MONGODB_URI=mongodb:\/\/localhost:27017\/roster npm run cli -- mongo migrate$/);
    expect(migrate).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it.each([[[]], [['build']], [['migrate', '--force']]])('refuses %j with its usage', async (args) => {
    await expect(mongoCommand(args, URI, jest.fn(), print)).rejects.toThrow(/^Usage: mongo migrate/);
  });
});
