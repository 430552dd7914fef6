/**
 * What an admin password must satisfy. Length is what matters against guessing (NIST 800-63B);
 * composition rules mostly produce `Password1!`, so we do not impose them.
 */
export const PASSWORD_MIN_LENGTH = 12;
// scrypt hashes any length, but a cap keeps a login body from making us hash megabytes.
export const PASSWORD_MAX_LENGTH = 256;

/** A problem with a proposed password, written for the person choosing it; `undefined` when fine. */
export function passwordPolicyViolation(password: string, username: string): string | undefined {
  const length = [...password.normalize('NFKC')].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return `The password must be at least ${PASSWORD_MIN_LENGTH} characters long (it has ${length}). A few unrelated words make a strong one.`;
  }
  if (length > PASSWORD_MAX_LENGTH) return `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  if (password.trim().length === 0) return 'The password cannot be only spaces.';
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) return 'The password cannot be the username.';
  return undefined;
}

/** Admin usernames: lowercase so that `Admin` and `admin` are one account (Magento's are case-insensitive). */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export function usernameViolation(username: string): string | undefined {
  return USERNAME_PATTERN.test(normalizeUsername(username))
    ? undefined
    : 'The username must be 1 to 64 characters: letters, digits, ".", "_", "@" or "-", starting with a letter or digit.';
}
