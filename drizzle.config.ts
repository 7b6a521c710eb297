import { defineConfig } from 'drizzle-kit';

// Migrations are generated from db/schema (one dialect, pg-core) and applied at boot by db/client.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/*.ts',
  out: './db/migrations',
});
