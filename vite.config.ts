// Vite builds the operator console from web/ into dist/web (served by the gateway with an SPA fallback).
// In dev, everything the server owns is proxied to it so cookies stay same-origin.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const target = process.env.CONSOLE_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  // The full hls.js build, not hls.js/light: the light build refuses H.265 inside MPEG-TS outright, so an HEVC
  // camera could never play even in a browser that decodes HEVC. Cameras send H.265 often enough to pay for it.
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
