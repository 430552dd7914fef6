import {
  checkRequired,
  emptyValues,
  fieldErrors,
  firstInvalidTab,
  fromLocalInput,
  toInput,
  toLocalInput,
} from './integration-form.model';

const REQUIRED = 'This is a required field.';

describe('integration form model', () => {
  it("maps the API's error details to fields, nested paths to their field, the rest to page messages", () => {
    const { byField, other } = fieldErrors([
      { field: 'email', message: 'Email is not a valid address.' },
      { field: 'resources', message: 'Unknown ACL resource "A".' },
      { field: 'resources', message: 'Unknown ACL resource "B".' },
      { field: 'resources.3', message: 'A resource id is at most 255 characters.' },
      { field: 'currentPassword', message: 'This is not your current admin password.' },
      { field: 'colour', message: 'Unknown field(s): colour.' },
      { message: 'Something general.' },
    ]);
    expect(byField).toEqual({
      email: 'Email is not a valid address.',
      resources: 'Unknown ACL resource "A". Unknown ACL resource "B". A resource id is at most 255 characters.',
      currentPassword: 'This is not your current admin password.',
    });
    expect(other).toEqual(['Unknown field(s): colour.', 'Something general.']);
  });

  it('words each detail with the given describer (the interface locale), knowing its field', () => {
    const { byField, other } = fieldErrors(
      [
        { field: 'email', code: 'INTEGRATION.EMAIL_INVALID', message: 'Email is not a valid address.' },
        { field: 'colour', message: 'Unknown field(s): colour.' },
      ],
      (detail, field) => `${field ?? '-'}:${detail.code ?? 'none'}`,
    );
    expect(byField).toEqual({ email: 'email:INTEGRATION.EMAIL_INVALID' });
    expect(other).toEqual(['-:none']);
  });

  it('opens the Integration Info tab first when both tabs have errors, else the one that has', () => {
    expect(firstInvalidTab({ resources: 'x', name: 'y' })).toBe('info');
    expect(firstInvalidTab({ resources: 'x' })).toBe('api');
    expect(firstInvalidTab({})).toBeNull();
  });

  it('requires a name and the password before calling the API', () => {
    expect(checkRequired({ ...emptyValues(), name: '   ' }, '', REQUIRED)).toEqual({
      name: REQUIRED,
      currentPassword: REQUIRED,
    });
    expect(checkRequired({ ...emptyValues(), name: 'Shop' }, 'secret', REQUIRED)).toEqual({});
  });

  it('sends blanks as null, trims, and drops the resource list when access is All', () => {
    const values = {
      name: ' Shop ',
      email: ' ',
      callbackUrl: ' https://a.example/cb ',
      identityLinkUrl: '',
      resourceAccess: 'all' as const,
      resources: ['Magento_Sales::sales'],
      expiresAt: '',
      ipAllowList: ' ',
      rateLimit: { requestsPerMinute: '', burst: ' ' },
    };
    expect(toInput(values)).toEqual({
      name: 'Shop',
      email: null,
      callbackUrl: 'https://a.example/cb',
      identityLinkUrl: null,
      resourceAccess: 'all',
      resources: [],
      expiresAt: null,
      ipAllowList: [],
      rateLimit: null,
    });
    expect(toInput({ ...values, resourceAccess: 'custom' }).resources).toEqual(['Magento_Sales::sales']);
  });

  it('sends the controls: the local expiry as an instant, one range a line, a blank burst as the minute limit', () => {
    const input = toInput({
      ...emptyValues(),
      name: 'Shop',
      expiresAt: '2031-05-04T10:30',
      ipAllowList: '203.0.113.0/24\n 2001:db8::/32 \n\n',
      rateLimit: { requestsPerMinute: ' 120 ', burst: '' },
    });
    expect(input.expiresAt).toBe(new Date(2031, 4, 4, 10, 30).toISOString());
    expect(input.ipAllowList).toEqual(['203.0.113.0/24', '2001:db8::/32']);
    expect(input.rateLimit).toEqual({ requestsPerMinute: 120, burst: 120 });
    expect(toLocalInput(input.expiresAt)).toBe('2031-05-04T10:30');
    expect(fromLocalInput('not a date')).toBe('not a date');
  });
});
