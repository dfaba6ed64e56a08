import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  // `vite dev`: forward the admin API to a gateway on :3000.
  server: {
    proxy: {
      '/admin/api': 'http://127.0.0.1:3000',
      '/api/v1': 'http://127.0.0.1:3000',
      '/self-service': 'http://127.0.0.1:3000',
    },
  },
  build: { chunkSizeWarningLimit: 600 },
});
