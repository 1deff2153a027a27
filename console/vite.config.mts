import { defineConfig } from 'vite';

/**
 * The console is built into dist/console and served by Roster itself at CONSOLE_PATH (default
 * /console): relative asset URLs let one build be served under any path. JSX is Preact's.
 */
export default defineConfig({
  base: './',
  publicDir: false,
  build: { outDir: '../dist/console', emptyOutDir: true, sourcemap: false, target: 'es2022', chunkSizeWarningLimit: 200 },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
