/** In-memory seed data in Magento's REST shapes (trimmed to the fields clients usually read). */

export interface Product {
  id: number;
  sku: string;
  name: string;
  attribute_set_id: number;
  price: number;
  status: number;
  visibility: number;
  type_id: string;
  created_at: string;
  updated_at: string;
  extension_attributes: Record<string, unknown>;
  custom_attributes: Array<{ attribute_code: string; value: string }>;
}

export interface Order {
  entity_id: number;
  increment_id: string;
  state: string;
  status: string;
  customer_email: string;
  grand_total: number;
  base_currency_code: string;
  created_at: string;
  items: Array<{ item_id: number; sku: string; name: string; qty_ordered: number; price: number }>;
}

export interface CmsPage {
  id: number;
  identifier: string;
  title: string;
  page_layout: string;
  content_heading: string;
  content: string;
  creation_time: string;
  update_time: string;
  active: boolean;
}

const at = '2024-05-01 10:00:00';

const product = (id: number, sku: string, name: string, price: number, type_id = 'simple'): Product => ({
  id,
  sku,
  name,
  attribute_set_id: 4,
  price,
  status: 1,
  visibility: 4,
  type_id,
  created_at: at,
  updated_at: at,
  extension_attributes: { website_ids: [1] },
  custom_attributes: [{ attribute_code: 'url_key', value: sku.toLowerCase().replace(/[^a-z0-9]+/g, '-') }],
});

export function seedProducts(): Product[] {
  return [
    product(1, '24-MB01', 'Joust Duffle Bag', 34),
    product(2, '24-MB04', 'Strive Shoulder Pack', 32),
    product(3, '24-MB03', 'Crown Summit Backpack', 38),
    product(4, '24-MB05', 'Wayfarer Messenger Bag', 45),
    product(5, '24-MB06', 'Rival Field Messenger', 45),
    product(6, '24-MB02', 'Fusion Backpack', 59),
    product(7, '24-UB02', 'Impulse Duffle', 74),
    product(8, '24-WB01', 'Voyage Yoga Bag', 32),
    product(9, 'MH01', 'Chaz Kangeroo Hoodie', 52, 'configurable'),
    // A SKU with a slash: reachable only as /V1/products/ABC%2F10 (Magento issue #37913).
    product(10, 'ABC/10', 'Slash SKU Sample', 10),
  ];
}

export function seedOrders(): Order[] {
  return [
    {
      entity_id: 1,
      increment_id: '000000001',
      state: 'processing',
      status: 'processing',
      customer_email: 'roni_cost@example.com',
      grand_total: 39,
      base_currency_code: 'USD',
      created_at: at,
      items: [{ item_id: 1, sku: '24-MB01', name: 'Joust Duffle Bag', qty_ordered: 1, price: 34 }],
    },
    {
      entity_id: 2,
      increment_id: '000000002',
      state: 'complete',
      status: 'complete',
      customer_email: 'veronica@example.com',
      grand_total: 82,
      base_currency_code: 'USD',
      created_at: at,
      items: [{ item_id: 2, sku: '24-UB02', name: 'Impulse Duffle', qty_ordered: 1, price: 74 }],
    },
  ];
}

export function seedCmsPages(): CmsPage[] {
  return [
    {
      id: 1,
      identifier: 'no-route',
      title: '404 Not Found',
      page_layout: '2columns-right',
      content_heading: 'Whoops, our bad...',
      content: '<p>The page you requested was not found.</p>',
      creation_time: at,
      update_time: at,
      active: true,
    },
    {
      id: 2,
      identifier: 'home',
      title: 'Home Page',
      page_layout: '1column',
      content_heading: 'Home Page',
      content: '<p>CMS homepage content goes here.</p>',
      creation_time: at,
      update_time: at,
      active: true,
    },
  ];
}

export function seedStoreConfigs() {
  return [
    {
      id: 1,
      code: 'default',
      website_id: 1,
      locale: 'en_US',
      base_currency_code: 'USD',
      default_display_currency_code: 'USD',
      timezone: 'America/Chicago',
      weight_unit: 'lbs',
      base_url: 'http://127.0.0.1:8080/',
      base_link_url: 'http://127.0.0.1:8080/',
      base_static_url: 'http://127.0.0.1:8080/static/',
      base_media_url: 'http://127.0.0.1:8080/media/',
      secure_base_url: 'http://127.0.0.1:8080/',
      secure_base_link_url: 'http://127.0.0.1:8080/',
      secure_base_static_url: 'http://127.0.0.1:8080/static/',
      secure_base_media_url: 'http://127.0.0.1:8080/media/',
    },
  ];
}
