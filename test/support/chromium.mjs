// Debian's Chromium driven through playwright-core, for every test, example test and benchmark that opens a
// page: where it is and how it is launched, defined once here. Each caller passes these options to its own
// `chromium.launch()` (playwright-core is a dependency of the package that drives the browser, not of the root).
import { existsSync } from 'node:fs';

/** Debian's Chromium (apt-get install -y chromium). */
export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/**
 * playwright-core's `chromium.launch()` options: headless, no sandbox (root), and nothing that reaches
 * the network. launch() gives every run a fresh temporary profile (user-data-dir) and removes it on close.
 */
export const CHROMIUM_LAUNCH = {
  executablePath: CHROMIUM,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
