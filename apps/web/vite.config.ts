import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompressPlugin } from './precompress.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const api = 'http://127.0.0.1:3000';

/** The SPA. Built into <repo>/dist/web, which the API serves; in dev, /api and sockets go to the API. */
export default defineConfig({
  root: here('.'),
  // Every text file of the build also as .br and .gz, which the API sends as they are.
  plugins: [react(), precompressPlugin()],
  resolve: {
    alias: { '@vetlab/shared': here('../../libs/shared/src/index.ts') },
  },
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/socket.io': { target: api, ws: true },
    },
  },
});
