/**
 * The repository's docker-compose.yml and systemd unit example: they are not run here
 * (no Docker daemon or systemd in the test machine), so their structure is checked
 * instead: health checks that work in the image (no curl there), secrets taken from
 * the environment, durable Redis, the memory settings of core/bin/node-settings.json.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');

interface ComposeService {
  build?: string;
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as {
    services: Record<string, ComposeService>;
    volumes: Record<string, unknown>;
  };
  const gateway = compose.services['switchyard']!;
  const redis = compose.services['redis']!;

  it('builds the gateway from the Dockerfile and checks its health with node (the image has no curl)', () => {
    expect(gateway.build).to.equal('.');
    expect(read('Dockerfile')).not.to.match(/\bcurl\b/);
    const test = gateway.healthcheck!.test;
    expect(test.slice(0, 3)).to.deep.equal(['CMD', 'node', '-e']);
    expect(test[3]).to.contain("fetch('http://127.0.0.1:3000/health')");
    expect(test[3]).to.contain('process.exit(r.ok?0:1)');
  });

  it('waits for a healthy Redis that persists its data and never evicts', () => {
    expect(gateway.depends_on).to.deep.equal({ redis: { condition: 'service_healthy' } });
    expect(redis.healthcheck!.test).to.deep.equal(['CMD', 'redis-cli', 'ping']);
    expect(redis.command).to.include.members(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']);
    expect(redis.volumes).to.deep.equal(['redis-data:/data']);
    expect(compose.volumes).to.have.property('redis-data');
    expect(gateway.environment!['REDIS_URL']).to.equal('redis://redis:6379/0');
  });

  it('mounts the config read-only and the data folder as a volume', () => {
    expect(gateway.volumes).to.include('./switchyard.config.json:/app/switchyard.config.json:ro');
    expect(gateway.volumes).to.include('switchyard-data:/app/data');
    expect(compose.volumes).to.have.property('switchyard-data');
  });

  it('takes secrets from the environment or .env, never from the file', () => {
    expect(gateway.environment!['ENCRYPTION_KEY']).to.match(/^\$\{ENCRYPTION_KEY:\?[^}]+\}$/);
    expect(gateway.environment!['ADMIN_PASSWORD']).to.equal('${ADMIN_PASSWORD:-}');
    expect(read('.gitignore')).to.match(/^\.env$/m);
    expect(read('.dockerignore')).to.match(/^\.env$/m);
  });
});

describe('examples/systemd/switchyard.service', () => {
  const unit = read('examples/systemd/switchyard.service');
  const settings = JSON.parse(read('core/bin/node-settings.json')) as { nodeFlags: string[]; env: Record<string, string> };
  const directives = new Map<string, string[]>();
  for (const line of unit.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (match) directives.set(match[1]!, [...(directives.get(match[1]!) ?? []), match[2]!]);
  }
  const one = (name: string) => directives.get(name)?.[0];

  it('runs the gateway with the memory settings of node-settings.json', () => {
    expect(one('ExecStart')).to.equal(
      `/usr/bin/node ${settings.nodeFlags.join(' ')} core/bin/switchyard.js start --config /etc/switchyard/config.json`,
    );
    for (const [name, value] of Object.entries(settings.env)) expect(one('Environment')).to.contain(`${name}=${value}`);
  });

  it('is hardened, restarts on failure, reloads with SIGHUP and reads secrets from an EnvironmentFile', () => {
    expect(one('DynamicUser')).to.equal('yes');
    expect(one('ProtectSystem')).to.equal('strict');
    expect(one('StateDirectory')).to.equal('switchyard');
    expect(one('Environment')).to.contain('SWITCHYARD_DATA_DIR=/var/lib/switchyard');
    expect(one('Restart')).to.equal('on-failure');
    expect(one('EnvironmentFile')).to.equal('/etc/switchyard/env');
    expect(one('ExecReload')).to.equal('/bin/kill -HUP $MAINPID');
    expect(one('NoNewPrivileges')).to.equal('yes');
    expect(one('CapabilityBoundingSet')).to.equal('');
    expect(directives.has('MemoryDenyWriteExecute')).to.equal(false);
    expect(directives.has('ProcSubset')).to.equal(false);
  });
});
