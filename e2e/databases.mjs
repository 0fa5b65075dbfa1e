// Browser test of the Databases page against a real Rowan: sign in, the empty state, a connection
// test that fails (wrong port), connecting an external database by URL, creating a database on the
// built-in server with the sample data, the removal preview, and removing the external database.
//
// Usage: node databases.mjs <baseUrl> <username> <password> <screenshotDir> <externalUrl>
//   baseUrl        where Rowan answers, e.g. http://localhost:18123 (already set up)
//   username       an account that can sign in
//   password       its password
//   screenshotDir  where the PNGs go (created when missing)
//   externalUrl    a postgres:// URL of an existing database Rowan may connect and then remove
// Environment: CHROMIUM overrides the browser binary (default /usr/bin/chromium).
//
// Prints one line per step ("ok - <step>"); exits 0 only when every step passed. On failure it
// prints "not ok - <step>: <reason>", saves failure.png and exits 1. Any console error, uncaught
// page error or 5xx answer also fails the run; 4xx answers from /api/ (401 before signing in, 422
// for the failed connection test) are part of the flow and allowed.

import { createServer } from 'node:net';
import { BrowserRun, exitWith, oneLine } from './harness.mjs';

const EXTERNAL_NAME = 'External';
const BUILTIN_NAME = 'Bookshop';
/** Creating the first built-in database starts (and the first time unpacks) PostgreSQL. */
const CREATE_TIMEOUT_MS = 150_000;
const OVERALL_TIMEOUT_MS = 300_000;

const [baseUrl, username, password, screenshotDir, externalUrl] = process.argv.slice(2);
if (!baseUrl || !username || !password || !screenshotDir || !externalUrl) {
  console.error('usage: node databases.mjs <baseUrl> <username> <password> <screenshotDir> <externalUrl>');
  process.exit(1);
}

let origin;
let external;
try {
  origin = new URL(baseUrl).origin;
  const u = new URL(externalUrl);
  if (!/^postgres(ql)?:$/.test(u.protocol)) throw new Error('it is not a postgres:// URL');
  external = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port || '5432',
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
} catch (e) {
  console.error(`not ok - arguments: ${e.message}`);
  process.exit(1);
}

const browser = new BrowserRun({ origin, screenshotDir });
const expectVisible = (page, selector, what, timeout) => browser.expectVisible(page, selector, what, timeout);
const screenshot = (page, name) => browser.screenshot(page, name);

/** A port on this machine where nothing listens (taken from the system, then released). */
function closedPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const card = (name) => `[data-testid=database-card][data-name="${name}"]`;

async function expectDatabasesPage(page) {
  await expectVisible(page, '[data-testid=page-home]', 'the Databases page');
  await expectVisible(page, '[data-testid=database-list], [data-testid=databases-empty]', 'the list or the empty state');
}

async function expectReady(page, name, timeout) {
  await expectVisible(page, card(name), `"${name}" in the list of databases`, timeout);
  const status = await page.locator(card(name)).getAttribute('data-status');
  if (status !== 'ready') {
    const text = oneLine(await page.locator(card(name)).innerText());
    throw new Error(`expected "${name}" to be ready, but its status is "${status}": ${text}`);
  }
  const badge = oneLine(await page.locator(`${card(name)} [data-testid=status-badge]`).innerText());
  if (!/ready/i.test(badge)) throw new Error(`expected the badge of "${name}" to say Ready, but it says "${badge}"`);
}

async function expectValue(page, selector, expected, what) {
  const value = await page.locator(selector).inputValue();
  if (value !== expected) throw new Error(`expected ${what} to keep "${expected}", but it has "${value}"`);
}

