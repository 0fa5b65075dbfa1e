/// <reference types="node" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The Rowan server that `npm run dev` / `npm run preview` forward API calls to
// (java -jar target/rowan.jar --http-port 8000); ROWAN_BACKEND overrides it.
const backend = process.env.ROWAN_BACKEND || 'http://localhost:8000';
const proxy = {
  '/api': { target: backend },
  '/health': { target: backend },
};

export default defineConfig({
  base: '/',
  plugins: [svelte()],
  build: {
    // Written straight into the Maven output, so the jar serves it from the classpath (web/).
    // Relative to this directory; Maven runs `npm ci` and `npm run build` here.
    outDir: '../target/classes/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Keep every asset a file under /assets/ (no data: URIs), so a strict CSP works.
    assetsInlineLimit: 0,
  },
  server: { proxy },
  preview: { proxy },
});
