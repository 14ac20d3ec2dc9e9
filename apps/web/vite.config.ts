import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every text file of the build; the server sends them as
 * they are to browsers that accept them (@fastify/static `preCompressed`), so no request pays for compression.
 * A copy that would not be smaller is not written.
 */
function precompress(): Plugin {
  return {
    name: 'xf-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    // After the service worker is written (vite-plugin-pwa also works in closeBundle), so it is compressed too.
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        const walk = (dir: string): string[] =>
          fs
            .readdirSync(dir, { withFileTypes: true })
            .flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
        for (const file of walk(outDir)) {
          if (!/\.(js|mjs|css|html|svg|json|webmanifest|txt)$/.test(file)) continue;
          const raw = fs.readFileSync(file);
          if (raw.length < 512) continue;
          const br = zlib.brotliCompressSync(raw, {
            params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
          });
          const gz = zlib.gzipSync(raw, { level: 9 });
          if (br.length < raw.length) fs.writeFileSync(`${file}.br`, br);
          if (gz.length < raw.length) fs.writeFileSync(`${file}.gz`, gz);
        }
      },
    },
  };
}

/** Where this build writes (set when the config is resolved; `--outDir` may move it). */
let outDir = path.resolve(import.meta.dirname, 'dist');

/**
 * The installable app (issue 24): the web app manifest at /manifest.webmanifest (linked from index.html) and a
 * Workbox service worker. It precaches the app shell only — index.html, the entry script and style, icons — so
 * the first visit costs a member no more than the shell itself; the code of a page is cached when the page is
 * first opened (its file name carries its hash: cache first). Navigations are answered from the cached shell.
 * API answers are not cached here. A new build's worker waits until the member accepts the update prompt
 * (platform/pwa.tsx).
 */
const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  manifestFilename: 'manifest.webmanifest',
  includeAssets: [],
  includeManifestIcons: false,
  manifest: {
    id: '/',
    name: '先锋 · 智慧党建平台',
    short_name: '先锋党建',
    description: '先锋智慧党建平台：组织生活、党费、学习教育、宣传与互动，在手机上随时办理',
    lang: 'zh-CN',
    dir: 'ltr',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#c8161d',
    categories: ['productivity', 'education'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{html,js,css,svg,png,webmanifest}'],
    globIgnores: ['**/*.br', '**/*.gz'],
    // The shell: index.html, what it loads at start (read from the built index.html), the icons.
    manifestTransforms: [
      (entries) => {
        const index = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
        const started = new Set([...index.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]));
        const manifest = entries.filter(
          (e) => e.url === 'index.html' || e.url === 'favicon.svg' || e.url.startsWith('icons/') || started.has(e.url),
        );
        return { manifest, warnings: [] };
      },
    ],
    navigateFallback: '/index.html',
    navigateFallbackDenylist: [/^\/api\//],
    runtimeCaching: [
      {
        urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/assets/'),
        handler: 'CacheFirst',
        options: {
          cacheName: 'xf-assets',
          expiration: { maxEntries: 300, maxAgeSeconds: 60 * 24 * 3600 },
          cacheableResponse: { statuses: [200] },
        },
      },
    ],
    cleanupOutdatedCaches: true,
    clientsClaim: false,
    skipWaiting: false,
  },
});

export default defineConfig({
  plugins: [react(), pwa, precompress()],
  // See src/platform/zod-stub.ts: the web never validates with zod, so zod stays out of the bundle.
  resolve: { alias: { zod: path.resolve(import.meta.dirname, 'src/platform/zod-stub.ts') } },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  build: {
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // With zod stubbed, a schema nobody reads is dead code: calls on `z` count as pure, so they leave too.
      treeshake: { preset: 'recommended', manualPureFunctions: ['z'] },
      output: {
        // ECharts in a chunk of its own, named so: only pages with charts load it (e2e/load-budget checks the
        // member's first load never does). Everything else is split by where it is used: pages are lazy
        // (platform/lazy.tsx), and Rollup puts each antd component with the pages that use it.
        manualChunks: (id) =>
          id.includes('node_modules/echarts') || id.includes('node_modules/zrender') ? 'echarts' : undefined,
      },
    },
  },
});
