import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const PACKAGES: Record<string, string> = {
  promtool: 'prometheus',
  prometheus: 'prometheus',
  'prometheus-alertmanager': 'prometheus-alertmanager',
  amtool: 'prometheus-alertmanager',
};

/** The path of a Debian binary the tests drive, or an error that says how to install it. */
export function requireBinary(name: string): string {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  const pkg = PACKAGES[name] ?? name;
  throw new Error(
    `${name} is not installed. These tests run Debian's real ${pkg} package: ` +
      `"sudo apt-get install --no-install-recommends ${pkg}" (npm test does it through scripts/bootstrap.mjs --system when run as root).`,
  );
}
