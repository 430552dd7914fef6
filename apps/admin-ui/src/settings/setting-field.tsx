import type { SettingDescription } from '../api/types';
import { Field } from '../ui/field';

interface SettingFieldProps {
  setting: SettingDescription;
  input: string;
  error?: string;
  onInput: (value: string) => void;
}

export function SettingField({ setting, input, error, onInput }: SettingFieldProps) {
  const note = [setting.description, setting.type === 'integer' && setting.unit ? `In ${setting.unit}.` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <Field label={setting.label} error={error} note={note || undefined}>
      {({ id, describedBy, invalid }) =>
        setting.type === 'boolean' ? (
          <select
            id={id}
            name={setting.path}
            className="select"
            value={input}
            onChange={(e) => onInput(e.target.value)}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          >
            <option value="1">Yes</option>
            <option value="0">No</option>
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
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        )
      }
    </Field>
  );
}
