// Vitest global setup for the browser tests: serve the already built dist/ and provide its URL.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findChromium } from './chromium';
import { DIST_DIR } from './index';
import { serveDist } from './serve';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  for (const page of ['index.html', 'e2e/golden.html']) {
    if (!existsSync(join(DIST_DIR, page))) {
      throw new Error(`dist/${page} is missing: run \`npm run build\` before \`npm run test:e2e\``);
    }
  }
  findChromium(); // fail early, with install advice, if there is no browser
  const served = await serveDist(DIST_DIR);
  project.provide('baseUrl', served.url);
  return () => served.close();
}
