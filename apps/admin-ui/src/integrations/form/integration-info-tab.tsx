import { useI18n } from '../../i18n/use-i18n';
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

const isHttp = (url: string) => url.trim().toLowerCase().startsWith('http:');

/**
 * Tab "Integration Info": General, then Current User Identity Verification. The notes under the two
 * URLs say what Magento's say: where the credentials are POSTed (callback), where the admin is sent
 * to link their third-party account (identity link).
 */
export function IntegrationInfoTab({ values, password, errors, readOnly, onChange, onPassword }: InfoTabProps) {
  const { t } = useI18n();
  return (
    <>
      <fieldset className="fieldset">
        <legend>{t('form.general')}</legend>
        <TextField
          label={t('form.name')}
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
          label={t('form.email')}
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
          label={t('form.callbackUrl')}
          name="callbackUrl"
          type="url"
          maxLength={255}
          value={values.callbackUrl}
          onValue={(callbackUrl) => onChange({ callbackUrl })}
          error={errors.callbackUrl}
          note={t(isHttp(values.callbackUrl) ? 'form.notSecureNote' : 'form.callbackUrlNote')}
          disabled={readOnly}
          autoComplete="off"
        />
        <TextField
          label={t('form.identityLinkUrl')}
          name="identityLinkUrl"
          type="url"
          maxLength={255}
          value={values.identityLinkUrl}
          onValue={(identityLinkUrl) => onChange({ identityLinkUrl })}
          error={errors.identityLinkUrl}
          note={t(isHttp(values.identityLinkUrl) ? 'form.notSecureNote' : 'form.identityLinkUrlNote')}
          disabled={readOnly}
          autoComplete="off"
        />
      </fieldset>
      {!readOnly && (
        <fieldset className="fieldset">
          <legend>{t('form.identityVerification')}</legend>
          <Field label={t('form.yourPassword')} required error={errors.currentPassword}>
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
