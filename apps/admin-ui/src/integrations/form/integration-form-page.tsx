import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api/api-client';
import { integrationsApi } from '../../api/admin-api';
import type { AclResource, FieldError, Integration } from '../../api/types';
import { errorText, fieldErrorText } from '../../i18n/api-errors';
import type { MessageId } from '../../i18n/catalogue';
import { Msg, useI18n } from '../../i18n/use-i18n';
import { useNotices } from '../../layout/notices';
import { usePageTitle } from '../../layout/page-title';
import { Link, navigate } from '../../routing/router';
import { ReadOnlyNote, useAdminProfile } from '../../session/admin-profile';
import { registerDraftWriter, saveDraft, takeDraft } from '../../session/drafts';
import { Tabs } from '../../ui/tabs';
import { loadAclTree } from '../activation/acl-titles';
import { useActivation } from '../activation/use-activation';
import { activationAction, GRID_STATUS_LABELS, gridStatus } from '../status-label';
import { ApiTab } from './api-tab';
import {
  checkRequired,
  emptyValues,
  fieldErrors,
  firstInvalidTab,
  type FormErrors,
  type FormField,
  type FormTab,
  type FormValues,
  TAB_OF,
  toInput,
  valuesOf,
} from './integration-form.model';
import { IntegrationDetailsSection } from '../details/integration-details-section';
import { IntegrationUsageSection } from '../usage/integration-usage-section';
import { IntegrationInfoTab } from './integration-info-tab';
import { selectedInTreeOrder } from './resource-tree.model';

interface Draft {
  values: FormValues;
  tab: FormTab;
}

/** Labels of the fields, to name them in error messages; lengths as the registry enforces them. */
const FIELD_LABELS: Partial<Record<FormField, MessageId>> = {
  name: 'form.name',
  email: 'form.email',
  callbackUrl: 'form.callbackUrl',
  identityLinkUrl: 'form.identityLinkUrl',
  currentPassword: 'form.yourPassword',
  resourceAccess: 'form.resourceAccess',
  resources: 'form.resources',
  expiresAt: 'form.expiresAt',
  ipAllowList: 'form.ipAllowList',
  rateLimit: 'form.rateLimitPerMinute',
};
const FIELD_MAX: Partial<Record<FormField, number>> = { name: 255, email: 254, callbackUrl: 255, identityLinkUrl: 255 };

