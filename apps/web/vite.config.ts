import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every text file of the build; the server sends them as
 * they are to browsers that accept them (@fastify/static `preCompressed`), so no request pays for compression.
 * A copy that would not be smaller is not written.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'xf-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    closeBundle() {
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
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
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
