import { defineConfig } from 'vite';

// Relative asset URLs: the built page works from any directory of any static server.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 1024 },
  // The dissection worker is an ES module (it imports the wasm's URL).
  worker: { format: 'es' },
});
