// Vite builds the operator console from web/ into dist/web (served by the gateway with an SPA fallback).
// In dev, everything the server owns is proxied to it so cookies stay same-origin.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const target = process.env.CONSOLE_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  resolve: {
    // The light build drops EME, subtitles, alternate audio, CMCD and interstitials, none of which a camera
    // stream uses: about 30% less player code. Types still come from the full 'hls.js' entry.
    alias: [{ find: /^hls\.js$/, replacement: 'hls.js/light' }],
  },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // The console chunk carries hls.js (lazy-loaded after login, so the login page stays small).
    chunkSizeWarningLimit: 600,
  },
  server: {
    host: '127.0.0.1',
    // changeOrigin stays false: the gateway accepts a socket.io handshake only when Origin matches Host.
    proxy: {
      '/api': { target, changeOrigin: false },
      '/live': { target, changeOrigin: false },
      '/docs': { target, changeOrigin: false },
      '/socket.io': { target, ws: true, changeOrigin: false },
    },
  },
  preview: { host: '127.0.0.1' },
});
