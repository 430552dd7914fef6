export const ADMIN_UI_CONFIG = Symbol('ADMIN_UI_CONFIG');
