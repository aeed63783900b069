/**
 * Vite config of the field pages (/field/): a build of their own, so a phone on a weak signal loads only
 * them (not the dashboards and their charts library), and a service worker (vite-plugin-pwa, Workbox)
 * that keeps exactly these files, so the pages open with no network after one visit online. Run after the
 * main build (npm run build:web does both):
 *   npx vite build --config web/field/vite.config.ts   -> web/dist/field
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const fieldDir = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(fieldDir, '..', '..');

export default defineConfig({
  root: fieldDir,
  base: '/field/',
  plugins: [
    react(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      manifest: {
        name: 'coverdesk – đi từng nhà',
        short_name: 'coverdesk',
        lang: 'vi',
        start_url: '/field/',
        scope: '/field/',
        display: 'standalone',
        theme_color: '#0b5d8a',
        background_color: '#ffffff',
        icons: [],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,webmanifest}'],
        // any /field/ address opens the page from the phone (the data comes from IndexedDB, never from this cache)
        navigateFallback: '/field/index.html',
        navigateFallbackAllowlist: [/^\/field\//],
        // the API is never cached by the service worker
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        // a new service worker takes the open page at once (the data is in IndexedDB, not in its cache)
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  build: {
    outDir: path.resolve(fieldDir, '..', 'dist', 'field'),
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: { fs: { allow: [projectRoot] } },
});