/** New Integration / Edit (or View, for config-type integrations). */
export function IntegrationFormPage({ id }: { id?: string }) {
  const { notify, flash } = useNotices();
  const { t, intl } = useI18n();
  const draftKey = id ? `/integrations/${id}` : '/integrations/new';
  const [integration, setIntegration] = useState<Integration | null>(null);
  const [loadState, setLoadState] = useState<'loading' | 'ready' | 'missing' | 'failed'>(id ? 'loading' : 'ready');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [values, setValues] = useState<FormValues>(emptyValues);
  const [password, setPassword] = useState('');
  const [tab, setTab] = useState<FormTab>('info');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [tree, setTree] = useState<AclResource[] | null>(null);
  const [treeError, setTreeError] = useState<string | null>(null);
  const [focusError, setFocusError] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const activation = useActivation(() => undefined);

  // A viewer sees the integration as a config-type one is shown: every field, nothing to save.
  const mayChange = useAdminProfile().can('integrations:write');
  const configManaged = integration?.setupType === 'config';
  const readOnly = configManaged || !mayChange;

  const fetchTree = useCallback(() => {
    setTreeError(null);
    loadAclTree().then(setTree, (e: unknown) => setTreeError(errorText(intl, e)));
    // Loaded once per page, whatever the locale.
  }, []);
  useEffect(fetchTree, [fetchTree]);

  // Load the integration (edit), then put back work kept from an ended session, if any.
  useEffect(() => {
    let cancelled = false;
    const restore = () => {
      const draft = takeDraft<Draft>(draftKey);
      if (!draft) return;
      setValues(draft.values);
      setTab(draft.tab);
      notify('info', t('form.restored'));
    };
    if (!id) {
      restore();
      return;
    }
    integrationsApi.get(id).then(
      (loaded) => {
        if (cancelled) return;
        setIntegration(loaded);
        setValues(valuesOf(loaded));
        setLoadState('ready');
        if (loaded.setupType !== 'config') restore();
      },
      (e: unknown) => {
        if (cancelled) return;
        if (e instanceof ApiError && e.status === 404) setLoadState('missing');
        else {
          setLoadState('failed');
          setLoadError(errorText(intl, e));
        }
      },
    );
    return () => {
      cancelled = true;
    };
    // Loaded once per page: a change of locale does not reload the integration.
  }, [id, draftKey, notify]);

  // Kept current for the draft writer, which runs when the session ends (never the password).
  const draftRef = useRef<Draft>({ values, tab });
  draftRef.current = { values, tab };
  useEffect(
    () => (readOnly ? undefined : registerDraftWriter(() => saveDraft(draftKey, draftRef.current))),
    [draftKey, readOnly],
  );

  // Move focus to the first field in error once the right tab is shown.
  useEffect(() => {
    if (!focusError) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusError]);

  const selected = useMemo(() => new Set(values.resources), [values.resources]);
  const change = (patch: Partial<FormValues>) => {
    setValues((current) => ({ ...current, ...patch }));
    setErrors((current) => {
      const next = { ...current };
      for (const key of Object.keys(patch)) delete next[key as keyof FormValues];
      return next;
    });
  };

  const showErrors = (next: FormErrors) => {
    setErrors(next);
    // Stay on the current tab if it has an error to fix; otherwise show the tab that does.
    const onThisTab = (Object.keys(next) as Array<keyof FormErrors>).some((field) => TAB_OF[field] === tab);
    const where = firstInvalidTab(next);
    if (!onThisTab && where) setTab(where);
    setFocusError((n) => n + 1);
  };

  const save = async (andActivate: boolean) => {
    const missing = checkRequired(values, password, t('common.requiredField'));
    if (Object.keys(missing).length > 0) {
      notify('error', t('form.requiredMissing'));
      return showErrors(missing);
    }
    // Without the tree (not loaded) the selection is sent as it is rather than silently emptied.
    const resources = tree ? selectedInTreeOrder(tree, selected) : values.resources;
    const input = toInput({ ...values, resources });
    setBusy(true);
    setErrors({});
    try {
      const saved = integration
        ? await integrationsApi.update(integration.id, integration.version, input, password)
        : await integrationsApi.create(input, password);
      flash('success', t('integration.saved', { name: saved.name }));
      if (!andActivate) {
        navigate('/');
        return;
      }
      activation.start(saved, {
        reauthorize: activationAction(saved.status).reauthorize,
        password,
        announce: 'flash',
        onFinished: () => navigate('/'),
      });
      setIntegration(saved);
      setPassword('');
      setBusy(false);
    } catch (e) {
      setBusy(false);
      if (!(e instanceof ApiError)) {
        notify('error', errorText(intl, e));
        return;
      }
      if (e.status === 401 || e.code === 'ADMIN.LOCKED') return; // back on the login form, draft kept
      const name = values.name.trim();
      const describe = (detail: FieldError, field: FormField | null) =>
        fieldErrorText(intl, detail, e.code, {
          field: field && FIELD_LABELS[field] ? t(FIELD_LABELS[field]) : undefined,
          max: field ? FIELD_MAX[field] : undefined,
          name,
          entry: entryAt(input.ipAllowList, detail.field),
        });
      const { byField, other } = fieldErrors(e.details, describe);
      if (e.code === 'ADMIN.PASSWORD_MISMATCH' || e.code === 'ADMIN.PASSWORD_REQUIRED') {
        byField.currentPassword ??= errorText(intl, e);
        setPassword('');
      }
      if (e.code === 'INTEGRATION.CONFLICT') {
        notify('error', t('form.conflict'));
      } else {
        notify(
          'error',
          Object.keys(byField).length > 0 && other.length === 0 && e.status === 400
            ? t('form.fieldsInvalid')
            : errorText(intl, e, { name }),
        );
      }
      if (Object.keys(byField).length > 0) showErrors(byField);
    }
  };

  /**
   * Suspend or Resume, with the password typed in "Your Password" (the same step-up as Save). The
   * rest of the form is left as it is: unsaved edits stay unsaved.
   */
  const toggleSuspension = async () => {
    if (!integration) return;
    if (!password) {
      notify('error', t('form.suspensionNeedsPassword'));
      setTab('info');
      return showErrors({ currentPassword: t('common.requiredField') });
    }
    const action = integration.suspended ? 'resume' : 'suspend';
    setBusy(true);
    try {
      const changed = await integrationsApi.suspension(integration.id, action, integration.version, password);
      setIntegration(changed);
      setPassword('');
      notify(
        'success',
        t(action === 'suspend' ? 'integration.suspended' : 'integration.resumed', { name: changed.name }),
      );
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.code === 'ADMIN.LOCKED')) return;
      if (e instanceof ApiError && (e.code === 'ADMIN.PASSWORD_MISMATCH' || e.code === 'ADMIN.PASSWORD_REQUIRED')) {
        setPassword('');
        setTab('info');
        showErrors({ currentPassword: errorText(intl, e) });
      }
      notify(
        'error',
        e instanceof ApiError && e.code === 'INTEGRATION.CONFLICT'
          ? t('form.conflict')
          : errorText(intl, e, { name: integration.name }),
      );
    } finally {
      setBusy(false);
    }
  };

  const title =
    loadState === 'missing' || loadState === 'failed' || (id && !integration)
      ? t('form.integration')
      : !integration
        ? t('form.newTitle')
        : t(readOnly ? 'form.viewTitle' : 'form.editTitle', { name: integration.name });
  usePageTitle(title);

  if (loadState === 'missing' || loadState === 'failed') {
    return (
      <section>
        <h1 className="page-title">{title}</h1>
        <p className="notice notice-error" role="alert">
          {loadState === 'missing' ? t('integration.gone') : loadError}
        </p>
        <Link to="/">{t('form.backToGrid')}</Link>
      </section>
    );
  }
  if (loadState === 'loading') return <p className="muted">{t('common.loading')}</p>;

  const canActivate = !readOnly && (!integration || integration.status !== 'active');
  const tabs = [
    {
      key: 'info' as const,
      label: t('form.tab.info'),
      invalid: Object.keys(errors).some((f) => TAB_OF[f as keyof FormErrors] === 'info'),
    },
    ...(readOnly
      ? []
      : [
          {
            key: 'api' as const,
            label: t('form.tab.api'),
            invalid: Object.keys(errors).some((f) => TAB_OF[f as keyof FormErrors] === 'api'),
          },
        ]),
  ];

  return (
    <section className="form-page">
      <div className="page-header">
        <h1 className="page-title">{title}</h1>
        <div className="page-actions">
          <Link to="/" className="button button-secondary">
            {t('common.back')}
          </Link>
          {integration && (
            <Link
              to={`/integrations/${encodeURIComponent(integration.id)}/history`}
              className="button button-secondary"
            >
              {t('form.history')}
            </Link>
          )}
          {!readOnly && (
            <>
              <button type="button" className="button button-primary" disabled={busy} onClick={() => save(false)}>
                {t('form.save')}
              </button>
              {canActivate && (
                <button type="button" className="button button-primary" disabled={busy} onClick={() => save(true)}>
                  {t('form.saveAndActivate')}
                </button>
              )}
              {integration && (
                <button
                  type="button"
                  className="button button-secondary"
                  disabled={busy}
                  onClick={() => void toggleSuspension()}
                >
                  {t(integration.suspended ? 'form.resume' : 'form.suspend')}
                </button>
              )}
            </>
          )}
        </div>
      </div>
      {integration && (
        <p className="form-status">
          <Msg
            id="form.status"
            values={{
              status: t(GRID_STATUS_LABELS[gridStatus(integration)]),
              badge: (chunks) => <span className={`status status-${gridStatus(integration)}`}>{chunks}</span>,
            }}
          />
        </p>
      )}
      {configManaged && (
        <p className="notice notice-info" role="note">
          {t('form.configReadOnly')}
        </p>
      )}
      {!mayChange && <ReadOnlyNote id="role.readOnlyIntegrations" />}
      <form
        ref={formRef}
        noValidate
        aria-label={title}
        onSubmit={(e) => {
          e.preventDefault();
          if (!readOnly && !busy) void save(false);
        }}
      >
        <Tabs label={t('form.sections')} idPrefix="integration" tabs={tabs} active={tab} onSelect={setTab}>
          {tab === 'info' ? (
            <IntegrationInfoTab
              values={values}
              password={password}
              errors={errors}
              readOnly={readOnly}
              onChange={change}
              onPassword={(p) => {
                setPassword(p);
                setErrors(({ currentPassword: _dropped, ...rest }) => rest);
              }}
            />
          ) : (
            <ApiTab
              resourceAccess={values.resourceAccess}
              selected={selected}
              tree={tree}
              treeError={treeError}
              errors={errors}
              onAccess={(resourceAccess) => change({ resourceAccess })}
              onSelected={(next) => change({ resources: [...next] })}
              onRetryTree={fetchTree}
            />
          )}
        </Tabs>
        {/* Enter in a text field saves, as the Save button does. */}
        <button type="submit" hidden tabIndex={-1} />
      </form>
      {integration && (
        <IntegrationDetailsSection
          id={integration.id}
          name={integration.name}
          active={integration.status === 'active'}
        />
      )}
      {integration && <IntegrationUsageSection id={integration.id} />}
      {activation.dialogs}
    </section>
  );
}

/** The allow-list entry a detail such as `ipAllowList.1` is about, as sent. */
function entryAt(list: readonly string[], field: string | undefined): string | undefined {
  const index = /^ipAllowList\.(\d+)$/.exec(field ?? '')?.[1];
  return index === undefined ? undefined : list[Number(index)];
}
