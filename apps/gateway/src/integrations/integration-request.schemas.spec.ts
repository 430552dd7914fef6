import { DomainError } from '@integrations/service-kit';
import { listQueryFrom } from './integration-request.schemas';

describe('admin integrations list query', () => {
  it('takes setupType (the reset notice asks for config integrations in status reset)', () => {
    expect(listQueryFrom({ setupType: 'config', status: 'reset', pageSize: '1' })).toEqual({
      setupType: 'config',
      status: 'reset',
      pageSize: 1,
    });
    expect(listQueryFrom({ setupType: 'manual' })).toEqual({ setupType: 'manual' });
  });

  it('refuses an unknown setupType with the allowed values', () => {
    let error: unknown;
    try {
      listQueryFrom({ setupType: 'xml' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    expect((error as Error).message).toContain('setupType must be one of: manual, config');
  });
});
