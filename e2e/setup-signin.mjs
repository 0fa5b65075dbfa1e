// Browser test of Rowan's first run: setup-needed page, creating the administrator account,
// signing out, a failed and a successful sign-in, and the setup link after setup.
//
// Usage: node setup-signin.mjs <setupLink> <screenshotDir>
//   setupLink      the link Rowan printed at start, e.g. http://127.0.0.1:18123/setup?token=…
//   screenshotDir  where the PNGs go (created when missing)
// Environment: CHROMIUM overrides the browser binary (default /usr/bin/chromium).
//
// Prints one line per step ("ok - <step>"); exits 0 only when every step passed. On failure it
// prints "not ok - <step>: <reason>", saves failure.png and exits 1. Any console error, uncaught
// page error or 5xx answer also fails the run. Expected 4xx answers from /api/ (401 while signed
// out, 422 for a weak password, 401 for a wrong password) are part of the flow and allowed.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const USERNAME = 'admin';
const PASSWORD = 'correct horse battery';
const TOO_SHORT = 'short';
const WRONG_PASSWORD = 'not the right password';
const STEP_TIMEOUT_MS = 15_000;
const OVERALL_TIMEOUT_MS = 120_000;

const [setupLink, screenshotDir] = process.argv.slice(2);
if (!setupLink || !screenshotDir) {
  console.error('usage: node setup-signin.mjs <setupLink> <screenshotDir>');
  process.exit(1);
}

let origin;
try {
  const url = new URL(setupLink);
  if (!url.searchParams.get('token')) throw new Error('the link has no token parameter');
  origin = url.origin;
} catch (e) {
  console.error(`not ok - arguments: "${setupLink}" is not a setup link (${e.message})`);
  process.exit(1);
}
mkdirSync(screenshotDir, { recursive: true });

/** Problems seen by the listeners; checked after every step. */
const pageProblems = [];

function isExpectedApi4xx(message) {
  const url = message.location()?.url ?? '';
  const text = message.text();
  if (!/^Failed to load resource: the server responded with a status of 4\d\d\b/.test(text)) return false;
  try {
    const u = new URL(url);
    return u.origin === origin && u.pathname.startsWith('/api/');
  } catch {
    return false;
  }
}

function watch(page) {
  page.on('console', (message) => {
    if (message.type() !== 'error' || isExpectedApi4xx(message)) return;
    const where = message.location()?.url ? ` (${message.location().url})` : '';
    pageProblems.push(`console error: ${message.text()}${where}`);
  });
  page.on('pageerror', (error) => pageProblems.push(`uncaught error in page: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 500) {
      pageProblems.push(`HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
    }
  });
}

function checkPageProblems() {
  if (pageProblems.length > 0) {
    throw new Error(`the page reported problems:\n  ${pageProblems.join('\n  ')}`);
  }
}

/** What the page shows right now, for failure messages. */
async function describePage(page) {
  try {
    const heading = await page.locator('h1').first().innerText({ timeout: 1000 });
    const alert = await page
      .locator('[role=alert]')
      .first()
      .innerText({ timeout: 200 })
      .catch(() => null);
    return `page ${page.url()} shows heading "${heading.trim()}"${alert ? `, alert "${oneLine(alert)}"` : ''}`;
  } catch {
    return `page ${page.url()} shows no heading`;
  }
}

function oneLine(text) {
  return text.replace(/\s+/g, ' ').trim();
}

async function expectVisible(page, selector, what) {
  try {
    await page.locator(selector).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  } catch {
    throw new Error(`expected ${what} (${selector}), but the ${await describePage(page)}`);
  }
}

async function expectAlert(page, pattern, what) {
  await expectVisible(page, '[role=alert]', what);
  const text = oneLine(await page.locator('[role=alert]').first().innerText());
  if (!pattern.test(text)) throw new Error(`expected ${what} matching ${pattern}, but the alert says "${text}"`);
  return text;
}

