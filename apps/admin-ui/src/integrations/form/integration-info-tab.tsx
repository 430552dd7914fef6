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
      <AccessControls values={values} errors={errors} readOnly={readOnly} onChange={onChange} />
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

/**
 * Fieldset "Access Controls" (beyond Magento): when the integration's access ends, the addresses it
 * may call from, and its own rate limit. Each is optional; empty means no such control (the platform
 * default for the rate limit).
 */
function AccessControls({
  values,
  errors,
  readOnly,
  onChange,
}: Pick<InfoTabProps, 'values' | 'errors' | 'readOnly' | 'onChange'>) {
  const { t } = useI18n();
  const limit = values.rateLimit;
  return (
    <fieldset className="fieldset">
      <legend>{t('form.controls')}</legend>
      <TextField
        label={t('form.expiresAt')}
        name="expiresAt"
        type="datetime-local"
        value={values.expiresAt}
        onValue={(expiresAt) => onChange({ expiresAt })}
        error={errors.expiresAt}
        note={t('form.expiresAtNote')}
        disabled={readOnly}
      />
      <Field label={t('form.ipAllowList')} error={errors.ipAllowList} note={t('form.ipAllowListNote')}>
        {({ id, describedBy, invalid }) => (
          <textarea
            id={id}
            name="ipAllowList"
            className="input"
            rows={3}
            value={values.ipAllowList}
            onChange={(e) => onChange({ ipAllowList: e.target.value })}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            disabled={readOnly}
            spellCheck={false}
          />
        )}
      </Field>
      <TextField
        label={t('form.rateLimitPerMinute')}
        name="rateLimitPerMinute"
        type="number"
        min={1}
        inputMode="numeric"
        value={limit.requestsPerMinute}
        onValue={(requestsPerMinute) => onChange({ rateLimit: { ...limit, requestsPerMinute } })}
        error={errors.rateLimit}
        note={t('form.rateLimitNote')}
        disabled={readOnly}
      />
      <TextField
        label={t('form.rateLimitBurst')}
        name="rateLimitBurst"
        type="number"
        min={1}
        inputMode="numeric"
        value={limit.burst}
        onValue={(burst) => onChange({ rateLimit: { ...limit, burst } })}
        note={t('form.rateLimitBurstNote')}
        disabled={readOnly}
      />
    </fieldset>
  );
}
