#!/usr/bin/env node
// Regenerates the web admin's typed API client types from the core's OpenAPI document:
//   core/src/admin-api (route descriptions + zod) -> src/lib/api/openapi.json -> src/lib/api/schema.d.ts
// Run after changing an admin route: `npm run generate-api -w @switchyard/admin`. openapi.json is
// committed, so building the admin never needs the server; schema.d.ts is generated from it by
// `npm run api-types` before every build and check (it is not committed).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(here, '..', 'src', 'lib', 'api');
const json = execFileSync(
  process.execPath,
  ['--import', 'tsx', '--conditions', 'switchyard-src', join(root, 'core', 'src', 'admin-api', 'print-openapi.ts')],
  { cwd: root, encoding: 'utf8' },
);
writeFileSync(join(out, 'openapi.json'), json);
execFileSync(
  process.execPath,
  [
    join(here, '..', 'node_modules', 'openapi-typescript', 'bin', 'cli.js'),
    join(out, 'openapi.json'),
    '-o',
    join(out, 'schema.d.ts'),
  ],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
