import { type FormEvent, useEffect, useMemo, useState } from 'react';
import type { AclResource, Integration } from '../../api/types';
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

  useEffect(() => {
    if (integration.resourceAccess === 'custom' && integration.resources.length > 0) {
      loadAclTree().then(setTree, () => setTree([]));
    }
  }, [integration]);

  const resources = useMemo(
    () =>
      tree
        ? describeSelection(indexTree(tree), integration.resources)
        : integration.resources.map((id) => ({ id, title: id, depth: 0 })),
    [tree, integration.resources],
  );

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (needsPassword && !password) {
      setLocalError('This is a required field.');
      return;
    }
    setLocalError(undefined);
    onAllow(password);
  };
  const action = reauthorize ? 'Reauthorize' : 'Allow';

  return (
    <Modal
      title={`${reauthorize ? 'Reauthorize' : 'Activate'} "${integration.name}"`}
      onClose={busy ? undefined : onCancel}
      className="permissions-dialog"
      initialFocus={needsPassword ? 'input[type="password"]' : '.button-primary'}
      actions={
        <>
          <button type="button" className="button button-secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button button-primary" onClick={() => submit()} disabled={busy}>
            {busy ? 'Please wait…' : action}
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
        <p>The integration you selected asks you to approve access to the following:</p>
        {integration.resourceAccess === 'all' ? (
          <ul className="permission-list">
            <li>
              <strong>All resources</strong> (Resource Access: All)
            </li>
          </ul>
        ) : resources.length === 0 ? (
          <p className="permission-none">No permissions requested</p>
        ) : (
          <ul className="permission-list" aria-label="Requested resources">
            {resources.map((r) => (
              <li key={r.id} style={{ paddingInlineStart: `${r.depth * 1.25}rem` }}>
                {r.title}
              </li>
            ))}
          </ul>
        )}
        {needsPassword && (
          <fieldset className="fieldset">
            <legend>Current User Identity Verification</legend>
            <Field label="Your Password" required error={localError ?? passwordError}>
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
