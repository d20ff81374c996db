// Vite builds the operator console from web/ into dist/web (served by the gateway with an SPA fallback).
// In dev, everything the server owns is proxied to it so cookies stay same-origin.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const target = process.env.CONSOLE_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // hls.js alone is ~500 kB minified; keep it in its own chunk so the login page loads fast.
    chunkSizeWarningLimit: 700,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target, changeOrigin: false },
      '/live': { target, changeOrigin: false },
      '/docs': { target, changeOrigin: false },
      '/socket.io': { target, ws: true, changeOrigin: false },
    },
  },
  preview: { host: '127.0.0.1' },
});
