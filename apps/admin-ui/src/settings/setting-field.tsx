import type { SettingDescription } from '../api/types';
import type { MessageId } from '../i18n/catalogue';
import { useI18n } from '../i18n/use-i18n';
import { Field } from '../ui/field';

interface SettingFieldProps {
  setting: SettingDescription;
  input: string;
  error?: string;
  onInput: (value: string) => void;
  /** Why this admin may not change it (their role), shown under it; the field is then disabled. */
  locked?: string;
}

/**
 * One setting: its label and comment from the catalogue by path (`setting.<path>.label`), or as the
 * config service words them for a setting this UI does not know yet.
 */
export function SettingField({ setting, input, error, onInput, locked }: SettingFieldProps) {
  const { t, intl } = useI18n();
  const own = (part: 'label' | 'description') => {
    const id = `setting.${setting.path}.${part}`;
    return id in intl.messages ? t(id as MessageId) : undefined;
  };
  const label = own('label') ?? setting.label;
  const description = own('description') ?? setting.description;
  const unit = setting.type === 'integer' && setting.unit ? t('config.unit', { unit: setting.unit }) : '';
  // Two messages side by side (not one joined string), each as its catalogue has it.
  const note =
    description || unit || locked ? (
      <>
        {description && <span>{description}</span>}
        {description && unit && ' '}
        {unit && <span>{unit}</span>}
        {locked && (
          <span className="setting-locked" data-locked-reason="">
            {' '}
            {locked}
          </span>
        )}
      </>
    ) : undefined;
  return (
    <Field label={label} error={error} note={note}>
      {({ id, describedBy, invalid }) =>
        setting.type === 'boolean' ? (
          <select
            id={id}
            name={setting.path}
            className="select"
            value={input}
            onChange={(e) => onInput(e.target.value)}
            disabled={locked !== undefined}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          >
            <option value="1">{t('common.yes')}</option>
            <option value="0">{t('common.no')}</option>
          </select>
        ) : (
          <input
            id={id}
            name={setting.path}
            className={`input${setting.type === 'integer' ? ' input-number' : ''}`}
            inputMode={setting.type === 'integer' ? 'numeric' : undefined}
            value={input}
            maxLength={setting.maxLength}
            onChange={(e) => onInput(e.target.value)}
            disabled={locked !== undefined}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        )
      }
    </Field>
  );
}
