import { type FormEvent, useEffect, useMemo, useState } from 'react';
import type { AclResource, Integration } from '../../api/types';
import { bold, Msg, useI18n } from '../../i18n/use-i18n';
import { Modal } from '../../ui/modal';
import { Field } from '../../ui/field';
import { describeSelection, indexTree } from '../form/resource-tree.model';
import { loadAclTree } from './acl-titles';

interface PermissionsDialogProps {
  integration: Integration;
  reauthorize: boolean;
  /** The form's password when coming from Save & Activate: not asked twice. */
  needsPassword: boolean;
  busy: boolean;
  error?: string;
  passwordError?: string;
  onAllow: (password: string) => void;
  onCancel: () => void;
}

/** Magento's permissions dialog: what the integration asks for, and Allow (or Reauthorize). */
export function PermissionsDialog(props: PermissionsDialogProps) {
  const { integration, reauthorize, needsPassword, busy, error, passwordError, onAllow, onCancel } = props;
  const [password, setPassword] = useState('');
  const [tree, setTree] = useState<AclResource[] | null>(null);
  const [localError, setLocalError] = useState<string | undefined>();
  const { t, aclTitle } = useI18n();

  useEffect(() => {
    if (integration.resourceAccess === 'custom' && integration.resources.length > 0) {
      loadAclTree().then(setTree, () => setTree([]));
    }
  }, [integration]);

  const resources = useMemo(
    () =>
      tree
        ? describeSelection(indexTree(tree), integration.resources).map((r) => ({ ...r, title: aclTitle(r.title) }))
        : integration.resources.map((id) => ({ id, title: id, depth: 0 })),
    [tree, integration.resources, aclTitle],
  );

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (needsPassword && !password) {
      setLocalError(t('common.requiredField'));
      return;
    }
    setLocalError(undefined);
    onAllow(password);
  };
  const action = t(reauthorize ? 'activation.reauthorize' : 'activation.allow');

  return (
    <Modal
      title={t('activation.title', { mode: reauthorize ? 'reauthorize' : 'activate', name: integration.name })}
      onClose={busy ? undefined : onCancel}
      className="permissions-dialog"
      initialFocus={needsPassword ? 'input[type="password"]' : '.button-primary'}
      actions={
        <>
          <button type="button" className="button button-secondary" onClick={onCancel} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button-primary" onClick={() => submit()} disabled={busy}>
            {busy ? t('activation.wait') : action}
          </button>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <p>{t('activation.asks')}</p>
        {integration.resourceAccess === 'all' ? (
          <ul className="permission-list">
            <li>
              <Msg id="activation.allResources" values={{ b: bold }} />
            </li>
          </ul>
        ) : resources.length === 0 ? (
          <p className="permission-none">{t('activation.noPermissions')}</p>
        ) : (
          <ul className="permission-list" aria-label={t('activation.requested')}>
            {resources.map((r) => (
              <li key={r.id} style={{ paddingInlineStart: `${r.depth * 1.25}rem` }}>
                {r.title}
              </li>
            ))}
          </ul>
        )}
        {needsPassword && (
          <fieldset className="fieldset">
            <legend>{t('form.identityVerification')}</legend>
            <Field label={t('form.yourPassword')} required error={localError ?? passwordError}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  className="input"
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  aria-invalid={invalid || undefined}
                  aria-describedby={describedBy}
                  aria-required
                />
              )}
            </Field>
          </fieldset>
        )}
        {/* Enter in the password field submits. */}
        <button type="submit" hidden tabIndex={-1} />
      </form>
    </Modal>
  );
}
