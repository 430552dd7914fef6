import type { MessageId } from '../i18n/catalogue';

/**
 * Magento's admin menu, reduced to the pages this admin has: Stores › Settings › Configuration and
 * System › Extensions › Integrations, in Magento's order (Stores before System). Admin accounts and
 * roles belong under System › Permissions (Magento's "All Users" and "User Roles"): add that group
 * here when the pages exist.
 */
export type MenuArea = 'stores' | 'system';

export interface MenuItem {
  id: string;
  label: MessageId;
  to: string;
}

export interface MenuGroup {
  label: MessageId;
  items: MenuItem[];
}

export interface MenuEntry {
  area: MenuArea;
  label: MessageId;
  groups: MenuGroup[];
}

export const MENU: readonly MenuEntry[] = [
  {
    area: 'stores',
    label: 'menu.stores',
    groups: [
      {
        label: 'menu.stores.settings',
        items: [{ id: 'configuration', label: 'menu.stores.configuration', to: '/config' }],
      },
    ],
  },
  {
    area: 'system',
    label: 'menu.system',
    groups: [
      {
        label: 'menu.system.extensions',
        items: [{ id: 'integrations', label: 'menu.system.integrations', to: '/' }],
      },
    ],
  },
];
