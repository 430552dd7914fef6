import type { Integration } from '../../api/types';
import { Link } from '../../routing/router';
import { DateTime } from '../../ui/date-time';
import { formatDateTime, formatRelative } from '../../ui/format';
import { TrashIcon, WarningIcon } from '../../ui/icons';
import { activationAction, STATUS_LABELS } from '../status-label';

const CONFIG_DELETE_TITLE = 'Uninstall the extension to remove this integration';

interface IntegrationRowProps {
  integration: Integration;
  onActivate: (reauthorize: boolean) => void;
  onDelete: () => void;
}

export function IntegrationRow({ integration, onActivate, onDelete }: IntegrationRowProps) {
  const isConfig = integration.setupType === 'config';
  const action = activationAction(integration.status);
  const base = `/integrations/${encodeURIComponent(integration.id)}`;
  return (
    <tr data-integration-id={integration.id} data-status={integration.status}>
      <td className="col-name">
        <span className="integration-name">{integration.name}</span>
        {integration.insecure && (
          <span className="badge badge-warning" title="The callback URL or the identity link URL does not use https://">
            <WarningIcon /> Integration not secure
          </span>
        )}
      </td>
      <td className="col-status">
        <span className={`status status-${integration.status}`}>{STATUS_LABELS[integration.status]}</span>
      </td>
      <td className="col-created">
        <DateTime iso={integration.createdAt} />
      </td>
      <td className="col-updated">
        <DateTime iso={integration.updatedAt} />
      </td>
      <td className="col-last-used">
        {integration.lastUsedAt ? (
          <time dateTime={integration.lastUsedAt} title={formatDateTime(integration.lastUsedAt)}>
            {formatRelative(integration.lastUsedAt)}
          </time>
        ) : (
          <span className="muted">Never</span>
        )}
      </td>
      <td className="col-activate">
        <button
          type="button"
          className="button-link"
          aria-label={`${action.label} ${integration.name}`}
          onClick={() => onActivate(action.reauthorize)}
        >
          {action.label}
        </button>
      </td>
      <td className="col-edit">
        <Link
          to={base}
          className={isConfig ? 'link-info' : undefined}
          aria-label={`${isConfig ? 'View' : 'Edit'} ${integration.name}`}
        >
          {isConfig ? 'View' : 'Edit'}
        </Link>
        <span className="col-sep" aria-hidden="true">
          {' '}
          ·{' '}
        </span>
        <Link to={`${base}/history`} aria-label={`History of ${integration.name}`}>
          History
        </Link>
      </td>
      <td className="col-delete">
        {/* Disabled but focusable (aria-disabled) so keyboard and screen-reader users hear why. */}
        <button
          type="button"
          className="icon-button"
          title={isConfig ? CONFIG_DELETE_TITLE : 'Remove'}
          aria-label={isConfig ? `Remove ${integration.name}: ${CONFIG_DELETE_TITLE}` : `Remove ${integration.name}`}
          aria-disabled={isConfig || undefined}
          onClick={isConfig ? undefined : onDelete}
        >
          <TrashIcon />
        </button>
      </td>
    </tr>
  );
}
