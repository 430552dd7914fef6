import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { ApiError, GENERIC_ERROR } from '../api/api-client';
import { configApi } from '../api/admin-api';
import type { ConfigView, SettingDescription } from '../api/types';
import { useNotices } from '../layout/notices';
import { Field } from '../ui/field';
import { SettingField } from './setting-field';
import { parseSettingInput, settingInputOf } from './setting-value';

/** Stores > Configuration, reduced to what integrations use: Web API security and OAuth. */
export function SettingsPage() {
  const { notify } = useNotices();
  const [config, setConfig] = useState<ConfigView | null>(null);
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Asked by the gateway before guest access, Bearer tokens, HMAC-SHA1 or the allow-list change.
  const [currentPassword, setCurrentPassword] = useState('');

  const adopt = (view: ConfigView) => {
    setConfig(view);
    setInputs(Object.fromEntries(view.settings.map((s) => [s.path, settingInputOf(s, s.value)])));
  };

  useEffect(() => {
    configApi.get().then(adopt, (e: unknown) => setLoadError(e instanceof ApiError ? e.message : GENERIC_ERROR));
  }, []);

  // Magento's sections; the web API security switch first, as it is what most admins come for.
  const groups = useMemo(() => {
    const byGroup = new Map<string, SettingDescription[]>();
    for (const setting of config?.settings ?? []) {
      const group = setting.group ?? groupOfPath(setting.path);
      byGroup.set(group, [...(byGroup.get(group) ?? []), setting]);
    }
    return [...byGroup.entries()].sort(
      ([a], [b]) => Number(b.startsWith('Magento Web API')) - Number(a.startsWith('Magento Web API')),
    );
  }, [config]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!config) return;
    const changed: Record<string, unknown> = {};
    const invalid: Record<string, string> = {};
    for (const setting of config.settings) {
      const parsed = parseSettingInput(setting, inputs[setting.path] ?? '');
      if (!parsed.ok) invalid[setting.path] = parsed.message;
      else if (parsed.value !== setting.value) changed[setting.path] = parsed.value;
    }
    setErrors(invalid);
    if (Object.keys(invalid).length > 0) {
      notify('error', 'The configuration was not saved. Correct the fields marked below.');
      return;
    }
    if (Object.keys(changed).length === 0) {
      notify('success', 'You saved the configuration.');
      return;
    }
    setBusy(true);
    try {
      adopt(await configApi.save(changed, currentPassword || undefined));
      setCurrentPassword('');
      notify('success', 'You saved the configuration.');
    } catch (e) {
      if (!(e instanceof ApiError)) notify('error', GENERIC_ERROR);
      else if (e.status !== 401) {
        const byPath: Record<string, string> = {};
        for (const d of e.details) if (d.field) byPath[d.field.replace(/^values\./, '')] = d.message;
        if (e.code === 'ADMIN.PASSWORD_MISMATCH') byPath.currentPassword = e.message;
        setErrors(byPath);
        notify('error', e.message);
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
            Settings
          </h1>
          <div className="page-actions">
            <button type="submit" className="button button-primary" disabled={!config || busy}>
              Save Config
            </button>
          </div>
        </div>
        {loadError && (
          <p className="notice notice-error" role="alert">
            {loadError}
          </p>
        )}
        {!config && !loadError && <p className="muted">Loading…</p>}
        {groups.map(([group, settings]) => (
          <fieldset className="fieldset config-group" key={group}>
            <legend>{group.replace(/ > /g, ' › ')}</legend>
            {settings.map((setting) => (
              <SettingField
                key={setting.path}
                setting={setting}
                input={inputs[setting.path] ?? ''}
                error={errors[setting.path]}
                onInput={(value) => {
                  setInputs((current) => ({ ...current, [setting.path]: value }));
                  setErrors(({ [setting.path]: _dropped, ...rest }) => rest);
                }}
              />
            ))}
          </fieldset>
        ))}
        {config && (
          <fieldset className="fieldset config-group">
            <legend>Current User Identity Verification</legend>
            <Field label="Your Password" error={errors.currentPassword}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
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
            <p className="muted">
              Needed to change Allow Anonymous Guest Access, Bearer tokens, HMAC-SHA1 signatures or the credentials POST
              allow-list.
            </p>
          </fieldset>
        )}
      </form>
    </section>
  );
}

function groupOfPath(path: string): string {
  return path.startsWith('webapi/') ? 'Magento Web API > Web API Security' : 'OAuth';
}