async function expectHome(page) {
  await expectVisible(page, '[data-testid=page-home]', 'the home page');
  await expectVisible(page, '#sign-out', 'the Sign out button');
  const user = oneLine(await page.locator('[data-testid=username]').innerText());
  if (!user.includes(USERNAME)) throw new Error(`expected the home page to show "${USERNAME}", but it shows "${user}"`);
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(screenshotDir, name), fullPage: true });
}

async function submit(page) {
  await page.locator('button[type=submit]').click();
}

async function signIn(page, password) {
  await page.locator('#username').fill(USERNAME);
  await page.locator('#password').fill(password);
  await submit(page);
}

const steps = [
  [
    'setup without a token shows where to find the setup link',
    async (page) => {
      await page.goto(`${origin}/setup`);
      await expectVisible(page, '[data-testid=page-setup-needed]', 'the setup-needed page');
      const text = await page.locator('main').innerText();
      if (!text.includes('setup?token=')) throw new Error('the setup-needed page does not mention "setup?token="');
      await screenshot(page, '01-setup-needed.png');
    },
  ],
  [
    'setup link shows the account form and rejects a too-short password',
    async (page) => {
      await page.goto(setupLink);
      await expectVisible(page, '[data-testid=page-setup]', 'the "Create the administrator account" form');
      await screenshot(page, '02-setup.png');
      await page.locator('#username').fill(USERNAME);
      await page.locator('#password').fill(TOO_SHORT);
      await page.locator('#password-confirm').fill(TOO_SHORT);
      await submit(page);
      await expectAlert(page, /\b10\b.*character|character.*\b10\b/i, 'an error about the 10-character rule');
      const kept = await page.locator('#username').inputValue();
      if (kept !== USERNAME) throw new Error(`the username field lost its value after the error (now "${kept}")`);
    },
  ],
  [
    'creating the administrator account signs in and shows the home page',
    async (page) => {
      await page.locator('#password').fill(PASSWORD);
      await page.locator('#password-confirm').fill(PASSWORD);
      await submit(page);
      await expectHome(page);
      await screenshot(page, '03-home.png');
    },
  ],
  [
    'sign out shows the sign-in page',
    async (page) => {
      await page.locator('#sign-out').click();
      await expectVisible(page, '[data-testid=page-login]', 'the sign-in page');
      await expectVisible(page, '#username', 'the username field');
      await screenshot(page, '04-login.png');
    },
  ],
  [
    'a wrong password is refused',
    async (page) => {
      await signIn(page, WRONG_PASSWORD);
      await expectAlert(page, /wrong username or password/i, 'the "Wrong username or password" alert');
      await screenshot(page, '05-login-error.png');
    },
  ],
  [
    'the right password signs in',
    async (page) => {
      await signIn(page, PASSWORD);
      await expectHome(page);
    },
  ],
  [
    'the setup link after setup says Rowan is already set up',
    async (page) => {
      await page.goto(setupLink);
      await expectVisible(page, '[data-testid=page-already-set-up]', 'the "already set up" page');
      await screenshot(page, '06-already-set-up.png');
    },
  ],
];

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
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
  });
  let current = 'starting the browser';
  let page;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    page = await context.newPage();
    watch(page);
    for (const [name, run] of steps) {
      current = name;
      await run(page);
      checkPageProblems();
      console.log(`ok - ${name}`);
    }
    return 0;
  } catch (error) {
    console.log(`not ok - ${current}: ${error?.message ?? error}`);
    if (page) {
      await page
        .screenshot({ path: path.join(screenshotDir, 'failure.png'), fullPage: true })
        .catch((e) => console.log(`# could not save failure.png: ${e.message}`));
    }
    return 1;
  } finally {
    await browser.close().catch(() => {});
  }
}

const overall = setTimeout(() => {
  console.log(`not ok - the test did not finish within ${OVERALL_TIMEOUT_MS / 1000} seconds`);
  process.exit(1);
}, OVERALL_TIMEOUT_MS);

main()
  .then((code) => {
    clearTimeout(overall);
    process.exit(code);
  })
  .catch((error) => {
    console.log(`not ok - ${error?.message ?? error}`);
    process.exit(1);
  });
