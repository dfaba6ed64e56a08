import { startRedisForTests } from './src/testing/redis-server.js';
try { await startRedisForTests(); console.log('started?!'); } catch (e) { console.log('ERR:', (e as Error).message); }
