import request from 'supertest';
import { mongo } from 'mongoose';
import { ConfigError, loadConfig } from '../../../src/config/config';
import { createLogger, type Logger } from '../../../src/logger';
import { assemble } from '../../../src/main';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { clientOptions, connectMongo, InvalidConnectionString, redactUri } from '../../../src/store/mongo/connection';
import { guardStore, isConnectivityError, isDuplicateKey, translateError } from '../../../src/store/mongo/mongo-errors';
import { openStore } from '../../../src/store/open-store';
import { DEFAULT_TENANT_ID, StoreUnavailable } from '../../../src/store/port';
import { FakeDatabase, inMemoryMongoStore } from './mingo-collections';

/**
 * What can be checked of the MongoDB adapter's connection handling without a server: the
 * start-up retries against an address where nothing listens (the real driver), the
 * classification of driver errors, and the HTTP answers while the store is out of reach.
 */
const UNREACHABLE = 'mongodb://127.0.0.1:1/roster?directConnection=true';

function recordingLogger() {
  const lines: { level: string; message: string; meta: Record<string, unknown> }[] = [];
  const log = (level: string) => (message: string, meta: Record<string, unknown> = {}) => void lines.push({ level, message, meta });
  const logger = { info: log('info'), warn: log('warn'), debug: log('debug'), error: log('error') } as unknown as Logger;
  return { logger, lines };
}

