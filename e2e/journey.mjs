// The whole journey of a person with Rowan in one browser session (BrowserJourneyTest runs it and
// checks the database with SQL at every checkpoint): setup with the one-time link → a new database
// on the built-in server → a CSV file imported → sorted and filtered → a cell edited → a block
// pasted → a column's type changed (the failing value shown, corrected in the grid, then changed) →
// a record opened → the database removed.
//
// Usage: node journey.mjs <baseUrl> <setupLink> <username> <password> <databaseName> <csvFile> <screenshotDir>
//   csvFile   people.csv: name,age,email,joined,score with Ada…Finn; Bob's age is "thirty"
// Prints "ok - <step>" per step; exits 0 only when every step (and every checkpoint) passed.
// Each checkpoint waits for the answer on stdin (harness.mjs); by hand, `yes ok | node journey.mjs …`
// runs the steps without the database checks.

import { BrowserRun, checkpoint, exitWith, text } from './harness.mjs';

const OVERALL_TIMEOUT_MS = 400_000;
/** Creating the first built-in database starts (the first time: unpacks) PostgreSQL. */
const CREATE_TIMEOUT_MS = 150_000;

const [baseUrl, setupLink, username, password, databaseName, csvFile, screenshotDir] = process.argv.slice(2);
if (!baseUrl || !setupLink || !username || !password || !databaseName || !csvFile || !screenshotDir) {
  console.error('usage: node journey.mjs <baseUrl> <setupLink> <username> <password> <databaseName> <csvFile> <screenshotDir>');
  process.exit(1);
}
const origin = new URL(baseUrl).origin;
const browser = new BrowserRun({ origin, screenshotDir });
const expectVisible = (page, selector, what, timeout) => browser.expectVisible(page, selector, what, timeout);
const screenshot = (page, name) => browser.screenshot(page, name);
const expectText = (page, selector, pattern, what) => browser.expectText(page, selector, pattern, what);
const expectAttribute = (page, selector, name, expected, what) => browser.expectAttribute(page, selector, name, expected, what);

const MENU = '[data-testid=column-menu]';
const card = `[data-testid=database-card]:has([data-testid=database-link]:text-is("${databaseName}"))`;
const cellSel = (row, column) => `.ag-row[row-index="${row}"] .ag-cell[col-id="${column}"]`;

/** The values of one column in the rows the grid paints, top to bottom. */
async function columnValues(page, column) {
  return page.$$eval(`.ag-row[row-index] .ag-cell[col-id="${column}"]`, (cells) =>
    cells
      // a row the grid is re-rendering at that instant may have lost its cells' row: it counts as not shown,
      // and expectColumn reads again
      .map((c) => ({ row: c.closest('.ag-row'), text: c.textContent.replace(/\s+/g, ' ').trim() }))
      .filter((c) => c.row !== null)
      .map((c) => ({ index: Number(c.row.getAttribute('row-index')), text: c.text }))
      .sort((a, b) => a.index - b.index)
      .map((c) => c.text),
  );
}

async function expectColumn(page, column, expected, what) {
  const want = JSON.stringify(expected);
  const deadline = Date.now() + 10_000;
  let got;
  do {
    got = JSON.stringify(await columnValues(page, column));
    if (got === want) return;
    await page.waitForTimeout(100);
  } while (Date.now() < deadline);
  throw new Error(`expected ${what} to be ${want}, but the grid shows ${got}`);
}

/** Opens the cell's editor with Enter, types the text and saves it with Enter. */
async function editCell(page, row, column, value) {
  await page.locator(cellSel(row, column)).click();
  await page.keyboard.press('Enter');
  const editor = page.locator(`${cellSel(row, column)} input, ${cellSel(row, column)} select`).first();
  await editor.waitFor({ state: 'visible' });
  await editor.fill(value);
  await page.keyboard.press('Enter');
}

