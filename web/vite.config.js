// Vite build of the console. Element Plus components and their styles are
// imported on demand (unplugin-vue-components with its resolver), so the
// bundle carries only what the screens use. The output, web/dist, is what
// `minsheng serve --web-root web/dist` serves: hashed files under /assets/
// (cached for a year) and index.html (revalidated on every load).
// Two entries: index.html (the staff console) and portal.html (the resident
// portal at /portal, a separate, small bundle for phones); they share only
// Vue, the router and Element Plus chunks.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

export default defineConfig({
  plugins: [
    vue(),
    AutoImport({ resolvers: [ElementPlusResolver()], dts: false }),
    Components({ resolvers: [ElementPlusResolver()], dts: false }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    rollupOptions: { input: { index: 'index.html', portal: 'portal.html' } },
    // Each screen is its own chunk (lazy routes in src/router.js), so
    // ECharts loads only with the dashboard.
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npm run dev` against a local `minsheng serve` on :8080.
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
})
