import type { Integration } from '../../api/types';
import { useI18n } from '../../i18n/use-i18n';
import { useRoleName } from '../../session/admin-profile';
import { Link } from '../../routing/router';
import { DateTime } from '../../ui/date-time';
import { formatDateTime, formatRelative } from '../../ui/format';
import { TrashIcon, WarningIcon } from '../../ui/icons';
import { activationAction, expiresInDays, GRID_STATUS_LABELS, gridStatus } from '../status-label';

interface IntegrationRowProps {
  integration: Integration;
  /** `integrations/expiry/warning_days`: within it, the row says "expires in N days". */
  expiryWarningDays: number;
  onActivate: (reauthorize: boolean) => void;
  onDelete: () => void;
  /** false when the admin's role may only look (viewer): the actions stay visible, disabled, with why. */
  mayChange: boolean;
}

export function IntegrationRow({
  integration,
  expiryWarningDays,
  onActivate,
  onDelete,
  mayChange,
}: IntegrationRowProps) {
  const { t, intl } = useI18n();
  const roleName = useRoleName();
  const notAllowed = mayChange ? undefined : t('role.notAllowed', { role: roleName });
  const isConfig = integration.setupType === 'config';
  const action = activationAction(integration.status);
  const base = `/integrations/${encodeURIComponent(integration.id)}`;
  const name = integration.name;
  const status = gridStatus(integration);
  const daysLeft = status === 'expired' ? null : expiresInDays(integration.expiresAt, Date.now(), expiryWarningDays);
  return (
    <tr data-integration-id={integration.id} data-status={status}>
      <td className="col-name">
        <span className="integration-name">{name}</span>
        {integration.insecure && (
          <span className="badge badge-warning" title={t('integration.notSecureTitle')}>
            <WarningIcon /> {t('integration.notSecure')}
          </span>
        )}
      </td>
      <td className="col-status">
        <span className={`status status-${status}`}>{t(GRID_STATUS_LABELS[status])}</span>
        {daysLeft !== null && integration.expiresAt && (
          <span className="badge badge-warning" title={formatDateTime(intl, integration.expiresAt)}>
            {t('row.expiresIn', { days: daysLeft })}
          </span>
        )}
      </td>
      <td className="col-created">
        <DateTime iso={integration.createdAt} />
      </td>
      <td className="col-updated">
        <DateTime iso={integration.updatedAt} />
      </td>
      <td className="col-last-used">
        {integration.lastUsedAt ? (
          <time dateTime={integration.lastUsedAt} title={formatDateTime(intl, integration.lastUsedAt)}>
            {formatRelative(intl, integration.lastUsedAt)}
          </time>
        ) : (
          <span className="muted">{t('row.never')}</span>
        )}
      </td>
      <td className="col-activate">
        <button
          type="button"
          className="button-link"
          aria-label={t(action.label === 'row.reauthorize' ? 'row.reauthorizeName' : 'row.activateName', { name })}
          title={notAllowed}
          aria-disabled={!mayChange || undefined}
          onClick={mayChange ? () => onActivate(action.reauthorize) : undefined}
        >
          {t(action.label)}
        </button>
      </td>
      <td className="col-edit">
        <Link
          to={base}
          className={isConfig ? 'link-info' : undefined}
          aria-label={t(isConfig || !mayChange ? 'row.viewName' : 'row.editName', { name })}
        >
          {t(isConfig || !mayChange ? 'row.view' : 'row.edit')}
        </Link>
        <span className="col-sep" aria-hidden="true">
          {' '}
          ·{' '}
        </span>
        <Link to={`${base}/history`} aria-label={t('row.historyName', { name })}>
          {t('row.history')}
        </Link>
      </td>
      <td className="col-delete">
        {/* Disabled but focusable (aria-disabled) so keyboard and screen-reader users hear why. */}
        <button
          type="button"
          className="icon-button"
          title={notAllowed ?? t(isConfig ? 'row.uninstallToRemove' : 'row.remove')}
          aria-label={t(isConfig ? 'row.removeConfigName' : 'row.removeName', { name })}
          aria-disabled={isConfig || !mayChange || undefined}
          onClick={isConfig || !mayChange ? undefined : onDelete}
        >
          <TrashIcon />
        </button>
      </td>
    </tr>
  );
}
