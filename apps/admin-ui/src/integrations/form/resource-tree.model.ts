/**
 * The "Resource Access = Custom" tree, as pure functions over a set of selected ids.
 *
 * Selection rules (Magento's role tree): checking a resource checks everything under it and the
 * resources above it (a child is useless without its parent); unchecking one unchecks everything
 * under it and leaves its ancestors alone. A parent shows checked when it and everything under it
 * is selected, "mixed" when only part of that is, unchecked when none of it is.
 */
export interface TreeNode {
  id: string;
  title: string;
  children: TreeNode[];
}

export interface TreeIndex {
  nodes: Map<string, TreeNode>;
  parent: Map<string, string | undefined>;
  /** Every id under a node (not the node itself). */
  descendants: Map<string, string[]>;
}

export type CheckState = 'checked' | 'mixed' | 'unchecked';

export function indexTree(roots: readonly TreeNode[]): TreeIndex {
  const index: TreeIndex = { nodes: new Map(), parent: new Map(), descendants: new Map() };
  const walk = (node: TreeNode, parent: string | undefined): string[] => {
    index.nodes.set(node.id, node);
    index.parent.set(node.id, parent);
    const below = node.children.flatMap((child) => [child.id, ...walk(child, node.id)]);
    index.descendants.set(node.id, below);
    return below;
  };
  roots.forEach((root) => walk(root, undefined));
  return index;
}

export function ancestorsOf(index: TreeIndex, id: string): string[] {
  const result: string[] = [];
  for (let p = index.parent.get(id); p !== undefined; p = index.parent.get(p)) result.push(p);
  return result;
}

export function setChecked(index: TreeIndex, selected: ReadonlySet<string>, id: string, checked: boolean): Set<string> {
  const next = new Set(selected);
  const below = index.descendants.get(id) ?? [];
  if (checked) {
    [id, ...below, ...ancestorsOf(index, id)].forEach((x) => next.add(x));
  } else {
    [id, ...below].forEach((x) => next.delete(x));
  }
  return next;
}

export function checkState(index: TreeIndex, selected: ReadonlySet<string>, id: string): CheckState {
  const family = [id, ...(index.descendants.get(id) ?? [])];
  const count = family.filter((x) => selected.has(x)).length;
  if (count === 0) return 'unchecked';
  return count === family.length ? 'checked' : 'mixed';
}

/** Case and accents ignored: "credit" finds "Avoirs de crédit" as "crédit" does. */
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * What a search shows: the nodes whose title or id contains the text, with their ancestors (to keep
 * the path visible, expanded) and their descendants. `null` = no search, show everything.
 */
export function searchTree(
  index: TreeIndex,
  text: string,
): { visible: Set<string>; matches: Set<string>; expand: Set<string> } | null {
  const needle = fold(text.trim());
  if (!needle) return null;
  const matches = new Set<string>();
  for (const node of index.nodes.values()) {
    if (fold(node.title).includes(needle) || fold(node.id).includes(needle)) matches.add(node.id);
  }
  const visible = new Set<string>();
  const expand = new Set<string>();
  for (const id of matches) {
    visible.add(id);
    (index.descendants.get(id) ?? []).forEach((x) => visible.add(x));
    for (const a of ancestorsOf(index, id)) {
      visible.add(a);
      expand.add(a);
    }
  }
  return { visible, matches, expand };
}

/** Ids the tree knows, in tree order: what is sent as `resources` (unknown ids are dropped). */
export function selectedInTreeOrder(roots: readonly TreeNode[], selected: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const walk = (node: TreeNode) => {
    if (selected.has(node.id)) out.push(node.id);
    node.children.forEach(walk);
  };
  roots.forEach(walk);
  return out;
}

/** Titles of the selected resources, each with its path, for the activation dialog. */
export function describeSelection(
  index: TreeIndex,
  ids: readonly string[],
): Array<{ id: string; title: string; depth: number }> {
  return ids.map((id) => ({ id, title: index.nodes.get(id)?.title ?? id, depth: ancestorsOf(index, id).length }));
}
