import type { z } from 'zod';
import { DeleteIntegrationQuerySchema, ExpectedVersionSchema } from './integration-change.contract';
import {
  IntegrationHistoryQuerySchema,
  IntegrationListFiltersSchema,
  ListIntegrationsQuerySchema,
} from './integration-view.contract';

/** `[field, message]` of each issue, or the parsed value. */
function outcome(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  return result.success
    ? { value: result.data }
    : { issues: result.error.issues.map((issue) => [issue.path.join('.'), issue.message]) };
}

describe('the list query (gateway and registry parse it alike)', () => {
  it('fills in the sort and page defaults and reads numbers from text', () => {
    expect(outcome(IntegrationListFiltersSchema, { setupType: 'config', status: 'reset', pageSize: '1' })).toEqual({
      value: { setupType: 'config', status: 'reset', sort: 'createdAt', page: 1, pageSize: 1 },
    });
  });

  it.each([
    [{ setupType: 'xml' }, 'setupType', 'setupType must be one of: manual, config'],
    [{ status: 'Active' }, 'status', 'status must be one of: inactive, active, reset'],
    [{ sort: '+name' }, 'sort', expect.stringContaining('sort must be one of: name, -name,')],
    [{ page: '0' }, 'page', 'page must be between 1 and 1000000'],
    [{ page: '1.5' }, 'page', 'page must be a whole number'],
    [{ page: ['1', '2'] }, 'page', 'page must be given once, as a whole number'],
    [{ pageSize: '201' }, 'pageSize', 'pageSize must be between 1 and 200'],
    [{ name: ['a', 'b'] }, 'name', 'name must be given once, as text'],
    [{ name: 'x'.repeat(256) }, 'name', 'name must be at most 255 characters'],
    [{ foo: '1' }, '', 'Unrecognized key: "foo"'],
  ])('refuses %p naming the parameter and what it takes', (query, field, message) => {
    expect(outcome(IntegrationListFiltersSchema, query)).toEqual({ issues: [[field, message]] });
  });

  it('takes the read-your-writes mark only whole, and only on the internal query', () => {
    expect(outcome(ListIntegrationsQuerySchema, { minVersion: '3', minVersionId: 'abc' })).toMatchObject({
      value: { minVersion: 3, minVersionId: 'abc' },
    });
    expect(outcome(ListIntegrationsQuerySchema, { minVersion: '3' })).toEqual({
      issues: [['minVersion', 'minVersion and minVersionId go together: pass both or neither.']],
    });
    expect(outcome(IntegrationListFiltersSchema, { minVersion: '3' })).toMatchObject({
      issues: [['', expect.any(String)]],
    });
  });

  it('pages history by 50 unless asked otherwise', () => {
    expect(outcome(IntegrationHistoryQuerySchema, {})).toEqual({ value: { page: 1, pageSize: 50 } });
  });
});

describe('the expected version (If-Match and expectedVersion)', () => {
  it.each([
    ['"3"', 3],
    ['3', 3],
    ['W/"3"', 3],
    [' 12 ', 12],
    ['*', undefined],
    ['', undefined],
  ])('reads If-Match %p as %p', (header, version) => {
    expect(outcome(ExpectedVersionSchema, { 'If-Match': header })).toEqual({ value: version });
  });

  it.each(['yesterday', '0', '"03"', '-1', '3, 4'])('refuses If-Match %p, naming the header', (header) => {
    expect(outcome(ExpectedVersionSchema, { 'If-Match': header })).toEqual({
      issues: [['If-Match', 'If-Match must be the integration version you last read, e.g. "3".']],
    });
  });

  it('takes the body or query version when there is no header, and refuses two that disagree', () => {
    expect(outcome(ExpectedVersionSchema, { expectedVersion: 4 })).toEqual({ value: 4 });
    expect(outcome(ExpectedVersionSchema, { 'If-Match': '"4"', expectedVersion: 4 })).toEqual({ value: 4 });
    expect(outcome(ExpectedVersionSchema, { 'If-Match': '"3"', expectedVersion: 4 })).toEqual({
      issues: [['expectedVersion', 'expectedVersion and If-Match disagree; send one of them.']],
    });
    expect(outcome(DeleteIntegrationQuerySchema, { expectedVersion: 'abc' })).toEqual({
      issues: [['expectedVersion', 'expectedVersion must be a whole number']],
    });
  });
});
