import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/api-client';
import { integrationsApi } from '../../api/admin-api';
import type { Credentials, Integration } from '../../api/types';
import { errorText, fieldErrorText } from '../../i18n/api-errors';
import { type I18n, useI18n } from '../../i18n/use-i18n';
import { type NoticeKind, useNotices } from '../../layout/notices';
import { isSuccessMessage, openAuthorizationWindow, SUCCESS_CHANNEL } from './authorization-window';
import { ExchangeDialog, type ExchangePhase } from './exchange-dialog';
import { PermissionsDialog } from './permissions-dialog';
import { TokensDialog } from './tokens-dialog';

// Magento's wording (integration.activated, .reauthorized, .sentForActivation in the catalogue).
const doneMessage = ({ t }: I18n, name: string, reauthorize: boolean) =>
  t(reauthorize ? 'integration.reauthorized' : 'integration.activated', { name });
const sentMessage = ({ t }: I18n, name: string, reauthorize: boolean) =>
  t('integration.sentForActivation', { name, mode: reauthorize ? 'reauthorize' : 'activate' });
// The API's own opening words, before the reason it adds; and Magento's sentence, which adds none.
const CALLBACK_FAILED_PREFIX = /^The attempt to post data to consumer failed[^:.]*[:.]\s*/i;
const CALLBACK_FAILED_PLAIN =
  'The attempt to post data to consumer failed due to an unexpected error. Please try again later.';

const POLL_MS = 1000;
/** After the window closes, how long the status may take to turn active before we call it incomplete. */
const GRACE_AFTER_CLOSE_MS = 8000;

type Step =
  | {
      kind: 'permissions';
      integration: Integration;
      reauthorize: boolean;
      password?: string;
      busy: boolean;
      error?: string;
      passwordError?: string;
    }
  | { kind: 'tokens'; integration: Integration; reauthorize: boolean; credentials: Credentials }
  | {
      kind: 'exchange';
      integration: Integration;
      reauthorize: boolean;
      identityLinkUrl: string;
      phase: ExchangePhase;
    };

export interface StartActivation {
  /** Reauthorize, or a Reset row's "Activate" (which runs the reauthorize flow, as in Magento). */
  reauthorize: boolean;
  /** Already typed in the form (Save & Activate): not asked again. */
  password?: string;
  /** Called when the flow ends, whatever the outcome (Save & Activate goes to the grid). */
  onFinished?: () => void;
  /** 'flash' when onFinished navigates away: the messages show on the next page. */
  announce?: 'notify' | 'flash';
}

/**
 * Activate / Reauthorize: the permissions dialog, then the tokens popup or the token exchange in a
 * separate window (polled until the integration turns active). Returns `start` and the dialogs to
 * render.
 */
