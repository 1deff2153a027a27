/**
 * The MongoDB contract tests run only when MONGODB_URI is set (no MongoDB server can be
 * installed on the development machines). `describeMongo` says so in one line when skipping.
 */
export const MONGODB_URI = process.env.MONGODB_URI;

let announced = false;
export function describeMongo(name: string, body: () => void): void {
  if (MONGODB_URI) return describe(name, body);
  if (!announced) {
    announced = true;
    // One clear line in the test output, as the README promises.
    console.log('MongoDB contract tests skipped: set MONGODB_URI (e.g. mongodb://localhost:27017/roster_test) to run them.');
  }
  describe.skip(name, body);
}
