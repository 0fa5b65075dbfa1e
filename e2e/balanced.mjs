// A short journey through a load balancer in front of two Rowan instances (LoadBalancerIT runs it):
// setup with the one-time link → sign out and in again → connect a database by URL → import a CSV
// file into a new table → edit a cell → reload the page. The balancer names the instance that
// answered in an X-Served-By header; at the end of each step the script sends the names of the
// instances that answered that step's requests to a checkpoint, so the Java test can check that
// every step was served by both and look at the database with SQL.
//
// Usage: node balanced.mjs <baseUrl> <setupLink> <username> <password> <databaseName> <databaseUrl> <csvFile> <screenshotDir>
//   baseUrl      the balancer, e.g. http://127.0.0.1:18123
//   databaseUrl  a postgres:// URL of an existing database to connect
//   csvFile      people.csv: name,age,email,joined,score with Ada…Finn
// Prints "ok - <step>" per step; exits 0 only when every step (and every checkpoint) passed.

import { BrowserRun, checkpoint, exitWith } from './harness.mjs';

const OVERALL_TIMEOUT_MS = 240_000;

const [baseUrl, setupLink, username, password, databaseName, databaseUrl, csvFile, screenshotDir] = process.argv.slice(2);
if (!baseUrl || !setupLink || !username || !password || !databaseName || !databaseUrl || !csvFile || !screenshotDir) {
  console.error('usage: node balanced.mjs <baseUrl> <setupLink> <username> <password> <databaseName> <databaseUrl> <csvFile> <screenshotDir>');
  process.exit(1);
}
const origin = new URL(baseUrl).origin;
const browser = new BrowserRun({ origin, screenshotDir });
const expectVisible = (page, selector, what, timeout) => browser.expectVisible(page, selector, what, timeout);
const screenshot = (page, name) => browser.screenshot(page, name);

const card = `[data-testid=database-card][data-name="${databaseName}"]`;
const cellSel = (row, column) => `.ag-row[row-index="${row}"] .ag-cell[col-id="${column}"]`;

/** The instances (X-Served-By) that answered the current step's requests to the balancer. */
const served = new Set();
let watching = false;

function watchInstances(page) {
  if (watching) return;
  watching = true;
  page.on('response', (response) => {
    const instance = response.headers()['x-served-by'];
    if (instance && response.url().startsWith(origin)) served.add(instance);
  });
}

/** A step that records which instances served it and ends at the checkpoint of that name. */
function step(name, check, body) {
  return [
    name,
    async (page) => {
      watchInstances(page);
      served.clear();
      await body(page);
      await checkpoint(check, ...[...served].sort());
    },
  ];
}

/** Waits (up to 10 s) until the grid's email column shows {@code expected}, top to bottom (rows come and go while it renders). */
async function expectEmails(page, expected, what) {
  const want = JSON.stringify(expected);
  const deadline = Date.now() + 10_000;
  let got;
  do {
    got = JSON.stringify(
      await page.$$eval('.ag-row[row-index]', (rows) =>
        rows
          .map((r) => ({ index: Number(r.getAttribute('row-index')), cell: r.querySelector('.ag-cell[col-id="email"]') }))
          .filter((r) => r.cell)
          .sort((x, y) => x.index - y.index)
          .map((r) => r.cell.textContent.trim()),
      ),
    );
    if (got === want) return;
    await page.waitForTimeout(100);
  } while (Date.now() < deadline);
  throw new Error(`expected ${what} to be ${want}, but the grid shows ${got}`);
}

const EMAILS = ['ada@example.org', 'bob@example.org', 'cleo@example.net', 'dan@example.org', 'eve@example.net', 'finn@example.org'];
const EDITED = EMAILS.map((e) => (e === 'cleo@example.net' ? 'cleo@example.com' : e));

const steps = [
  step('setting up the administrator with the one-time link', 'setup', async (page) => {
    await page.goto(setupLink);
    await expectVisible(page, '[data-testid=page-setup]', 'the setup form');
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(password);
    await page.locator('#password-confirm').fill(password);
    await page.locator('button[type=submit]').click();
    await expectVisible(page, '[data-testid=page-home]', 'the Databases page');
    await screenshot(page, '01-set-up.png');
  }),
  step('signing out and in again', 'signed-in', async (page) => {
    await page.locator('#sign-out').click();
    await expectVisible(page, '[data-testid=page-login]', 'the sign-in page');
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(password);
    await page.locator('button[type=submit]').click();
    await expectVisible(page, '[data-testid=databases-empty] [data-testid=connect-database]', 'Connect an existing database');
    await page.reload();
    await expectVisible(page, '[data-testid=databases-empty]', 'the empty Databases page after a reload (still signed in)');
  }),
  step('connecting a database by URL', 'connected', async (page) => {
    await page.locator('[data-testid=databases-empty] [data-testid=connect-database]').click();
    await expectVisible(page, '[data-testid=page-connect]', 'the connect page');
    await page.locator('#db-name').fill(databaseName);
    await page.locator('[data-testid=mode-url]').check();
    await page.locator('#db-url').fill(databaseUrl);
    await page.locator('[data-testid=test-connection]').click();
    await expectVisible(page, '[data-testid=test-result][data-ok=true]', 'a successful connection test');
    await page.locator('button[type=submit]').click();
    await expectVisible(page, `${card}[data-status=ready]`, `"${databaseName}" ready in the list`);
    await screenshot(page, '02-connected.png');
  }),
  step('importing a CSV file into a new table', 'imported', async (page) => {
    await page.locator(`${card} [data-testid=database-link]`).click();
    await page.locator('[data-testid=import-csv]').first().click();
    await expectVisible(page, '[data-testid=page-import]', 'the import page');
    await page.locator('[data-testid=source-file]').check();
    await page.locator('[data-testid=file-input]').setInputFiles(csvFile);
    await expectVisible(page, '[data-testid=import-preview]', 'the preview');
    await page.locator('[data-testid=import-start]').click();
    await expectVisible(page, '[data-testid=import-job][data-state=done]', 'the finished import', 60_000);
    await browser.expectText(page, '[data-testid=import-done]', /^6 rows imported$/, 'the number of rows imported');
    await screenshot(page, '03-imported.png');
  }),
  step('editing a cell, then reloading the page', 'edited', async (page) => {
    await page.locator('[data-testid=import-table-link]').click();
    await expectVisible(page, '[data-testid=table-page]', 'the table page');
    await expectEmails(page, EMAILS, 'the imported emails');
    await page.locator(cellSel(2, 'email')).click();
    await page.keyboard.press('Enter');
    const editor = page.locator(`${cellSel(2, 'email')} input`).first();
    await editor.waitFor({ state: 'visible' });
    await editor.fill('cleo@example.com');
    await page.keyboard.press('Enter');
    await expectEmails(page, EDITED, 'the emails after the edit');
    await checkpoint('saved');
    await page.reload();
    await expectVisible(page, '[data-testid=table-page]', 'the table page after the reload');
    await expectEmails(page, EDITED, 'the emails after the reload');
    await screenshot(page, '04-edited-reloaded.png');
  }),
];

exitWith(() => browser.run(steps), OVERALL_TIMEOUT_MS);
