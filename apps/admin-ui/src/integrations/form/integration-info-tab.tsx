import { Field, TextField } from '../../ui/field';
import type { FormErrors, FormValues } from './integration-form.model';

interface InfoTabProps {
  values: FormValues;
  password: string;
  errors: FormErrors;
  readOnly: boolean;
  onChange: (patch: Partial<FormValues>) => void;
  onPassword: (password: string) => void;
}

const httpWarning = (url: string) =>
  url.trim().toLowerCase().startsWith('http:')
    ? 'Not secure: use https:// so credentials are not sent in clear text.'
    : undefined;

/** Tab "Integration Info": General, then Current User Identity Verification. */
export function IntegrationInfoTab({ values, password, errors, readOnly, onChange, onPassword }: InfoTabProps) {
  return (
    <>
      <fieldset className="fieldset">
        <legend>General</legend>
        <TextField
          label="Name"
          name="name"
          required
          maxLength={255}
          value={values.name}
          onValue={(name) => onChange({ name })}
          error={errors.name}
          disabled={readOnly}
          autoComplete="off"
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          maxLength={254}
          value={values.email}
          onValue={(email) => onChange({ email })}
          error={errors.email}
          disabled={readOnly}
          autoComplete="off"
        />
        <TextField
          label="Callback URL"
          name="callbackUrl"
          type="url"
          maxLength={255}
          value={values.callbackUrl}
          onValue={(callbackUrl) => onChange({ callbackUrl })}
          error={errors.callbackUrl}
          note={
            httpWarning(values.callbackUrl) ??
            'Where the OAuth credentials are sent when the token exchange starts. Use https://.'
          }
          disabled={readOnly}
          autoComplete="off"
        />
        <TextField
          label="Identity link URL"
          name="identityLinkUrl"
          type="url"
          maxLength={255}
          value={values.identityLinkUrl}
          onValue={(identityLinkUrl) => onChange({ identityLinkUrl })}
          error={errors.identityLinkUrl}
          note={
            httpWarning(values.identityLinkUrl) ??
            'The third party’s sign-in page, opened in a new window during activation. Use https://.'
          }
          disabled={readOnly}
          autoComplete="off"
        />
      </fieldset>
      {!readOnly && (
        <fieldset className="fieldset">
          <legend>Current User Identity Verification</legend>
          <Field label="Your Password" required error={errors.currentPassword}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                name="currentPassword"
                className="input"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => onPassword(e.target.value)}
                aria-invalid={invalid || undefined}
                aria-describedby={describedBy}
                aria-required
              />
            )}
          </Field>
        </fieldset>
      )}
    </>
  );
}