const steps = [
  [
    'signing in shows the Databases page with its empty state',
    async (page) => {
      await page.goto(`${origin}/login`);
      await expectVisible(page, '[data-testid=page-login]', 'the sign-in page');
      await page.locator('#username').fill(username);
      await page.locator('#password').fill(password);
      await page.locator('button[type=submit]').click();
      await expectDatabasesPage(page);
      await expectVisible(page, '[data-testid=databases-empty]', 'the empty state (no databases yet)');
      await expectVisible(page, '[data-testid=databases-empty] [data-testid=connect-database]', 'Connect an existing database');
      await expectVisible(page, '[data-testid=databases-empty] [data-testid=create-database]', 'Create a new database');
      await screenshot(page, '01-empty.png');
      await browser.screenshotNarrow(page, '01-empty-375.png');
    },
  ],
  [
    'testing a connection on a wrong port shows that the server is unreachable',
    async (page) => {
      await page.locator('[data-testid=databases-empty] [data-testid=connect-database]').click();
      await expectVisible(page, '[data-testid=page-connect]', 'the connect page');
      await page.locator('#db-name').fill(EXTERNAL_NAME);
      await page.locator('[data-testid=mode-fields]').check();
      const wrongPort = String(await closedPort());
      await page.locator('#db-host').fill(external.host);
      await page.locator('#db-port').fill(wrongPort);
      await page.locator('#db-database').fill(external.database);
      await page.locator('#db-username').fill(external.username);
      await page.locator('#db-password').fill(external.password);
      await page.locator('[data-testid=test-connection]').click();
      await expectVisible(page, '[data-testid=test-result]', 'the result of the connection test');
      const result = page.locator('[data-testid=test-result]');
      const ok = await result.getAttribute('data-ok');
      const code = await result.getAttribute('data-code');
      const text = oneLine(await result.innerText());
      if (ok !== 'false' || code !== 'unreachable') {
        throw new Error(`expected the test to fail with "unreachable", but it shows ok=${ok} code=${code}: "${text}"`);
      }
      await expectVisible(page, '[data-testid=test-result] [role=alert]', 'the problem (title, detail, hint)');
      const failed = await page.locator('[data-testid=check][data-ok=false]').count();
      if (failed < 1) throw new Error(`expected a failed check (✗) in the result, but it shows "${text}"`);
      await expectValue(page, '#db-port', wrongPort, 'the port field');
      await expectValue(page, '#db-name', EXTERNAL_NAME, 'the name field');
      await screenshot(page, '02-test-unreachable.png');
    },
  ],
  [
    'connecting the external database by URL lists it as ready',
    async (page) => {
      await page.locator('[data-testid=mode-url]').check();
      await page.locator('#db-url').fill(externalUrl);
      await page.locator('[data-testid=test-connection]').click();
      await expectVisible(page, '[data-testid=test-result][data-ok=true]', 'a successful connection test');
      await page.locator('button[type=submit]').click();
      await expectDatabasesPage(page);
      await expectReady(page, EXTERNAL_NAME);
      await expectVisible(page, '[data-testid=notice]', 'the "Connected" notice');
      await screenshot(page, '03-connected.png');
    },
  ],
  [
    'creating a database on the built-in server with the sample lists it as ready',
    async (page) => {
      await page.locator('.head [data-testid=create-database]').click();
      await expectVisible(page, '[data-testid=page-create]', 'the create page');
      if (!(await page.locator('[data-testid=sample]').isChecked())) {
        throw new Error('expected "Add a sample bookshop dataset" to be checked by default');
      }
      await page.locator('#db-name').fill(BUILTIN_NAME);
      await page.locator('button[type=submit]').click();
      // The progress text shows while the built-in server starts (unless that is very quick).
      const progress = page.locator('[data-testid=create-progress]');
      if (await progress.isVisible().catch(() => false)) {
        const text = oneLine(await progress.innerText().catch(() => ''));
        if (text && !/Starting the built-in PostgreSQL server/.test(text)) {
          throw new Error(`expected the progress text "Starting the built-in PostgreSQL server…", but it says "${text}"`);
        }
        await screenshot(page, '04-creating.png').catch(() => {});
      }
      await expectVisible(page, '[data-testid=page-home]', 'the Databases page after creating', CREATE_TIMEOUT_MS);
      await expectReady(page, BUILTIN_NAME);
      await expectReady(page, EXTERNAL_NAME);
      await screenshot(page, '05-list.png');
      await browser.screenshotNarrow(page, '05-list-375.png');
    },
  ],
  [
    'the remove dialog of the sample database lists its columns of Rowan types, and Escape closes it',
    async (page) => {
      const remove = page.locator(`${card(BUILTIN_NAME)} [data-testid=remove-database]`);
      await remove.click();
      await expectVisible(page, '[data-testid=remove-dialog]', 'the remove dialog');
      await expectVisible(page, '[data-testid=remove-dialog] [data-testid=removal-preview]', 'the removal preview');
      const columns = await page.locator('[data-testid=removal-column]').allInnerTexts();
      if (columns.length === 0 || !columns.some((c) => /email/.test(c))) {
        throw new Error(`expected the sample's columns of Rowan types (e.g. an email column), but the preview lists ${JSON.stringify(columns)}`);
      }
      await screenshot(page, '06-remove-preview-sample.png');
      await page.keyboard.press('Escape');
      await browser.expectGone(page, '[data-testid=remove-dialog]', 'the remove dialog after Escape');
      const focusedOnRemove = await remove.evaluate((el) => el === document.activeElement);
      if (!focusedOnRemove) throw new Error('expected the focus to return to the Remove button after closing the dialog');
      await expectReady(page, BUILTIN_NAME);
    },
  ],
  [
    'removing the external database from Rowan takes it off the list',
    async (page) => {
      await page.locator(`${card(EXTERNAL_NAME)} [data-testid=remove-database]`).click();
      await expectVisible(page, '[data-testid=remove-dialog]', 'the remove dialog');
      await expectVisible(page, '[data-testid=remove-dialog] [data-testid=removal-preview]', 'the removal preview');
      const dialogText = oneLine(await page.locator('[data-testid=remove-dialog]').innerText());
      if (!/stays on/.test(dialogText)) throw new Error(`expected the dialog to say the data stays on the server: "${dialogText}"`);
      if (await page.locator('[data-testid=keep-schemas]').isChecked()) {
        throw new Error('expected "Keep Rowan’s schemas installed" to be unchecked by default');
      }
      await screenshot(page, '07-remove-dialog.png');
      await page.locator('[data-testid=remove-confirm]').click();
      await browser.expectGone(page, '[data-testid=remove-dialog]', 'the remove dialog after removing');
      await browser.expectGone(page, card(EXTERNAL_NAME), `"${EXTERNAL_NAME}" in the list`);
      await expectVisible(page, '[data-testid=notice]', 'the "was removed" notice');
      await expectReady(page, BUILTIN_NAME);
      await screenshot(page, '08-removed.png');
      // And it stays gone when the list is loaded again.
      await page.reload();
      await expectDatabasesPage(page);
      await expectReady(page, BUILTIN_NAME);
      if ((await page.locator(card(EXTERNAL_NAME)).count()) !== 0) {
        throw new Error(`"${EXTERNAL_NAME}" is listed again after reloading the page`);
      }
    },
  ],
];

exitWith(() => browser.run(steps), OVERALL_TIMEOUT_MS);
