import { type FormEvent, useEffect, useMemo, useState } from 'react';
import type { IntlShape } from 'react-intl';
import { ApiError } from '../api/api-client';
import { configApi } from '../api/admin-api';
import type { ConfigView, FieldError, SettingDescription } from '../api/types';
import { errorText, fieldErrorText } from '../i18n/api-errors';
import type { MessageId } from '../i18n/catalogue';
import { type I18n, useI18n } from '../i18n/use-i18n';
import { useNotices } from '../layout/notices';
import { usePageTitle } from '../layout/page-title';
import { Link } from '../routing/router';
import { useAdminProfile, useRoleName } from '../session/admin-profile';
import { Field } from '../ui/field';
import { SettingField } from './setting-field';
import { type InputProblem, parseSettingInput, settingInputOf } from './setting-value';

/**
 * Stores › Configuration, reduced to what integrations use: the "Services" tab with its sections
 * Magento Web API and OAuth, each at its own address (/config/<section>, Magento's section ids).
 * A setting's section is the first part of its path, as in Magento (`webapi/…`, `oauth/…`); Save
 * Config saves the section shown.
 */
export const DEFAULT_SECTION = 'webapi';
// Magento's order in the Services tab; sections the API adds later follow, by id.
const SECTION_ORDER = ['webapi', 'oauth'];

/** Group titles as the config service gives them ("OAuth > Consumer Settings"), by their last part. */
const GROUP_TITLES: Record<string, MessageId> = {
  'Web API Security': 'config.group.webApiSecurity',
  'Consumer Settings': 'config.group.consumer',
  'Cleanup Settings': 'config.group.cleanup',
  'Signed Requests': 'config.group.signature',
  'Rate Limits': 'config.group.rateLimits',
  Expiry: 'config.group.expiry',
};

const sectionOf = (setting: SettingDescription) => setting.path.split('/')[0];

function groupOf(setting: SettingDescription): string {
  const parts = (setting.group ?? '').split(' > ');
  return parts[parts.length - 1] || setting.path.split('/')[1];
}

function sectionTitle({ t, intl }: I18n, section: string, settings: SettingDescription[]): string {
  const id = `config.section.${section}`;
  if (id in intl.messages) return t(id as MessageId);
  return settings.find((s) => sectionOf(s) === section)?.group?.split(' > ')[0] ?? section;
}

/**
 * Settings that open or widen access: only administrators change them, with their password. The
 * gateway's list (`STEP_UP_SETTING_PATHS`) decides; this copy only disables them for other roles
 * and says why, instead of letting a manager type a change that ends in a 403.
 */
const SECURITY_SETTING_PATHS: ReadonlySet<string> = new Set([
  'webapi/webapisecurity/allow_insecure',
  'oauth/consumer/enable_integration_as_bearer',
  'oauth/consumer/outbound_allowlist',
  'oauth/signature/allow_hmac_sha1',
  'oauth/consumer/secret_rotation_overlap',
]);

export function SettingsPage({ section }: { section: string }) {
  const { can } = useAdminProfile();
  if (!can('config:read')) return <ConfigDenied />;
  return <SettingsForm section={section} />;
}

/** Magento's "Sorry, you need permissions to view this content." page, with the role that lacks it. */
function ConfigDenied() {
  const { t } = useI18n();
  const role = useRoleName();
  usePageTitle(t('config.title'));
  return (
    <section className="settings-page permission-denied">
      <h1 className="page-title">{t('config.title')}</h1>
      <p className="notice notice-error" role="alert">
        <strong>{t('role.denied.title')}</strong> {t('role.denied.config', { role })}
      </p>
    </section>
  );
}

