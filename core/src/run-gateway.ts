/**
 * `switchyard start`: loads the config, builds the gateway, listens, reloads the config
 * file's declared records on SIGHUP, and stops gracefully on SIGINT/SIGTERM (a second
 * signal exits at once).
 */
import { loadConfig } from './config/load-config.js';
import { createGateway } from './gateway.js';

/** Starts the gateway for `switchyard start`; resolves once it listens. */
export async function runGatewayFromCli(options: { configFile?: string }): Promise<void> {
  const loaded = await loadConfig({ ...(options.configFile ? { file: options.configFile } : {}) });
  const gateway = await createGateway({
    config: loaded.config,
    configDir: loaded.dir,
    rootDir: process.cwd(),
    ...(loaded.file ? { configFile: loaded.file } : {}),
  });
  const url = await gateway.listen();
  process.stdout.write(`Switchyard listening on ${url} (health: ${url}/health)\n`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write(`${signal}: finishing in-flight requests, then stopping\n`);
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  // SIGHUP reloads the declared keys, accounts and groups (and would otherwise end the process).
  process.on('SIGHUP', () => void gateway.reload());
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