describe('connecting to MongoDB', () => {
  it('retries the first connection with doubling delays capped at the maximum, logging each attempt, then gives up', async () => {
    const { logger, lines } = recordingLogger();
    const delays: number[] = [];
    const attempt = connectMongo(UNREACHABLE, logger, {
      maxAttempts: 4, initialDelayMs: 500, maxDelayMs: 1500, serverSelectionTimeoutMS: 200,
      sleep: async (ms) => void delays.push(ms),
    });
    await expect(attempt).rejects.toBeInstanceOf(mongo.MongoServerSelectionError);
    expect(delays).toEqual([500, 1000, 1500]);
    expect(lines.filter((l) => l.message === 'connecting to MongoDB').map((l) => l.meta.attempt)).toEqual([1, 2, 3, 4]);
    const retries = lines.filter((l) => l.level === 'warn');
    expect(retries.map((l) => l.meta.retryInMs)).toEqual([500, 1000, 1500]);
    expect(retries.every((l) => l.meta.uri === 'mongodb://127.0.0.1:1/roster')).toBe(true);
  }, 20_000);

  it('doubles from 0.5 s up to 30 s by default', async () => {
    const delays: number[] = [];
    await expect(connectMongo(UNREACHABLE, recordingLogger().logger, { maxAttempts: 9, serverSelectionTimeoutMS: 50, sleep: async (ms) => void delays.push(ms) })).rejects.toThrow();
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  }, 20_000);

  it('does not retry a malformed connection string, which openStore reports as a configuration error', async () => {
    const sleep = jest.fn(async () => undefined);
    for (const uri of ['mongodb://host:notaport/db', 'mongodb://host/db?noSuchOption=1', 'mongodb://host/db?replicaSet=']) {
      await expect(connectMongo(uri, recordingLogger().logger, { sleep })).rejects.toBeInstanceOf(InvalidConnectionString);
    }
    expect(sleep).not.toHaveBeenCalled();
    const config = loadConfig({ MONGODB_URI: 'mongodb://roster:s3cret@host:notaport/db', LOG_LEVEL: 'silent' });
    const error = await openStore(config, loadSchemaRegistry(), createLogger('silent')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^MONGODB_URI is not a valid connection string/);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('builds the client with majority writes bounded by MONGODB_WRITE_TIMEOUT, the configured read concern, and no deprecated option', () => {
    const options = clientOptions({ serverSelectionTimeoutMS: 5_000, readConcern: 'linearizable', writeTimeoutMs: 7_000 });
    expect(options).toMatchObject({ readConcern: { level: 'linearizable' }, writeConcern: { w: 'majority', wtimeoutMS: 7_000 }, retryWrites: true, retryReads: true });
    // The 7.x driver ignores timeoutMS ("has no effect") and warns about it: operations carry maxTimeMS instead (time-limit.ts).
    expect(options).not.toHaveProperty('timeoutMS');
    const warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const client = new mongo.MongoClient('mongodb://db1:27017/roster', options);
      expect(client.readConcern?.level).toBe('linearizable');
      expect(client.writeConcern).toMatchObject({ w: 'majority', wtimeoutMS: 7_000 });
      expect(warnings).not.toHaveBeenCalled();
      // The spy sees the driver's deprecation warnings: this one would be reported.
      void new mongo.MongoClient('mongodb://db1:27017/roster', { ...options, timeoutMS: 10_000 } as mongo.MongoClientOptions);
      expect(warnings).toHaveBeenCalledWith(expect.stringMatching(/timeoutMS is a deprecated option/), expect.anything());
    } finally {
      warnings.mockRestore();
    }
  });

  it('keeps credentials and options out of what it logs and describes', () => {
    expect(redactUri('mongodb://roster:s3cret@db1:27017,db2:27017/roster?replicaSet=rs0&authSource=admin')).toBe('mongodb://db1:27017,db2:27017/roster');
    expect(redactUri('mongodb+srv://u:p@cluster0.example.net/?retryWrites=true')).toBe('mongodb+srv://cluster0.example.net/');
    expect(redactUri('mongodb://localhost')).toBe('mongodb://localhost');
  });
});

describe('driver errors', () => {
  const duplicate = (keyPattern?: Record<string, number>) => new mongo.MongoServerError({
    message: 'E11000 duplicate key error collection: roster.users index: userNameKey_unique dup key: { userNameKey: "ada" }',
    code: 11000,
    ...(keyPattern ? { keyPattern } : {}),
  });

  it('tells a lost database from everything else', () => {
    expect(isConnectivityError(new mongo.MongoNetworkError('socket closed'))).toBe(true);
    expect(isConnectivityError(new mongo.MongoNetworkTimeoutError('timed out'))).toBe(true);
    expect(isConnectivityError(new mongo.MongoServerError({ message: 'not primary', code: 10107 }))).toBe(true);
    expect(isConnectivityError(new mongo.MongoServerError({ message: 'stepped down', code: 189 }))).toBe(true);
    expect(isConnectivityError(new mongo.MongoServerError({ message: 'x', code: 1, errorLabels: ['RetryableWriteError'] }))).toBe(true);
    expect(isConnectivityError(Object.assign(new Error('getaddrinfo ENOTFOUND db'), { code: 'ENOTFOUND' }))).toBe(true);
    expect(isConnectivityError(duplicate({ userNameKey: 1 }))).toBe(false);
    expect(isConnectivityError(new mongo.MongoServerError({ message: 'bad query', code: 2 }))).toBe(false);
    expect(isConnectivityError(new TypeError('bug'))).toBe(false);
  });

  const server = (code: number, codeName: string) => new mongo.MongoServerError({ message: codeName, code, codeName });
  const labelled = (label: string) => new mongo.MongoServerError({ message: label, code: 112, errorLabels: [label] });
  it.each<[string, boolean, unknown]>([
    ['MaxTimeMSExpired (50): MONGODB_TIMEOUT ran out', true, server(50, 'MaxTimeMSExpired')],
    ['FailedToSatisfyReadPreference (133): mongos found no primary of a shard', true, server(133, 'FailedToSatisfyReadPreference')],
    ['NetworkInterfaceExceededTimeLimit (202): mongos waited too long for a shard', true, server(202, 'NetworkInterfaceExceededTimeLimit')],
    ['ExceededTimeLimit (262)', true, server(262, 'ExceededTimeLimit')],
    ['WriteConcernFailed (64): no majority within MONGODB_WRITE_TIMEOUT', true, server(64, 'WriteConcernFailed')],
    ['a write concern error riding beside a write: maxTimeMS ran out waiting for the majority', true, Object.assign(server(11000, 'x'), { writeConcernError: { code: 50 } })],
    ['the driver\'s own operation timeout', true, new mongo.MongoOperationTimeoutError('Timed out')],
    ['a transaction still conflicting after withTransaction\'s retries', true, labelled('TransientTransactionError')],
    ['a commit whose outcome is unknown', true, labelled('UnknownTransactionCommitResult')],
    ['WriteConflict (112) without a label', false, server(112, 'WriteConflict')],
    ['DocumentValidationFailure (121): a document the schema refuses is a bug', false, server(121, 'DocumentValidationFailure')],
    ['BadValue (2)', false, server(2, 'BadValue')],
  ])('%s → 503 with Retry-After: %s', (_case, unavailable, error) => {
    expect(isConnectivityError(error)).toBe(unavailable);
    const translated = translateError(error);
    if (unavailable) expect(translated).toMatchObject({ name: 'StoreUnavailable', retryAfterSeconds: 5, cause: error });
    else expect(translated).toBe(error);
  });

  it('turns connectivity errors into StoreUnavailable with the cause, and leaves others alone', async () => {
    const cause = new mongo.MongoNetworkError('socket closed');
    expect(translateError(cause)).toMatchObject({ name: 'StoreUnavailable', retryAfterSeconds: 5, cause });
    const bug = new TypeError('bug');
    expect(translateError(bug)).toBe(bug);
    const guarded = guardStore({ fail: async () => { throw cause; }, bug: async () => { throw bug; }, ok: async (n: number) => n + 1 });
    await expect(guarded.fail()).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(guarded.bug()).rejects.toBe(bug);
    await expect(guarded.ok(1)).resolves.toBe(2);
  });

  it('recognises a duplicate key on a given field, from keyPattern or else the message', () => {
    expect(isDuplicateKey(duplicate({ userNameKey: 1 }), 'userNameKey')).toBe(true);
    expect(isDuplicateKey(duplicate({ userNameKey: 1 }), 'displayNameKey')).toBe(false);
    expect(isDuplicateKey(duplicate(), 'userNameKey')).toBe(true);
    expect(isDuplicateKey(duplicate(), 'displayNameKey')).toBe(false);
    expect(isDuplicateKey(new mongo.MongoServerError({ message: 'userNameKey', code: 2 }), 'userNameKey')).toBe(false);
  });
});

describe('HTTP while the store is out of reach', () => {
  it('answers 503 with Retry-After and a SCIM error, /readyz 503, /healthz 200; all well again once it is back', async () => {
    const database = new FakeDatabase();
    const store = inMemoryMongoStore(database);
    const { application, app } = assemble({ config: loadConfig({ LOG_LEVEL: 'silent' }), store, registry: loadSchemaRegistry(), logger: createLogger('silent') });
    const directory = await application.enter({ kind: 'operator', tokenId: 'test', tokenName: 'test' }, DEFAULT_TENANT_ID, 'test');
    const { secret } = await directory.tokens.create('test');
    const get = (path: string) => request(app).get(path).set('Authorization', `Bearer ${secret}`);

    expect((await request(app).get('/readyz')).status).toBe(200);
    expect((await get('/scim/v2/Users')).status).toBe(200);

    database.unreachable = true;
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.headers['retry-after']).toBe('5');
    expect((await request(app).get('/healthz')).status).toBe(200);
    const users = await get('/scim/v2/Users');
    expect(users.status).toBe(503);
    expect(users.headers['retry-after']).toBe('5');
    expect(users.headers['content-type']).toMatch(/application\/scim\+json/);
    expect(users.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503', detail: expect.stringMatching(/out of reach/) });

    database.unreachable = false;
    expect((await request(app).get('/readyz')).status).toBe(200);
    expect((await get('/scim/v2/Users')).status).toBe(200);
  });
});
