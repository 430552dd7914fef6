import type { AclResource, ResourceAccess } from '../../api/types';
import { useI18n } from '../../i18n/use-i18n';
import { Field } from '../../ui/field';
import type { FormErrors } from './integration-form.model';
import { ResourceTree } from './resource-tree';

interface ApiTabProps {
  resourceAccess: ResourceAccess;
  selected: ReadonlySet<string>;
  tree: AclResource[] | null;
  treeError: string | null;
  errors: FormErrors;
  onAccess: (access: ResourceAccess) => void;
  onSelected: (next: Set<string>) => void;
  onRetryTree: () => void;
}

/** Tab "API": Resource Access (Custom / All) and, for Custom, the resource tree. */
export function ApiTab({
  resourceAccess,
  selected,
  tree,
  treeError,
  errors,
  onAccess,
  onSelected,
  onRetryTree,
}: ApiTabProps) {
  const { t } = useI18n();
  return (
    <fieldset className="fieldset">
      <legend>{t('form.availableApis')}</legend>
      <Field label={t('form.resourceAccess')} error={errors.resourceAccess}>
        {({ id, describedBy, invalid }) => (
          <select
            id={id}
            name="resourceAccess"
            className="select"
            value={resourceAccess}
            onChange={(e) => onAccess(e.target.value as ResourceAccess)}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
          >
            <option value="custom">{t('form.resourceAccess.custom')}</option>
            <option value="all">{t('form.resourceAccess.all')}</option>
          </select>
        )}
      </Field>
      {resourceAccess === 'custom' && (
        <div className="field field-wide">
          <div className="field-label" id="resources-label">
            {t('form.resources')}
          </div>
          <div className="field-control" role="group" aria-labelledby="resources-label">
            {errors.resources && (
              <div className="field-error" role="alert">
                {errors.resources}
              </div>
            )}
            {treeError ? (
              <p className="notice notice-error">
                {t('form.treeFailed', { error: treeError })}{' '}
                <button type="button" className="button-link" onClick={onRetryTree}>
                  {t('common.tryAgain')}
                </button>
              </p>
            ) : tree ? (
              <ResourceTree tree={tree} selected={selected} onChange={onSelected} />
            ) : (
              <p className="muted">{t('form.loadingResources')}</p>
            )}
          </div>
        </div>
      )}
    </fieldset>
  );
}
