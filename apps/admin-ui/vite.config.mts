import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built with `npm run build:admin-ui` (root = this folder); the gateway serves dist/ at /admin/.
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Everything is bundled: no CDN, no runtime fetch of assets from elsewhere.
    assetsInlineLimit: 0,
    // No source maps in what the gateway serves: they would publish the source, comments and all.
    // `npx vite build apps/admin-ui --sourcemap` makes them for a local debugging session.
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    // `npx vite apps/admin-ui` during development: API calls go to a gateway on the default port.
    proxy: { '/admin/v1': 'http://127.0.0.1:8080' },
  },
});
