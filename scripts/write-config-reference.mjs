// `npm run docs:config`: writes docs/configuration.md from the configuration schema (built package).
import { writeFileSync } from 'node:fs';
import { configReference } from '@kaizen/clickhouse';

writeFileSync(new URL('../docs/configuration.md', import.meta.url), configReference());
process.stdout.write('wrote docs/configuration.md\n');