const steps = [
  [
    'setting up the administrator with the one-time link',
    async (page) => {
      await page.goto(setupLink);
      await expectVisible(page, '[data-testid=page-setup]', 'the setup form');
      await screenshot(page, '01-setup.png');
      await page.locator('#username').fill(username);
      await page.locator('#password').fill(password);
      await page.locator('#password-confirm').fill(password);
      await page.locator('button[type=submit]').click();
      await expectVisible(page, '[data-testid=page-home]', 'the Databases page');
      await expectVisible(page, '[data-testid=create-database]', 'the way to create a database in the empty state');
      await screenshot(page, '02-empty.png');
      await checkpoint('setup');
    },
  ],
  [
    'creating a new database on the built-in server',
    async (page) => {
      await page.locator('[data-testid=create-database]').first().click();
      await expectVisible(page, '[data-testid=page-create]', 'the create page');
      await page.locator('#db-name').fill(databaseName);
      await page.locator('[data-testid=sample]').uncheck();
      await screenshot(page, '03-create.png');
      await page.locator('button[type=submit]').click();
      await expectVisible(page, card, `"${databaseName}" in the list`, CREATE_TIMEOUT_MS);
      await expectText(page, `${card} [data-testid=status-badge]`, /Ready/, 'the database to be ready');
      await screenshot(page, '04-created.png');
      await checkpoint('created');
    },
  ],
  [
    'importing a CSV file into a new table',
    async (page) => {
      await page.locator(`${card} [data-testid=database-link]`).click();
      await expectVisible(page, '[data-testid=import-csv]', 'the Import CSV button of the database page');
      await screenshot(page, '05-database.png');
      await page.locator('[data-testid=import-csv]').first().click();
      await expectVisible(page, '[data-testid=page-import]', 'the import page');
      await page.locator('[data-testid=source-file]').check();
      await page.locator('[data-testid=file-input]').setInputFiles(csvFile);
      await expectVisible(page, '[data-testid=import-preview]', 'the preview');
      const inferred = await page.locator('[data-testid=preview-column]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-inferred')));
      if (inferred[1] !== 'text') throw new Error(`expected "age" (it holds "thirty") to be read as text, got ${JSON.stringify(inferred)}`);
      if (inferred[3] !== 'date') throw new Error(`expected "joined" to be read as dates, got ${JSON.stringify(inferred)}`);
      const name = await page.locator('[data-testid=import-table-name]').inputValue();
      if (name !== 'people') throw new Error(`expected the table name "people" from the file name, got "${name}"`);
      await screenshot(page, '06-import-preview.png');
      await page.locator('[data-testid=import-start]').click();
      await expectVisible(page, '[data-testid=import-job][data-state=done]', 'the finished import', 60_000);
      await expectText(page, '[data-testid=import-done]', /^6 rows imported$/, 'the number of rows imported');
      await screenshot(page, '07-import-done.png');
      await checkpoint('imported');
    },
  ],
  [
    'sorting by a header and filtering by the email domain',
    async (page) => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
      await page.locator('[data-testid=import-table-link]').click();
      await expectVisible(page, '[data-testid=table-page]', 'the table page');
      await expectColumn(page, 'name', ['Ada', 'Bob', 'Cleo', 'Dan', 'Eve', 'Finn'], 'the names in key order');
      await page.locator('.ag-header-cell[col-id="name"] .rh-name').click();
      await page.locator('.ag-header-cell[col-id="name"] .rh-name').click();
      await expectColumn(page, 'name', ['Finn', 'Eve', 'Dan', 'Cleo', 'Bob', 'Ada'], 'the names sorted descending');
      await page.locator('[data-testid=open-filter]').click();
      const builder = '[data-testid=filter-builder]';
      await expectVisible(page, builder, 'the filter builder');
      await page.locator(`${builder} [data-testid=add-condition]`).click();
      await page.locator(`${builder} [data-testid=condition-column]`).selectOption('email');
      await page.locator(`${builder} [data-testid=condition-op]`).selectOption('email_domain');
      await page.locator(`${builder} [data-testid=condition-value]`).fill('example.org');
      await page.locator(`${builder} [data-testid=filter-apply]`).click();
      await expectColumn(page, 'name', ['Finn', 'Dan', 'Bob', 'Ada'], 'the example.org people, sorted descending');
      await expectText(page, '[data-testid=row-count]', /^4 rows$/, 'the count of the filtered rows');
      await screenshot(page, '08-sorted-filtered.png');
      await page.locator('[data-testid=grid-summary] button[aria-label="Clear the filter"]').click();
      await page.locator('[data-testid=grid-summary] button[aria-label="Clear the sort"]').click();
      await expectColumn(page, 'name', ['Ada', 'Bob', 'Cleo', 'Dan', 'Eve', 'Finn'], 'all names in key order again');
    },
  ],
  [
    'editing a cell',
    async (page) => {
      await editCell(page, 2, 'email', 'cleo@example.com');
      await expectColumn(page, 'email', ['ada@example.org', 'bob@example.org', 'cleo@example.com', 'dan@example.org', 'eve@example.net', 'finn@example.org'], 'the emails');
      await checkpoint('edited');
    },
  ],
  [
    'pasting a block of cells',
    async (page) => {
      await page.evaluate(() => navigator.clipboard.writeText('2021-07-01\t100\n2020-10-10\t200\n'));
      await page.locator(cellSel(3, 'joined')).click();
      await page.keyboard.press('Control+V');
      await expectAttribute(page, '[data-testid=grid-report]', 'data-saved', '4', 'four pasted cells saved');
      await expectColumn(page, 'score', ['10', '7', '12', '100', '200', '5'], 'the scores after the paste');
      await screenshot(page, '09-pasted.png');
      await checkpoint('pasted');
    },
  ],
  [
    'changing a column type shows the value that cannot be converted; corrected, the type changes',
    async (page) => {
      await page.locator('button[data-testid="column-menu-age"]').click();
      await expectVisible(page, MENU, 'the column menu of "age"');
      await page.locator(`${MENU} [data-testid=type-select]`).selectOption('integer');
      await expectAttribute(page, `${MENU} [data-testid=type-check]`, 'data-failing', '1', 'one failing value in the dry run');
      await expectText(page, `${MENU} [data-testid=type-sample]`, /^thirty\b/, 'the failing value "thirty"');
      if (!(await page.locator(`${MENU} [data-testid=type-apply]`).isDisabled())) throw new Error('the type could be changed with a failing value');
      await screenshot(page, '10-type-check.png');
      await checkpoint('type-refused');
      await page.keyboard.press('Escape');
      await browser.expectGone(page, MENU, 'the column menu');

      await editCell(page, 1, 'age', '30');
      await expectColumn(page, 'age', ['36', '30', '29', '41', '25', '33'], 'the ages after the correction');
      await page.locator('button[data-testid="column-menu-age"]').click();
      await expectVisible(page, MENU, 'the column menu of "age" again');
      await page.locator(`${MENU} [data-testid=type-select]`).selectOption('integer');
      await expectAttribute(page, `${MENU} [data-testid=type-check]`, 'data-failing', '0', 'no failing value after the correction');
      await page.locator(`${MENU} [data-testid=type-apply]`).click();
      await expectText(page, `${MENU} [data-testid=menu-status]`, /Changed the type to whole number/, 'the type change confirmation');
      await screenshot(page, '11-type-changed.png');
      await checkpoint('type-changed');
      await page.keyboard.press('Escape');
      await browser.expectGone(page, MENU, 'the column menu');
    },
  ],
  [
    'opening a record',
    async (page) => {
      await page.locator(`${cellSel(0, '#')} a`).click();
      await expectVisible(page, '[data-testid=page-record]', 'the record page');
      await expectText(page, 'main', /\bage\b.*\b36\b/, 'the record\'s fields');
      const fields = await text(page, 'main');
      for (const want of ['Ada', '36', 'ada@example.org', '2024-03-05']) {
        if (!fields.includes(want)) throw new Error(`expected the record page to show "${want}", but it says "${fields}"`);
      }
      await screenshot(page, '12-record.png');
    },
  ],
  [
    'removing the database',
    async (page) => {
      await page.goto(`${origin}/`);
      await expectVisible(page, card, `"${databaseName}" in the list`);
      await page.locator(`${card} [data-testid=remove-database]`).click();
      await expectVisible(page, '[data-testid=remove-dialog] [data-testid=removal-preview]', 'the removal preview');
      await screenshot(page, '13-remove.png');
      await page.locator('[data-testid=remove-confirm]').click();
      await browser.expectGone(page, card, `"${databaseName}" in the list`);
      await screenshot(page, '14-removed.png');
      await checkpoint('removed');
    },
  ],
];

exitWith(() => browser.run(steps), OVERALL_TIMEOUT_MS);