function SettingsForm({ section }: { section: string }) {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const mayChangeSecurity = useAdminProfile().can('config:security');
  const lockedReason = (path: string) =>
    !mayChangeSecurity && SECURITY_SETTING_PATHS.has(path) ? t('role.securitySetting') : undefined;
  const { notify } = useNotices();
  const [config, setConfig] = useState<ConfigView | null>(null);
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Asked by the gateway before guest access, Bearer tokens, HMAC-SHA1 or the allow-list change.
  const [currentPassword, setCurrentPassword] = useState('');

  const adopt = (view: ConfigView) => {
    setConfig(view);
    setInputs(Object.fromEntries(view.settings.map((s) => [s.path, settingInputOf(s, s.value)])));
  };

  useEffect(() => {
    configApi.get().then(adopt, (e: unknown) => setLoadError(errorText(intl, e)));
    // Loaded once per section page.
  }, []);

  const sections = useMemo(() => {
    const ids = [...new Set((config?.settings ?? []).map(sectionOf))];
    const rank = (id: string) => (SECTION_ORDER.includes(id) ? SECTION_ORDER.indexOf(id) : SECTION_ORDER.length);
    return ids.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  }, [config]);
  const settings = useMemo(() => (config?.settings ?? []).filter((s) => sectionOf(s) === section), [config, section]);
  const groups = useMemo(() => {
    const byGroup = new Map<string, SettingDescription[]>();
    for (const setting of settings) byGroup.set(groupOf(setting), [...(byGroup.get(groupOf(setting)) ?? []), setting]);
    return [...byGroup.entries()];
  }, [settings]);

  const title = sectionTitle(i18n, section, config?.settings ?? []);
  usePageTitle(title);
  const groupTitle = (group: string) => (GROUP_TITLES[group] ? t(GROUP_TITLES[group]) : group);

  const showErrors = (next: Record<string, string>) => {
    setErrors(next);
    // A group with an error opens, so the message is seen.
    const open = new Set(settings.filter((s) => next[s.path]).map(groupOf));
    setCollapsed((current) => new Set([...current].filter((g) => !open.has(g))));
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!config) return;
    const changed: Record<string, unknown> = {};
    const invalid: Record<string, string> = {};
    for (const setting of settings) {
      const parsed = parseSettingInput(setting, inputs[setting.path] ?? '');
      if (!parsed.ok) invalid[setting.path] = problemText(t, parsed.problem);
      else if (parsed.value !== setting.value) changed[setting.path] = parsed.value;
    }
    showErrors(invalid);
    if (Object.keys(invalid).length > 0) {
      notify('error', t('config.notSaved'));
      return;
    }
    if (Object.keys(changed).length === 0) {
      notify('success', t('config.saved'));
      return;
    }
    setBusy(true);
    try {
      adopt(await configApi.save(changed, currentPassword || undefined));
      setCurrentPassword('');
      notify('success', t('config.saved'));
    } catch (e) {
      if (!(e instanceof ApiError)) notify('error', errorText(intl, e));
      else if (e.status !== 401) {
        const byPath: Record<string, string> = {};
        for (const d of e.details) {
          const path = d.field?.replace(/^values\./, '');
          const setting = config.settings.find((s) => s.path === path);
          // Not a setting: the step-up's `currentPassword` (ADMIN.PASSWORD_REQUIRED or _MISMATCH).
          if (path) byPath[path] = setting ? refusalText(intl, t, setting, d) : fieldErrorText(intl, d, e.code, {});
        }
        showErrors(byPath);
        notify('error', errorText(intl, e));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settings-page">
      <form onSubmit={save} noValidate aria-labelledby="settings-title">
        <div className="page-header">
          <h1 className="page-title" id="settings-title">
            {t('config.title')}
          </h1>
          <div className="page-actions">
            <button type="submit" className="button button-primary" disabled={!config || busy}>
              {t('config.save')}
            </button>
          </div>
        </div>
        {loadError && (
          <p className="notice notice-error" role="alert">
            {loadError}
          </p>
        )}
        {!config && !loadError && <p className="muted">{t('common.loading')}</p>}
        {config && (
          <div className="config-layout">
            <nav className="config-tabs" aria-label={t('config.tabs')}>
              <strong className="config-tab-title">{t('config.tab.services')}</strong>
              <ul>
                {sections.map((id) => (
                  <li key={id}>
                    <Link to={`/config/${id}`} aria-current={id === section ? 'page' : undefined}>
                      {sectionTitle(i18n, id, config.settings)}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
            <div className="config-section">
              <h2 className="config-section-title">{title}</h2>
              {groups.length === 0 && <p className="muted">{t('config.noSettings')}</p>}
              {groups.map(([group, members]) => {
                const open = !collapsed.has(group);
                const bodyId = `config-group-${members[0].path.replace(/\W/g, '-')}`;
                return (
                  <fieldset className="fieldset config-group" key={group}>
                    <legend>
                      <button
                        type="button"
                        className="config-group-toggle"
                        aria-expanded={open}
                        aria-controls={bodyId}
                        onClick={() =>
                          setCollapsed((current) => {
                            const next = new Set(current);
                            if (open) next.add(group);
                            else next.delete(group);
                            return next;
                          })
                        }
                      >
                        {groupTitle(group)}
                      </button>
                    </legend>
                    <div id={bodyId} hidden={!open}>
                      {members.map((setting) => (
                        <SettingField
                          key={setting.path}
                          setting={setting}
                          input={inputs[setting.path] ?? ''}
                          error={errors[setting.path]}
                          locked={lockedReason(setting.path)}
                          onInput={(value) => {
                            setInputs((current) => ({ ...current, [setting.path]: value }));
                            setErrors(({ [setting.path]: _dropped, ...rest }) => rest);
                          }}
                        />
                      ))}
                    </div>
                  </fieldset>
                );
              })}
              <fieldset className="fieldset config-group">
                <legend>{t('form.identityVerification')}</legend>
                <Field label={t('form.yourPassword')} note={t('config.stepUpNote')} error={errors.currentPassword}>
                  {({ id, describedBy, invalid }) => (
                    <input
                      id={id}
                      name="currentPassword"
                      className="input"
                      type="password"
                      autoComplete="current-password"
                      value={currentPassword}
                      onChange={(e) => {
                        setCurrentPassword(e.target.value);
                        setErrors(({ currentPassword: _dropped, ...rest }) => rest);
                      }}
                      aria-invalid={invalid || undefined}
                      aria-describedby={describedBy}
                    />
                  )}
                </Field>
              </fieldset>
            </div>
          </div>
        )}
      </form>
    </section>
  );
}

function problemText(t: I18n['t'], problem: InputProblem): string {
  return problem.min !== undefined && problem.max !== undefined
    ? t('config.wholeNumberBetween', { min: problem.min, max: problem.max })
    : t('config.wholeNumber');
}

/** The config service's refusal of one value (CONFIG.INVALID_VALUE), worded from the setting's type. */
function refusalText(intl: IntlShape, t: I18n['t'], setting: SettingDescription, detail: FieldError): string {
  switch (setting.type) {
    case 'integer':
      return problemText(t, { kind: 'whole-number', min: setting.min, max: setting.max });
    case 'host-list':
      return t('config.hostList');
    case 'boolean':
      return t('config.yesNo');
    default:
      return intl.messages[`fieldError.${detail.code}`] ? t(`fieldError.${detail.code}` as MessageId) : detail.message;
  }
}
