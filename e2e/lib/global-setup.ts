// Vitest global setup for the browser tests: serve the already built dist/, start the run's one Chromium, and
// provide both addresses.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findChromium, launchSharedBrowser } from './chromium';
import { DIST_DIR } from './index';
import { serveDist } from './serve';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // SEGLOSS_DIST_DIR serves another build (e.g. a private one while someone else rebuilds dist/).
  const dir = process.env.SEGLOSS_DIST_DIR || DIST_DIR;
  for (const page of ['index.html', 'e2e/golden.html']) {
    if (!existsSync(join(dir, page))) {
      throw new Error(`${join(dir, page)} is missing: run \`npm run build\` before \`npm run test:e2e\``);
    }
  }
  findChromium(); // fail early, with install advice, if there is no browser
  const served = await serveDist(dir);
  project.provide('baseUrl', served.url);
  // One Chromium for every file (each test opens its own context in it).
  const browser = await launchSharedBrowser();
  project.provide('browserWs', browser.wsEndpoint());
  return async () => {
    await browser.close();
    await served.close();
  };
}
