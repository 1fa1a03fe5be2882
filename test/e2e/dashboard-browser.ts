import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; `.ci/run` installs it. playwright-core never downloads a browser of its own. */
export const CHROMIUM = process.env.TEND_CHROMIUM ?? '/usr/bin/chromium';

/** Headless Chromium with every background connection off: this machine has no network but loopback. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\``);
  // playwright gives each launch a fresh, empty profile (user data dir) and adds --headless itself.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
