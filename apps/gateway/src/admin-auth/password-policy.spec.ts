import { normalizeUsername, passwordPolicyViolation, usernameViolation } from './password-policy';

describe('admin password and username policy', () => {
  it('requires at least 12 characters and says how many there are', () => {
    expect(passwordPolicyViolation('short pass1', 'alice')).toMatch(/at least 12 characters long \(it has 11\)/);
    expect(passwordPolicyViolation('twelve chars', 'alice')).toBeUndefined();
  });

  it('counts characters, not UTF-16 units or bytes', () => {
    expect(passwordPolicyViolation('🔑'.repeat(11), 'alice')).toMatch(/it has 11/);
    expect(passwordPolicyViolation('🔑'.repeat(12), 'alice')).toBeUndefined();
  });

  it('refuses blank, overlong and username-equal passwords', () => {
    expect(passwordPolicyViolation(' '.repeat(14), 'alice')).toMatch(/only spaces/);
    expect(passwordPolicyViolation('x'.repeat(257), 'alice')).toMatch(/at most 256/);
    expect(passwordPolicyViolation('Operator.Main', 'operator.main')).toMatch(/cannot be the username/);
  });

  it('accepts usernames case-insensitively and refuses odd characters', () => {
    expect(normalizeUsername('  Alice ')).toBe('alice');
    expect(usernameViolation('Alice.Ops@example')).toBeUndefined();
    expect(usernameViolation('')).toBeDefined();
    expect(usernameViolation('has space')).toBeDefined();
    expect(usernameViolation('x'.repeat(65))).toBeDefined();
    expect(usernameViolation('-leading')).toBeDefined();
  });
});
