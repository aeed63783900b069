/**
 * Vite config of the web app. Run from the project root:
 *   npx vite build --config web/vite.config.ts   -> web/dist (served by the server as static files)
 *   npx vite --config web/vite.config.ts         -> dev server, /api proxied to the API server
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(webDir, '..');
const apiTarget = process.env.COVERDESK_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: webDir,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.resolve(webDir, 'dist'),
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    // the catalogues live in src/i18n, outside the web root
    fs: { allow: [projectRoot] },
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
});
