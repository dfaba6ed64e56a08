/**
 * The gateway process is started with the memory settings of core/bin/node-settings.json
 * everywhere it is launched from this repository (npm start, the Docker image); the
 * bench reads the file itself. A change in one place without the others fails here.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const settings = JSON.parse(readFileSync(resolve(root, 'core/bin/node-settings.json'), 'utf8')) as {
  nodeFlags: string[];
  env: Record<string, string>;
};

describe('node settings of the gateway process', () => {
  it('are a few V8 flags and environment variables', () => {
    expect(settings.nodeFlags).to.have.length.above(0);
    for (const flag of settings.nodeFlags) expect(flag).to.match(/^--[a-z-]+=\d+$/);
    for (const [name, value] of Object.entries(settings.env)) expect(`${name}=${value}`).to.match(/^[A-Z_]+=\w+$/);
  });

  it('are what npm start uses', () => {
    const start = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
      .scripts['start']!;
    const env = Object.entries(settings.env)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    expect(start.startsWith(`${env} node ${settings.nodeFlags.join(' ')} core/bin/switchyard.js start`), start).to.equal(true);
  });

  it('are what the Docker image runs', () => {
    const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect((JSON.parse(cmd ?? '[]') as string[]).slice(0, settings.nodeFlags.length + 2)).to.deep.equal([
      'node',
      ...settings.nodeFlags,
      'core/bin/switchyard.js',
    ]);
    for (const [name, value] of Object.entries(settings.env))
      expect(dockerfile).to.match(new RegExp(`^\\s*${name}=${value}\\b`, 'm'));
  });
});
