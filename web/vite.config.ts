// Builds the dashboard into web/dist, which the server serves at `/`.
// `npm run dev -w web` proxies the API to a server on :4000.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  // Vite 8 compiles TSX with oxc; the automatic runtime needs no React import per file.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  // The shared rules package is compiled with the dashboard, from its TypeScript source.
  resolve: { alias: { '@callsnare/rules': fileURLToPath(new URL('../packages/rules/src/index.ts', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      onwarn(warning, warn) {
        // react-router marks its modules "use client" for RSC bundlers; meaningless in a plain SPA.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000', '/webhooks': 'http://127.0.0.1:4000', '/api': 'http://127.0.0.1:4000' } },
});
