import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './browser.js';

// Browser tests run against the built app that the real server serves: build web/dist once if it is
// missing or older than the sources (the same check `npm start` makes).
export function setup(): void {
  execFileSync(process.execPath, ['scripts/ensure-web-build.mjs'], { stdio: 'inherit' });
  if (!existsSync(chromiumPath())) {
    throw new Error(`Chromium not found at ${chromiumPath()}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
}
