// The dashboard's build (served by the gateway at /) and dev server (`npx vite --config apps/dashboard/vite.config.mjs`,
// which forwards /graphql and /auth to the gateway at GATEWAY_URL, default http://127.0.0.1:4000).
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 900 },
  server: { proxy: { '/graphql': gateway, '/auth': gateway } },
});
