import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useI18n } from '../../i18n/use-i18n';
import { checkState, indexTree, searchTree, setChecked, type TreeIndex, type TreeNode } from './resource-tree.model';

interface ResourceTreeProps {
  tree: TreeNode[];
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  disabled?: boolean;
}

/** The resource tree of the API tab: checkboxes with tri-state parents, expand/collapse, search. */
export function ResourceTree({ tree: given, selected, onChange, disabled }: ResourceTreeProps) {
  const { t, aclTitle, locale } = useI18n();
  // Titles in the interface locale, so that search finds what the admin reads.
  const tree = useMemo(() => localizeTree(given, aclTitle), [given, aclTitle]);
  const index = useMemo(() => indexTree(tree), [tree]);
  // Magento opens the whole tree (state: 'open'); collapsing is the admin's choice.
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [search, setSearch] = useState('');
  const found = useMemo(() => searchTree(index, search), [index, search]);
  const searchId = useId();
  const parents = useMemo(
    () => [...index.nodes.values()].filter((n) => n.children.length > 0).map((n) => n.id),
    [index],
  );

  const isExpanded = (id: string) => (found ? found.expand.has(id) || !collapsed.has(id) : !collapsed.has(id));
  const toggle = (id: string) =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (isExpanded(id)) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <div className="resource-tree">
      <div className="tree-toolbar">
        <label className="visually-hidden" htmlFor={searchId}>
          {t('tree.search')}
        </label>
        <input
          id={searchId}
          className="input tree-search"
          type="search"
          lang={locale}
          placeholder={t('tree.search')}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <button type="button" className="button-link" onClick={() => setCollapsed(new Set())}>
          {t('tree.expandAll')}
        </button>
        <button type="button" className="button-link" onClick={() => setCollapsed(new Set(parents))}>
          {t('tree.collapseAll')}
        </button>
      </div>
      {found && found.matches.size === 0 && (
        <p className="tree-empty">{t('tree.noMatch', { search: search.trim() })}</p>
      )}
      <ul className="tree-level tree-root" aria-label={t('form.resources')}>
        {tree
          .filter((n) => !found || found.visible.has(n.id))
          .map((n) => (
            <TreeItem
              key={n.id}
              node={n}
              index={index}
              selected={selected}
              onChange={onChange}
              disabled={disabled}
              visible={found?.visible}
              matches={found?.matches}
              isExpanded={isExpanded}
              toggle={toggle}
            />
          ))}
      </ul>
    </div>
  );
}

interface TreeItemProps {
  node: TreeNode;
  index: TreeIndex;
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  disabled?: boolean;
  visible?: Set<string>;
  matches?: Set<string>;
  isExpanded: (id: string) => boolean;
  toggle: (id: string) => void;
}

/** The same tree with each title in the interface locale (ids unchanged). */
function localizeTree(nodes: TreeNode[], title: (english: string) => string): TreeNode[] {
  return nodes.map((node) => ({ ...node, title: title(node.title), children: localizeTree(node.children, title) }));
}

function TreeItem(props: TreeItemProps) {
  const { node, index, selected, onChange, disabled, visible, matches, isExpanded, toggle } = props;
  const { t } = useI18n();
  const state = checkState(index, selected, node.id);
  const box = useRef<HTMLInputElement>(null);
  const id = useId();
  useEffect(() => {
    if (box.current) box.current.indeterminate = state === 'mixed';
  }, [state]);
  const hasChildren = node.children.length > 0;
  const expanded = hasChildren && isExpanded(node.id);
  const children = node.children.filter((c) => !visible || visible.has(c.id));

  return (
    <li className="tree-item" data-resource-id={node.id}>
      <div className={`tree-row${matches?.has(node.id) ? ' tree-match' : ''}`}>
        {hasChildren ? (
          <button
            type="button"
            className="tree-toggle"
            aria-expanded={expanded}
            aria-label={t(expanded ? 'tree.collapse' : 'tree.expand', { title: node.title })}
            onClick={() => toggle(node.id)}
          >
            <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
          </button>
        ) : (
          <span className="tree-toggle-spacer" />
        )}
        <input
          ref={box}
          id={id}
          type="checkbox"
          checked={state === 'checked'}
          aria-checked={state === 'mixed' ? 'mixed' : state === 'checked'}
          disabled={disabled}
          onChange={(event) =>
            onChange(setChecked(index, selected, node.id, event.target.checked || state === 'mixed'))
          }
        />
        <label htmlFor={id}>{node.title}</label>
      </div>
      {expanded && children.length > 0 && (
        <ul className="tree-level">
          {children.map((child) => (
            <TreeItem key={child.id} {...props} node={child} />
          ))}
        </ul>
      )}
    </li>
  );
}
