import { defineConfig } from 'vite';

// The console: `npm run build:web` writes web/dist, which `vigil serve` serves at `/`.
// For `npx vite --config web/vite.config.ts`, the API is proxied to a server on 127.0.0.1:8080.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  // React's automatic JSX runtime through esbuild; no React plugin needed for a build.
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The served Content-Security-Policy allows no inline script or style.
    assetsInlineLimit: 0,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
