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
// The browser handling is shared with the other browser tests (harness.mjs).

import { BrowserRun, exitWith, oneLine } from './harness.mjs';

const USERNAME = 'admin';
const PASSWORD = 'correct horse battery';
const TOO_SHORT = 'short';
const WRONG_PASSWORD = 'not the right password';
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

const browser = new BrowserRun({ origin, screenshotDir });
const expectVisible = (page, selector, what) => browser.expectVisible(page, selector, what);
const expectAlert = (page, pattern, what) => browser.expectAlert(page, pattern, what);
const screenshot = (page, name) => browser.screenshot(page, name);

async function expectHome(page) {
  await expectVisible(page, '[data-testid=page-home]', 'the home page');
  await expectVisible(page, '#sign-out', 'the Sign out button');
  const user = oneLine(await page.locator('[data-testid=username]').innerText());
  if (!user.includes(USERNAME)) throw new Error(`expected the home page to show "${USERNAME}", but it shows "${user}"`);
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

exitWith(() => browser.run(steps), OVERALL_TIMEOUT_MS);
