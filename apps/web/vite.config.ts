import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  build: {
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // Keep the big vendor libraries in their own long-cached chunks.
        manualChunks: (id) =>
          id.includes('node_modules/echarts') || id.includes('node_modules/zrender')
            ? 'echarts'
            : id.includes('node_modules/antd') ||
                id.includes('node_modules/@ant-design') ||
                id.includes('node_modules/rc-')
              ? 'antd'
              : undefined,
      },
    },
  },
});
