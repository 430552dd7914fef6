import type { AclResource, ResourceAccess } from '../../api/types';
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
  return (
    <fieldset className="fieldset">
      <legend>Available APIs</legend>
      <Field label="Resource Access" error={errors.resourceAccess}>
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
            <option value="custom">Custom</option>
            <option value="all">All</option>
          </select>
        )}
      </Field>
      {resourceAccess === 'custom' && (
        <div className="field field-wide">
          <div className="field-label" id="resources-label">
            Resources
          </div>
          <div className="field-control" role="group" aria-labelledby="resources-label">
            {errors.resources && (
              <div className="field-error" role="alert">
                {errors.resources}
              </div>
            )}
            {treeError ? (
              <p className="notice notice-error">
                The resource tree could not be loaded: {treeError}{' '}
                <button type="button" className="button-link" onClick={onRetryTree}>
                  Try again
                </button>
              </p>
            ) : tree ? (
              <ResourceTree tree={tree} selected={selected} onChange={onSelected} />
            ) : (
              <p className="muted">Loading resources…</p>
            )}
          </div>
        </div>
      )}
    </fieldset>
  );
}
