import { useState } from 'react';
import type { Credentials } from '../../api/types';
import { Modal } from '../../ui/modal';

const FIELDS: Array<[keyof Credentials, string]> = [
  ['consumerKey', 'Consumer Key'],
  ['consumerSecret', 'Consumer Secret'],
  ['accessToken', 'Access Token'],
  ['accessTokenSecret', 'Access Token Secret'],
];

/** "Integration Tokens for Extensions": the four credentials, shown this once. */
export function TokensDialog({
  name,
  credentials,
  onDone,
}: {
  name: string;
  credentials: Credentials;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState<keyof Credentials | null>(null);
  const [copyError, setCopyError] = useState(false);

  const copy = async (field: keyof Credentials) => {
    try {
      await navigator.clipboard.writeText(credentials[field]);
      setCopied(field);
      setCopyError(false);
    } catch {
      // Clipboard refused (permissions, insecure context): select the text so Ctrl+C works.
      const input = document.getElementById(`credential-${field}`) as HTMLInputElement | null;
      input?.select();
      setCopyError(true);
    }
  };

  return (
    <Modal
      title="Integration Tokens for Extensions"
      onClose={onDone}
      className="tokens-dialog"
      initialFocus=".tokens-done"
      actions={
        <button type="button" className="button button-primary tokens-done" onClick={onDone}>
          Done
        </button>
      }
    >
      <p>
        Integration <strong>{name}</strong>
      </p>
      <p className="notice notice-warning" role="note">
        Copy these credentials now and keep them in a secure, encrypted place. The secrets will not be shown again: to
        get new tokens, reauthorize the integration.
      </p>
      <div className="credentials">
        {FIELDS.map(([field, label]) => (
          <div className="field credential" key={field}>
            <label className="field-label" htmlFor={`credential-${field}`}>
              {label}
            </label>
            <div className="field-control credential-control">
              <input
                id={`credential-${field}`}
                className="input input-mono"
                readOnly
                value={credentials[field]}
                spellCheck={false}
                autoComplete="off"
                onFocus={(e) => e.target.select()}
              />
              <button
                type="button"
                className="button button-secondary"
                aria-label={`Copy ${label}`}
                onClick={() => copy(field)}
              >
                {copied === field ? 'Copied' : 'Copy'}
              </button>
            </div>
          </div>
        ))}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {copied ? `${FIELDS.find(([f]) => f === copied)?.[1]} copied to the clipboard.` : ''}
      </p>
      {copyError && (
        <p className="field-error" role="alert">
          The browser did not allow copying; the value is selected, press Ctrl+C (⌘C) to copy it.
        </p>
      )}
    </Modal>
  );
}
