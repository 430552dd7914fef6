import { useState } from 'react';
import type { Credentials } from '../../api/types';
import type { MessageId } from '../../i18n/catalogue';
import { bold, Msg, useI18n } from '../../i18n/use-i18n';
import { Modal } from '../../ui/modal';

const FIELDS: Array<[keyof Credentials, MessageId]> = [
  ['consumerKey', 'tokens.consumerKey'],
  ['consumerSecret', 'tokens.consumerSecret'],
  ['accessToken', 'tokens.accessToken'],
  ['accessTokenSecret', 'tokens.accessTokenSecret'],
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
  const { t } = useI18n();

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
      title={t('tokens.title')}
      onClose={onDone}
      className="tokens-dialog"
      initialFocus=".tokens-done"
      actions={
        <button type="button" className="button button-primary tokens-done" onClick={onDone}>
          {t('tokens.done')}
        </button>
      }
    >
      <p>
        <Msg id="tokens.integration" values={{ name, b: bold }} />
      </p>
      <p className="notice notice-warning" role="note">
        {t('tokens.warning')}
      </p>
      <div className="credentials">
        {FIELDS.map(([field, label]) => (
          <div className="field credential" key={field}>
            <label className="field-label" htmlFor={`credential-${field}`}>
              {t(label)}
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
                aria-label={t('tokens.copyLabel', { label: t(label) })}
                onClick={() => copy(field)}
              >
                {t(copied === field ? 'tokens.copied' : 'tokens.copy')}
              </button>
            </div>
          </div>
        ))}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {copied ? t('tokens.copiedStatus', { label: t(FIELDS.find(([f]) => f === copied)![1]) }) : ''}
      </p>
      {copyError && (
        <p className="field-error" role="alert">
          {t('tokens.copyRefused')}
        </p>
      )}
    </Modal>
  );
}
