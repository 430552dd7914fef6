import { checkRequired, emptyValues, fieldErrors, firstInvalidTab, toInput } from './integration-form.model';

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
    };
    expect(toInput(values)).toEqual({
      name: 'Shop',
      email: null,
      callbackUrl: 'https://a.example/cb',
      identityLinkUrl: null,
      resourceAccess: 'all',
      resources: [],
    });
    expect(toInput({ ...values, resourceAccess: 'custom' }).resources).toEqual(['Magento_Sales::sales']);
  });
});
