import { ScimError } from '../../src/scim/errors';

/**
 * Runs a rule expected to refuse, and returns its ScimError after checking the status, the
 * scimType (when given) and that the detail reads as a sentence.
 */
export function refusal(run: () => unknown, status = 400, scimType?: string): ScimError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    const scim = error as ScimError;
    expect(scim.status).toBe(status);
    if (scimType !== undefined) expect(scim.scimType).toBe(scimType);
    expect(scim.detail).toMatch(/^[A-Za-z].{20,}/);
    return scim;
  }
  throw new Error('expected the rule to refuse');
}
