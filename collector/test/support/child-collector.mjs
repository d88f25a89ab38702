// A collector in a child process for the kill -9 test, run from the BUILT packages (npm run build).
// Config comes from the KAIZEN_* environment; argv[2] is JSON of writer options.
// Prints "ready <httpPort> <grpcPort>" once listening; SIGTERM drains and exits 0.
import { loadConfig, openStorage, prepareStore } from '@kaizen/clickhouse';
import { startCollector } from '@kaizen/collector';
import { pino } from 'pino';

const config = loadConfig(process.env);
const storage = await openStorage(config.storage);
await prepareStore(storage);
const collector = await startCollector({
  storage,
  config,
  logger: pino({ level: process.env['KAIZEN_TEST_LOG'] ?? 'silent' }, pino.destination(2)),
  writer: JSON.parse(process.argv[2] ?? '{}'),
});
process.stdout.write(`ready ${collector.httpPort} ${collector.grpcPort}\n`);
process.once('SIGTERM', () => {
  collector
    .close()
    .then(() => storage.close())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
});