export function useActivation(onChanged: (latest?: Integration) => void): {
  start: (integration: Integration, options: StartActivation) => void;
  dialogs: ReactNode;
} {
  const notices = useNotices();
  const i18n = useI18n();
  const i18nRef = useRef(i18n);
  i18nRef.current = i18n;
  const [step, setStep] = useState<Step | null>(null);
  const options = useRef<StartActivation>({ reauthorize: false });
  const popup = useRef<Window | null>(null);
  const changed = useRef(onChanged);
  changed.current = onChanged;

  const noticesRef = useRef(notices);
  noticesRef.current = notices;
  const announce = useCallback((kind: NoticeKind, text: string, replaces?: string) => {
    const { flash, notify } = noticesRef.current;
    if (options.current.announce === 'flash') flash(kind, text, replaces);
    else notify(kind, text, replaces);
  }, []);

  const finish = useCallback(() => {
    setStep(null);
    popup.current = null;
    const done = options.current.onFinished;
    options.current = { reauthorize: false };
    done?.();
  }, []);

  const start = useCallback((integration: Integration, given: StartActivation) => {
    options.current = given;
    setStep({
      kind: 'permissions',
      integration,
      reauthorize: given.reauthorize,
      password: given.password,
      busy: false,
    });
  }, []);

  const allow = async (typedPassword: string) => {
    if (step?.kind !== 'permissions') return;
    const { integration, reauthorize } = step;
    const password = step.password ?? typedPassword;
    // Opened now, inside the click, so that popup blockers allow it; pointed at the partner below.
    const window = integration.callbackUrl && integration.identityLinkUrl ? openAuthorizationWindow() : null;
    setStep({ ...step, busy: true, error: undefined, passwordError: undefined });
    try {
      const result = await integrationsApi.authorize(integration.id, reauthorize, password);
      if (result.mode === 'tokens') {
        window?.close();
        announce('success', doneMessage(i18n, integration.name, reauthorize));
        changed.current();
        setStep({ kind: 'tokens', integration, reauthorize, credentials: result.credentials });
        return;
      }
      announce('info', sentMessage(i18n, integration.name, reauthorize));
      let phase: ExchangePhase = 'blocked';
      if (window && !window.closed) {
        window.location.href = result.identityLinkUrl;
        popup.current = window;
        phase = 'waiting';
      }
      changed.current();
      setStep({ kind: 'exchange', integration, reauthorize, identityLinkUrl: result.identityLinkUrl, phase });
    } catch (error) {
      window?.close();
      if (!(error instanceof ApiError)) {
        setStep({ ...step, busy: false, error: errorText(i18n.intl, error) });
        return;
      }
      // The session ended: the app is back on the login form already.
      if (error.status === 401 || error.code === 'ADMIN.LOCKED') return;
      const passwordDetail = error.details.find((d) => d.field === 'currentPassword');
      if (passwordDetail || error.code === 'ADMIN.PASSWORD_MISMATCH') {
        // Asked again even after Save & Activate: the password is what was refused.
        const message = errorText(i18n.intl, error, { name: integration.name });
        setStep({
          ...step,
          password: undefined,
          busy: false,
          error: message,
          passwordError: passwordDetail
            ? fieldErrorText(i18n.intl, passwordDetail, error.code, { field: i18n.t('form.yourPassword') })
            : message,
        });
        return;
      }
      if (error.code === 'OAUTH.CALLBACK_FAILED') {
        // Magento's sentence, then what went wrong: the server's technical reason (connection refused,
        // an HTTP status), quoted as it came since it names the partner's failure, not ours.
        const detail = error.message.replace(CALLBACK_FAILED_PREFIX, '').trim();
        announce(
          'error',
          detail && error.message !== CALLBACK_FAILED_PLAIN
            ? i18n.t('integration.callbackFailedDetails', { details: detail })
            : i18n.t('integration.callbackFailed'),
        );
        changed.current();
        finish();
        return;
      }
      setStep({ ...step, busy: false, error: errorText(i18n.intl, error, { name: integration.name }) });
    }
  };

  const exchangeId = step?.kind === 'exchange' ? step.integration.id : null;
  const stepRef = useRef(step);
  stepRef.current = step;

  // Exchange: poll the integration until it turns active; the success page's message and the window
  // closing make us look at once instead of at the next tick.
  useEffect(() => {
    const current = stepRef.current;
    if (!exchangeId || current?.kind !== 'exchange') return;
    const { integration, reauthorize } = current;
    // Reauthorizing an active integration: it turns inactive while the partner works (Magento), so
    // "active" only means done once we have seen it otherwise or its version moved on twice.
    let sawInactive = integration.status !== 'active';
    let inFlight = false;
    let closedAt: number | null = null;
    let stopped = false;

    const check = async () => {
      if (inFlight || stopped) return;
      inFlight = true;
      try {
        const latest = await integrationsApi.get(integration.id);
        if (stopped) return;
        if (latest.status !== 'active') sawInactive = true;
        if (latest.status === 'active' && (sawInactive || latest.version >= integration.version + 2)) {
          stopped = true;
          if (popup.current && !popup.current.closed) popup.current.close();
          announce(
            'success',
            doneMessage(i18nRef.current, integration.name, reauthorize),
            sentMessage(i18nRef.current, integration.name, reauthorize),
          );
          // The partner's exchange is not this admin's write: the grid's list may not show it yet.
          changed.current(latest);
          finish();
        }
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          stopped = true;
          announce('error', i18nRef.current.t('integration.gone'));
          changed.current();
          finish();
        }
        // Anything else (a blip): the next tick tries again.
      } finally {
        inFlight = false;
      }
    };

    const tick = () => {
      if (popup.current && !popup.current.closed) closedAt = null;
      else if (popup.current?.closed && closedAt === null) {
        closedAt = Date.now();
        void check();
      }
      if (closedAt !== null && Date.now() - closedAt > GRACE_AFTER_CLOSE_MS) {
        setStep((s) => (s?.kind === 'exchange' && s.phase === 'waiting' ? { ...s, phase: 'incomplete' } : s));
      }
    };
    const onMessage = (event: MessageEvent) => {
      if (isSuccessMessage(event)) void check();
    };
    const poller = setInterval(() => void check(), POLL_MS);
    const watcher = setInterval(tick, 250);
    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(SUCCESS_CHANNEL) : null;
    channel?.addEventListener('message', onMessage);
    return () => {
      stopped = true;
      clearInterval(poller);
      clearInterval(watcher);
      channel?.close();
    };
  }, [exchangeId, announce, finish]);

  const reopen = () => {
    if (step?.kind !== 'exchange') return;
    const window = openAuthorizationWindow(step.identityLinkUrl);
    if (!window) {
      setStep({ ...step, phase: 'blocked' });
      return;
    }
    popup.current = window;
    setStep({ ...step, phase: 'waiting' });
  };

  let dialogs: ReactNode = null;
  if (step?.kind === 'permissions') {
    dialogs = (
      <PermissionsDialog
        integration={step.integration}
        reauthorize={step.reauthorize}
        needsPassword={step.password === undefined}
        busy={step.busy}
        error={step.error}
        passwordError={step.passwordError}
        onAllow={allow}
        onCancel={finish}
      />
    );
  } else if (step?.kind === 'tokens') {
    dialogs = <TokensDialog name={step.integration.name} credentials={step.credentials} onDone={finish} />;
  } else if (step?.kind === 'exchange') {
    dialogs = (
      <ExchangeDialog
        name={step.integration.name}
        reauthorize={step.reauthorize}
        phase={step.phase}
        onOpenWindow={reopen}
        onClose={finish}
      />
    );
  }
  return { start, dialogs };
}
