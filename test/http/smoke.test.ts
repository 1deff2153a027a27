import { startTestApp, userBody, type TestApp } from '../support/test-app';

describe('a running Roster', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  it('creates a user and finds it by userName, case-insensitively', async () => {
    const created = await t.post('/Users', userBody('Smoke.Test'));
    expect(created.status).toBe(201);
    const found = await t.get('/Users?filter=userName eq "smoke.test"');
    expect(found.status).toBe(200);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].userName).toBe('Smoke.Test');
  });
});
