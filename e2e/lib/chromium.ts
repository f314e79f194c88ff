// Finding and launching the system Chromium (never a Playwright browser download).
import { existsSync } from 'node:fs';
import { type Browser, type BrowserServer, chromium } from 'playwright-core';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/**
 * Chromium flags under which WebGL2 works headless via SwiftShader (../shared/notes/spike.md §3).
 * `--disable-gpu-compositing` composites pages in software, as Chrome does on a machine without a usable GPU;
 * WebGL still runs on SwiftShader. Without it every frame is drawn through SwiftShader too, which cost more CPU
 * than the losses themselves on a 2-core machine (the 200-edit test in app-shell took 31 s instead of 8 s).
 * `--enable-angle-features=preferGlobalPipelineCache` gives ANGLE's Vulkan backend one pipeline cache for all
 * WebGL programs instead of one per program, so that SwiftShader can reuse what it compiled for another program
 * (all TF.js programs share one vertex shader). A cold WebGL page computing all 25 losses at 64² spent ≈ 9 s of
 * its ≈ 15 s in readPixels, waiting for pipelines to compile; with the flag the WebGL cold-start file took
 * 106–109 s instead of 130–144 s. It changes no result (the cache is keyed by the exact shader code, and every
 * WebGL check runs under it).
 */
export const CHROMIUM_ARGS = [
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-gpu-compositing',
  '--enable-angle-features=preferGlobalPipelineCache',
  '--disable-quic',
  '--disable-sync',
  '--no-sandbox',
];

/** CHROMIUM_PATH if set (and present), else the usual system paths; throws with install advice otherwise. */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `No Chromium found (looked at ${CANDIDATES.join(', ')}). Install it with \`apt-get install -y chromium\` ` +
        'or point CHROMIUM_PATH at a Chromium/Chrome binary. (Never `npx playwright install`: the browser tests use the system browser.)',
    );
  }
  return found;
}

/**
 * Headless Chromium with the WebGL-over-SwiftShader flags; the caller closes it. SEGLOSS_CHROMIUM_ARGS
 * (space-separated) adds flags, e.g. `--use-gl=swiftshader` to check that a missing WebGL fails loudly.
 */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions(extraArgs));
}

/** The launch options of launchBrowser (also used for the run's shared browser server). */
export function chromiumLaunchOptions(extraArgs: string[] = []) {
  const fromEnv = (process.env.SEGLOSS_CHROMIUM_ARGS ?? '').split(/\s+/).filter(Boolean);
  return { executablePath: findChromium(), headless: true, args: [...CHROMIUM_ARGS, ...extraArgs, ...fromEnv] };
}

/** The run's shared browser as a Playwright browser server (e2e/lib/global-setup.ts; files connect to it). */
export function launchSharedBrowser(): Promise<BrowserServer> {
  return chromium.launchServer(chromiumLaunchOptions());
}
