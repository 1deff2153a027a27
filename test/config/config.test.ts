import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, settings } from '../../src/config/config';

describe('loadConfig', () => {
  it('gives every setting its default when the environment sets nothing', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      basePath: '/scim/v2',
      sqlitePath: './data/roster.db',
      mongodbUri: undefined,
      mongodbReadConcern: 'majority',
      mongodbWriteTimeoutMs: 10_000,
      mongodbTimeoutMs: 10_000,
      bootstrapToken: undefined,
      logLevel: 'info',
      maxBodyBytes: 1024 * 1024,
      maxPageSize: 1000,
      trustProxy: 0,
      maxRoles: 25,
      usernameImmutable: false,
      requiredUserAttributes: ['name.givenName', 'name.familyName', 'emails'],
      usernameFormat: 'any',
      oauthTokenTtlMs: 3_600_000,
      metricsToken: undefined,
      retentionDeletedDays: 30,
      retentionInactiveDays: undefined,
      bulkMaxOperations: 1000,
      bulkMaxPayloadBytes: 1048576,
      host: '0.0.0.0',
      publicUrl: undefined,
      shutdownTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
      maxMultiValues: 100,
      maxStringLength: 2048,
      maxNameLength: 256,
      maxPatchOperations: 1000,
      maxFilterTerms: 100,
      rateLimitPerToken: 100,
      rateLimitAuthFailures: 20,
      eventsRetentionDays: 90,
      webhookAllowPrivate: false,
      webhookTimeoutMs: 10_000,
      webhookRetryWindowMs: 86_400_000,
      webhookDisableAfter: 10,
      consoleEnabled: true,
      consolePath: '/console',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      SCIM_BASE_PATH: '/api/scim/',
      SQLITE_PATH: '/var/lib/roster/roster.db',
      MONGODB_URI: 'mongodb+srv://cluster.example.net/roster',
      MONGODB_READ_CONCERN: 'Linearizable',
      MONGODB_WRITE_TIMEOUT: '30s',
      MONGODB_TIMEOUT: '2500ms',
      SCIM_BOOTSTRAP_TOKEN: 'x'.repeat(32),
      LOG_LEVEL: 'DEBUG',
      MAX_BODY_BYTES: '2048',
      MAX_PAGE_SIZE: '50',
      TRUST_PROXY: 'true',
      MAX_ROLES: '10',
      USERNAME_IMMUTABLE: 'true',
      REQUIRED_USER_ATTRIBUTES: ' emails , name.familyName',
      USERNAME_FORMAT: 'email',
      OAUTH_TOKEN_TTL: '6h',
      METRICS_TOKEN: 'm'.repeat(32),
      RETENTION_DELETED_DAYS: '90',
      RETENTION_INACTIVE_DAYS: '365',
      BULK_MAX_OPERATIONS: '50',
      BULK_MAX_PAYLOAD_BYTES: '65536',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://scim.example.com/',
      SHUTDOWN_TIMEOUT: '3s',
      REQUEST_TIMEOUT: '2m',
      HEADERS_TIMEOUT: '5',
      KEEP_ALIVE_TIMEOUT: '1500ms',
      MAX_MULTI_VALUES: '20',
      MAX_STRING_LENGTH: '512',
      MAX_NAME_LENGTH: '64',
      MAX_PATCH_OPERATIONS: '50',
      MAX_FILTER_TERMS: '10',
      RATE_LIMIT_PER_TOKEN: 'off',
      RATE_LIMIT_AUTH_FAILURES: '5',
      EVENTS_RETENTION_DAYS: 'off',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_TIMEOUT: '3s',
      WEBHOOK_RETRY_WINDOW: '2h',
      WEBHOOK_DISABLE_AFTER: '3',
      CONSOLE_ENABLED: 'false',
      CONSOLE_PATH: '/admin-ui/',
    });
    expect(config).toEqual({
      port: 8080,
      basePath: '/api/scim',
      sqlitePath: '/var/lib/roster/roster.db',
      mongodbUri: 'mongodb+srv://cluster.example.net/roster',
      mongodbReadConcern: 'linearizable',
      mongodbWriteTimeoutMs: 30_000,
      mongodbTimeoutMs: 2_500,
      bootstrapToken: 'x'.repeat(32),
      logLevel: 'debug',
      maxBodyBytes: 2048,
      maxPageSize: 50,
      trustProxy: 1,
      maxRoles: 10,
      usernameImmutable: true,
      requiredUserAttributes: ['name.familyName', 'emails'],
      usernameFormat: 'email',
      oauthTokenTtlMs: 21_600_000,
      metricsToken: 'm'.repeat(32),
      retentionDeletedDays: 90,
      retentionInactiveDays: 365,
      bulkMaxOperations: 50,
      bulkMaxPayloadBytes: 65536,
      host: '127.0.0.1',
      publicUrl: 'https://scim.example.com',
      shutdownTimeoutMs: 3_000,
      requestTimeoutMs: 120_000,
      headersTimeoutMs: 5_000,
      keepAliveTimeoutMs: 1_500,
      maxMultiValues: 20,
      maxStringLength: 512,
      maxNameLength: 64,
      maxPatchOperations: 50,
      maxFilterTerms: 10,
      rateLimitPerToken: undefined,
      rateLimitAuthFailures: 5,
      eventsRetentionDays: undefined,
      webhookAllowPrivate: true,
      webhookTimeoutMs: 3_000,
      webhookRetryWindowMs: 7_200_000,
      webhookDisableAfter: 3,
      consoleEnabled: false,
      consolePath: '/admin-ui',
    });
  });

  it.each([
    ['true', true], ['TRUE', true], ['1', true], ['yes', true],
    ['false', false], ['0', false], ['no', false], ['', false],
  ])('reads the booleans TRUST_PROXY and USERNAME_IMMUTABLE=%j as %s (TRUST_PROXY true is one proxy)', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).trustProxy).toBe(expected ? 1 : 0);
    expect(loadConfig({ USERNAME_IMMUTABLE: raw }).usernameImmutable).toBe(expected);
  });

  it.each([['none', []], ['NONE', []], ['emails', ['emails']], ['name.familyName,name.givenName', ['name.givenName', 'name.familyName']]])(
    'reads REQUIRED_USER_ATTRIBUTES=%j as %j (userName is always required besides)', (raw, expected) => {
      expect(loadConfig({ REQUIRED_USER_ATTRIBUTES: raw }).requiredUserAttributes).toEqual(expected);
    });

  it.each([['0', 0], ['1', 1], ['2', 2], ['10', 10]])('reads TRUST_PROXY=%j as %s proxies', (raw, hops) => {
    expect(loadConfig({ TRUST_PROXY: raw }).trustProxy).toBe(hops);
  });

  it.each([['off', undefined], ['OFF', undefined], [' off ', undefined], ['1', 1], ['7', 7], ['36500', 36500]])(
    'reads the retention periods RETENTION_DELETED_DAYS and RETENTION_INACTIVE_DAYS=%j as %s', (raw, expected) => {
      expect(loadConfig({ RETENTION_DELETED_DAYS: raw }).retentionDeletedDays).toBe(expected);
      expect(loadConfig({ RETENTION_INACTIVE_DAYS: raw }).retentionInactiveDays).toBe(expected);
    },
  );

  it('ignores variables it does not know', () => {
    expect(loadConfig({ HOME: '/root', NODE_ENV: 'production' })).toEqual(loadConfig({}));
  });

  it('reads process.env when given no environment', () => {
    const saved = process.env.MAX_PAGE_SIZE;
    process.env.MAX_PAGE_SIZE = '77';
    try {
      expect(loadConfig().maxPageSize).toBe(77);
    } finally {
      if (saved === undefined) delete process.env.MAX_PAGE_SIZE;
      else process.env.MAX_PAGE_SIZE = saved;
    }
  });

  it('returns a frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => { (config as { port: number }).port = 1; }).toThrow(TypeError);
    expect(Object.isFrozen(loadConfig({}, { maxPageSize: 5 }))).toBe(true);
  });

  it('applies overrides over the environment', () => {
    expect(loadConfig({ MAX_PAGE_SIZE: '10' }, { maxPageSize: 20 }).maxPageSize).toBe(20);
  });

  it.each([
    ['PORT', 'abc', /whole number from 0 to 65535/],
    ['PORT', '70000', /whole number from 0 to 65535/],
    ['PORT', '-1', /whole number from 0 to 65535/],
    ['PORT', '80.5', /whole number from 0 to 65535/],
    ['PORT', '', /whole number from 0 to 65535/],
    ['MAX_PAGE_SIZE', '0', /whole number from 1 to 100000/],
    ['MAX_PAGE_SIZE', '1e3', /whole number from 1 to 100000/],
    ['MAX_BODY_BYTES', '10', /whole number from 1024 to/],
    ['LOG_LEVEL', 'loud', /one of error, warn, info, debug, silent/],
    ['TRUST_PROXY', 'maybe', /true \(one proxy\), false, or the number of proxies/],
    ['TRUST_PROXY', '11', /true \(one proxy\), false, or the number of proxies/],
    ['TRUST_PROXY', '-1', /true \(one proxy\), false, or the number of proxies/],
    ['USERNAME_IMMUTABLE', 'maybe', /use true or false/],
    ['REQUIRED_USER_ATTRIBUTES', 'emial', /comma-separated list of name.givenName, name.familyName, emails, or none/],
    ['REQUIRED_USER_ATTRIBUTES', '', /comma-separated list of name.givenName, name.familyName, emails, or none/],
    ['REQUIRED_USER_ATTRIBUTES', 'emails,phoneNumbers', /comma-separated list/],
    ['USERNAME_FORMAT', 'upn', /one of any, email/],
    ['OAUTH_TOKEN_TTL', '30m', /duration from 3600s to 21600s/],
    ['OAUTH_TOKEN_TTL', '7h', /duration from 3600s to 21600s/],
    ['METRICS_TOKEN', 'short', /at least 32 characters/],
    ['MAX_ROLES', 'many', /whole number from 0 to 1000/],
    ['MAX_ROLES', '-1', /whole number from 0 to 1000/],
    ['MAX_ROLES', '1001', /whole number from 0 to 1000/],
    ['MAX_ROLES', '2.5', /whole number from 0 to 1000/],
    ['RETENTION_DELETED_DAYS', 'never', /number of days from 1 to 36500, or off/],
    ['RETENTION_DELETED_DAYS', '-5', /number of days from 1 to 36500, or off/],
    ['RETENTION_DELETED_DAYS', '1.5', /number of days from 1 to 36500, or off/],
    // 00 once parsed to 0 and erased every deleted user at the first sweep: only 1–36500 or off.
    ['RETENTION_DELETED_DAYS', '00', /number of days from 1 to 36500, or off/],
    ['RETENTION_DELETED_DAYS', '0', /number of days from 1 to 36500, or off/],
    ['RETENTION_DELETED_DAYS', '', /number of days from 1 to 36500, or off/],
    ['RETENTION_DELETED_DAYS', '030', /number of days from 1 to 36500, or off/],
    ['RETENTION_DELETED_DAYS', '+5', /number of days from 1 to 36500, or off/],
    ['RETENTION_DELETED_DAYS', '1e2', /number of days from 1 to 36500, or off/],
    ['RETENTION_INACTIVE_DAYS', '0', /number of days from 1 to 36500, or off/],
    ['RETENTION_DELETED_DAYS', '36501', /number of days from 1 to 36500, or off/],
    ['RETENTION_INACTIVE_DAYS', 'soon', /number of days from 1 to 36500, or off/],
    ['RETENTION_INACTIVE_DAYS', '36501', /number of days from 1 to 36500, or off/],
    ['SCIM_BASE_PATH', 'no-slash', /URL path such as \/scim\/v2/],
    ['SCIM_BASE_PATH', '/scim v2', /URL path such as \/scim\/v2/],
    ['SCIM_BASE_PATH', '/', /URL path such as \/scim\/v2/],
    ['SCIM_BOOTSTRAP_TOKEN', 'too-short', /at least 32 characters/],
    ['SCIM_BOOTSTRAP_TOKEN', '   ', /empty/],
    ['MONGODB_URI', 'http://x', /mongodb:\/\/ or mongodb\+srv:\/\//],
    ['MONGODB_READ_CONCERN', 'available', /one of majority, local, linearizable/],
    ['MONGODB_READ_CONCERN', 'snapshot', /one of majority, local, linearizable/],
    ['MONGODB_WRITE_TIMEOUT', '0', /duration from 1s to 600s/],
    ['MONGODB_WRITE_TIMEOUT', 'forever', /duration from 1s to 600s/],
    ['MONGODB_TIMEOUT', '999ms', /duration from 1s to 600s/],
    ['MONGODB_TIMEOUT', '11m', /duration from 1s to 600s/],
    ['SQLITE_PATH', '', /empty/],
    ['BULK_MAX_OPERATIONS', '0', /whole number from 1 to 100000/],
    ['BULK_MAX_OPERATIONS', '100001', /whole number from 1 to 100000/],
    ['BULK_MAX_OPERATIONS', 'lots', /whole number from 1 to 100000/],
    ['BULK_MAX_PAYLOAD_BYTES', '1023', /whole number from 1024 to 1073741824/],
    ['BULK_MAX_PAYLOAD_BYTES', '1MB', /whole number from 1024 to 1073741824/],
    ['BULK_MAX_PAYLOAD_BYTES', '1073741825', /whole number from 1024 to 1073741824/],
    ['HOST', 'evil host', /IP address such as 0.0.0.0/],
    ['HOST', '', /empty/],
    ['PUBLIC_URL', 'scim.example.com', /such as https:\/\/scim.example.com/],
    ['PUBLIC_URL', 'ftp://scim.example.com', /such as https:\/\/scim.example.com/],
    ['PUBLIC_URL', 'https://scim.example.com/?x=1', /no query/],
    ['PUBLIC_URL', 'https://scim.example.com/#top', /no query/],
    ['PUBLIC_URL', 'https://user:pw@scim.example.com', /credentials/],
    ['SHUTDOWN_TIMEOUT', 'soon', /duration from 0s to 600s/],
    ['SHUTDOWN_TIMEOUT', '601s', /duration from 0s to 600s/],
    ['REQUEST_TIMEOUT', '0', /duration from 1s to 3600s/],
    ['HEADERS_TIMEOUT', '-1s', /duration from 1s to 3600s/],
    ['KEEP_ALIVE_TIMEOUT', '2h', /duration from 1s to 3600s/],
    ['MAX_MULTI_VALUES', '0', /whole number from 1 to 100000/],
    ['MAX_STRING_LENGTH', '15', /whole number from 16 to 1000000/],
    ['MAX_NAME_LENGTH', 'long', /whole number from 16 to 1000000/],
    ['MAX_FILTER_TERMS', '0', /whole number from 1 to 10000/],
    ['MAX_PATCH_OPERATIONS', '0', /whole number from 1 to 100000/],
    ['RATE_LIMIT_PER_TOKEN', '0', /number of requests per second from 1 to 1000000, or off/],
    ['RATE_LIMIT_PER_TOKEN', 'fast', /number of requests per second from 1 to 1000000, or off/],
    ['RATE_LIMIT_AUTH_FAILURES', '-3', /number of failures per minute from 1 to 1000000, or off/],
    ['WEBHOOK_TIMEOUT', '2m', /duration from 1s to 60s/],
    ['WEBHOOK_RETRY_WINDOW', '30s', /duration from 60s to 604800s/],
    ['WEBHOOK_DISABLE_AFTER', '0', /whole number from 1 to 10000/],
  ])('refuses %s=%j with a ConfigError naming the variable and what is allowed', (variable, value, allowed) => {
    let thrown: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const message = (thrown as ConfigError).message;
    expect(message).toContain(variable);
    expect(message).toMatch(allowed);
    expect((thrown as ConfigError).name).toBe('ConfigError');
  });

  it('does not repeat a secret it refuses in its message', () => {
    expect(() => loadConfig({ SCIM_BOOTSTRAP_TOKEN: 'short-secret' })).toThrow(ConfigError);
    try {
      loadConfig({ SCIM_BOOTSTRAP_TOKEN: 'short-secret' });
    } catch (error) {
      expect((error as Error).message).not.toContain('short-secret');
    }
    try {
      loadConfig({ MONGODB_URI: 'http://user:pa55word@db.example' });
    } catch (error) {
      expect((error as Error).message).not.toContain('pa55word');
    }
  });

  it.each([['PORT', '0'], ['PORT', '65535'], ['MAX_PAGE_SIZE', '1'], ['MAX_PAGE_SIZE', '100000'], ['MAX_BODY_BYTES', '1024'],
    ['MAX_ROLES', '0'], ['MAX_ROLES', '1000'], ['RETENTION_DELETED_DAYS', '36500'], ['RETENTION_INACTIVE_DAYS', '1'],
    ['BULK_MAX_OPERATIONS', '1'], ['BULK_MAX_OPERATIONS', '100000'], ['BULK_MAX_PAYLOAD_BYTES', '1024'], ['BULK_MAX_PAYLOAD_BYTES', '1073741824'],
    ['MONGODB_TIMEOUT', '1s'], ['MONGODB_TIMEOUT', '10m'], ['MONGODB_WRITE_TIMEOUT', '1000ms'], ['MONGODB_WRITE_TIMEOUT', '600']])(
    'accepts the boundary value %s=%s', (variable, value) => {
      expect(() => loadConfig({ [variable]: value })).not.toThrow();
    },
  );

  it('documents every setting with its variable', () => {
    const variables = Object.values(settings).map((s) => s.variable);
    expect(variables.sort()).toEqual([
      'BULK_MAX_OPERATIONS', 'BULK_MAX_PAYLOAD_BYTES', 'EVENTS_RETENTION_DAYS', 'HEADERS_TIMEOUT', 'HOST', 'KEEP_ALIVE_TIMEOUT', 'LOG_LEVEL', 'MAX_BODY_BYTES',
      'MAX_FILTER_TERMS', 'MAX_MULTI_VALUES', 'MAX_NAME_LENGTH', 'MAX_PAGE_SIZE', 'MAX_PATCH_OPERATIONS', 'MAX_ROLES', 'MAX_STRING_LENGTH',
      'METRICS_TOKEN', 'MONGODB_READ_CONCERN', 'MONGODB_TIMEOUT', 'MONGODB_URI', 'MONGODB_WRITE_TIMEOUT', 'OAUTH_TOKEN_TTL', 'PORT',
      'PUBLIC_URL', 'RATE_LIMIT_AUTH_FAILURES', 'RATE_LIMIT_PER_TOKEN', 'REQUEST_TIMEOUT', 'REQUIRED_USER_ATTRIBUTES', 'RETENTION_DELETED_DAYS', 'RETENTION_INACTIVE_DAYS',
      'SCIM_BASE_PATH', 'SCIM_BOOTSTRAP_TOKEN', 'SHUTDOWN_TIMEOUT', 'SQLITE_PATH', 'TRUST_PROXY', 'USERNAME_FORMAT', 'USERNAME_IMMUTABLE',
      'WEBHOOK_ALLOW_PRIVATE', 'WEBHOOK_DISABLE_AFTER', 'WEBHOOK_RETRY_WINDOW', 'WEBHOOK_TIMEOUT', 'CONSOLE_ENABLED', 'CONSOLE_PATH',
    ].sort());
    for (const setting of Object.values(settings)) expect(setting.doc.length).toBeGreaterThan(0);
  });

  it('has a row in the README configuration table for every variable, and no row for a variable it does not read', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.values(settings).map((s) => s.variable).sort());
  });

  describe('the console\'s path (CONSOLE_PATH)', () => {
    it.each([
      ['/console/', '/console'], ['/admin-console', '/admin-console'], ['/ui/roster', '/ui/roster'],
    ])('takes %s as %s', (raw, path) => {
      expect(loadConfig({ CONSOLE_PATH: raw }).consolePath).toBe(path);
    });

    it.each([
      ['/admin', {}], ['/admin/console', {}], ['/oauth', {}], ['/healthz', {}], ['/metrics', {}], ['console', {}],
      ['/scim/v2', {}], ['/scim', {}], ['/scim/v2/console', {}], ['/api', { SCIM_BASE_PATH: '/api/scim' }],
    ])('refuses %s (env %j): the path belongs to the server or SCIM', (raw, env) => {
      expect(() => loadConfig({ ...env, CONSOLE_PATH: raw })).toThrow(/CONSOLE_PATH/);
    });

    it('is served unless CONSOLE_ENABLED=false', () => {
      expect(loadConfig({ CONSOLE_ENABLED: 'false' }).consoleEnabled).toBe(false);
      expect(() => loadConfig({ CONSOLE_ENABLED: 'maybe' })).toThrow(/CONSOLE_ENABLED/);
    });
  });
});
