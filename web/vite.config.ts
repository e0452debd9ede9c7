import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Writes `.gz` and `.br` twins of the text assets, which the server sends as they are
 * (@fastify/static `preCompressed`) instead of compressing on every request.
 */
function precompress(): Plugin {
  return {
    name: 'voronka-precompress',
    apply: 'build',
    // after the files are written: every other plugin has finished changing them by then
    writeBundle(options, bundle) {
      const dir = options.dir ?? join(root, 'dist');
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(js|css|html|svg|json)$/.test(fileName)) continue;
        const path = join(dir, fileName);
        const buf = readFileSync(path);
        if (buf.length < 1024) continue;
        writeFileSync(`${path}.gz`, gzipSync(buf, { level: 9 }));
        writeFileSync(`${path}.br`, brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

/**
 * Writes the board screen's files (its chunk, the chunks it imports, its CSS) into the early
 * script of index.html, which preloads them when the app opens on the board: they download
 * beside the app's entry instead of after it has run.
 */
function preloadBoard(): Plugin {
  return {
    name: 'voronka-preload-board',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === 'chunk');
        const board = chunks.find((c) => c.facadeModuleId?.replace(/\\/g, '/').endsWith('/pages/board/index.tsx'));
        if (!board) throw new Error('preload-board: no chunk for web/src/pages/board/index.tsx');
        const files = new Set<string>();
        const add = (name: string) => {
          if (files.has(name)) return;
          files.add(name);
          const chunk = chunks.find((c) => c.fileName === name);
          if (!chunk) return;
          for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css);
          for (const imported of chunk.imports) add(imported);
        };
        add(board.fileName);
        // what index.html loads anyway is left out
        const list = JSON.stringify([...files].map((f) => `/${f}`).filter((url) => !html.includes(`"${url}"`)));
        if (!html.includes('/*board-files*/[]')) throw new Error('preload-board: index.html has no /*board-files*/[] placeholder');
        return html.replace('/*board-files*/[]', list);
      },
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), preloadBoard(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // VORONKA_WEB_MINIFY=0 keeps names readable for a profile (bench/web/profile-board.ts)
    minify: process.env.VORONKA_WEB_MINIFY !== '0',
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // The framework libraries the shell always needs, in a chunk of their own: it changes only
        // when they are upgraded, so browsers keep it across our releases. Libraries of single
        // screens (echarts, @dnd-kit…) stay out of it and load with their screen.
        codeSplitting: {
          groups: [{ name: 'framework', test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|i18next|react-i18next)[\\/]/ }],
        },
      },
    },
  },
  server: {
    port: 5173,
    // `npm run dev:web` next to `npm start`: the API comes from the real server.
    proxy: { '/api': { target: process.env.VORONKA_API ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
