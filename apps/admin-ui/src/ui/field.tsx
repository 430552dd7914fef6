import { type InputHTMLAttributes, type ReactNode, useId } from 'react';

interface FieldProps {
  label: string;
  error?: string;
  note?: ReactNode;
  required?: boolean;
  /** Renders the control; receives the ids to wire label, note and error. */
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** A labelled form row: label, control, optional note, and the field's error right under it. */
export function Field({ label, error, note, required, children }: FieldProps) {
  const id = useId();
  const noteId = `${id}-note`;
  const errorId = `${id}-error`;
  const describedBy = [note ? noteId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
        {required && (
          <span className="required-mark" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      <div className="field-control">
        {children({ id, describedBy, invalid: Boolean(error) })}
        {error && (
          <div className="field-error" id={errorId}>
            {error}
          </div>
        )}
        {note && (
          <div className="field-note" id={noteId}>
            {note}
          </div>
        )}
      </div>
    </div>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'> & {
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string;
  note?: ReactNode;
};

export function TextField({ label, value, onValue, error, note, required, ...input }: TextFieldProps) {
  return (
    <Field label={label} error={error} note={note} required={required}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          className="input"
          value={value}
          onChange={(event) => onValue(event.target.value)}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          aria-required={required || undefined}
          {...input}
        />
      )}
    </Field>
  );
}
