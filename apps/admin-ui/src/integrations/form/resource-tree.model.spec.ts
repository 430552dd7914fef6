import {
  checkState,
  indexTree,
  searchTree,
  selectedInTreeOrder,
  setChecked,
  type TreeNode,
} from './resource-tree.model';

const node = (id: string, title: string, children: TreeNode[] = []): TreeNode => ({ id, title, children });
const tree: TreeNode[] = [
  node('Magento_Sales::sales', 'Sales', [
    node('Magento_Sales::sales_operation', 'Operations', [
      node('Magento_Sales::sales_order', 'Orders'),
      node('Magento_Sales::sales_invoice', 'Invoices'),
    ]),
  ]),
  node('Magento_Catalog::catalog', 'Catalog', [node('Magento_Catalog::products', 'Products')]),
];
const index = indexTree(tree);
const none = new Set<string>();

describe('resource tree selection', () => {
  it('checking a parent checks everything under it', () => {
    const selected = setChecked(index, none, 'Magento_Sales::sales', true);
    expect([...selected].sort()).toEqual(
      [
        'Magento_Sales::sales',
        'Magento_Sales::sales_invoice',
        'Magento_Sales::sales_operation',
        'Magento_Sales::sales_order',
      ].sort(),
    );
    expect(checkState(index, selected, 'Magento_Sales::sales')).toBe('checked');
    expect(checkState(index, selected, 'Magento_Catalog::catalog')).toBe('unchecked');
  });

  it('checking a leaf checks its ancestors, which then show as mixed', () => {
    const selected = setChecked(index, none, 'Magento_Sales::sales_order', true);
    expect(selectedInTreeOrder(tree, selected)).toEqual([
      'Magento_Sales::sales',
      'Magento_Sales::sales_operation',
      'Magento_Sales::sales_order',
    ]);
    expect(checkState(index, selected, 'Magento_Sales::sales')).toBe('mixed');
    expect(checkState(index, selected, 'Magento_Sales::sales_operation')).toBe('mixed');
    expect(checkState(index, selected, 'Magento_Sales::sales_order')).toBe('checked');
  });

  it('unchecking a node unchecks its subtree and keeps its ancestors', () => {
    const all = setChecked(index, none, 'Magento_Sales::sales', true);
    const selected = setChecked(index, all, 'Magento_Sales::sales_operation', false);
    expect(selectedInTreeOrder(tree, selected)).toEqual(['Magento_Sales::sales']);
    expect(checkState(index, selected, 'Magento_Sales::sales')).toBe('mixed');
  });

  it('completing the last child makes the parent checked again', () => {
    let selected = setChecked(index, none, 'Magento_Catalog::catalog', true);
    selected = setChecked(index, selected, 'Magento_Catalog::products', false);
    expect(checkState(index, selected, 'Magento_Catalog::catalog')).toBe('mixed');
    selected = setChecked(index, selected, 'Magento_Catalog::products', true);
    expect(checkState(index, selected, 'Magento_Catalog::catalog')).toBe('checked');
  });

  it('search keeps the path to each match expanded and hides unrelated branches', () => {
    const result = searchTree(index, 'invoice')!;
    expect([...result.matches]).toEqual(['Magento_Sales::sales_invoice']);
    expect([...result.expand].sort()).toEqual(['Magento_Sales::sales', 'Magento_Sales::sales_operation']);
    expect(result.visible.has('Magento_Sales::sales_order')).toBe(false);
    expect(result.visible.has('Magento_Catalog::catalog')).toBe(false);
    expect(searchTree(index, '   ')).toBeNull();
  });

  it('search ignores case and accents, for titles shown in French', () => {
    const french = indexTree([
      node('Magento_Sales::sales', 'Ventes', [node('Magento_Sales::creditmemo', 'Avoirs de Crédit')]),
    ]);
    expect([...searchTree(french, 'credit')!.matches]).toEqual(['Magento_Sales::creditmemo']);
    expect([...searchTree(french, 'CRÉDIT')!.matches]).toEqual(['Magento_Sales::creditmemo']);
  });

  it('drops ids the tree does not know when building the request', () => {
    expect(selectedInTreeOrder(tree, new Set(['Magento_Catalog::products', 'Vendor_Gone::thing']))).toEqual([
      'Magento_Catalog::products',
    ]);
  });
});
