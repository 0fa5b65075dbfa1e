// Browser test of the grid's filter builder, column menu and add-column dialog against a real Rowan:
// build a filter of two conditions (a missing value is refused), apply it, reopen it; rename a
// column; change a type (the dry run shows the failing value, which is then corrected); set a
// default; make a column required (refused with the count of empty rows, then allowed); make one
// unique (refused with the repeated values); delete a column a view uses (its dependents shown,
// then deleted with it); add a column (a too long name refused first). After each action the
// database itself is asked with SQL.
//
// The steps use only selectors of the three components plus the table page's host controls:
// button[data-testid=open-filter], button[data-testid=add-column],
// button[data-testid="column-menu-<column name>"] and [data-testid=active-filter] (the filter as JSON).
//
// Usage: node columns.mjs <baseUrl> <username> <password> <screenshotDir> <tablePath>
//   tablePath  the table page, e.g. /databases/1/tables/16420, of the table BrowserColumnsTest makes
// The SQL checks and corrections go through BrowserColumnsTest (sqlValue and sqlExec of
// harness.mjs), so the script runs only from that test.
//
// Prints one line per step ("ok - <step>"); exits 0 only when every step passed.

import { BrowserRun, exitWith, oneLine, text, sqlExec, sqlValue } from './harness.mjs';

const OVERALL_TIMEOUT_MS = 120_000;

const [baseUrl, username, password, screenshotDir, tablePath] = process.argv.slice(2);
if (!baseUrl || !username || !password || !screenshotDir || !tablePath) {
  console.error('usage: node columns.mjs <baseUrl> <username> <password> <screenshotDir> <tablePath>');
  process.exit(1);
}
const origin = new URL(baseUrl).origin;

const browser = new BrowserRun({ origin, screenshotDir });
const expectVisible = (page, selector, what, timeout) => browser.expectVisible(page, selector, what, timeout);
const expectGone = (page, selector, what, timeout) => browser.expectGone(page, selector, what, timeout);
const screenshot = (page, name) => browser.screenshot(page, name);
const expectText = (page, selector, pattern, what) => browser.expectText(page, selector, pattern, what);
const expectAttribute = (page, selector, name, expected, what) => browser.expectAttribute(page, selector, name, expected, what);

// ---- SQL in the test database ---------------------------------------------------------------

async function expectSql(query, expected, what) {
  const value = await sqlValue(query);
  if (value !== expected) throw new Error(`expected ${what}: ${query} → ${JSON.stringify(expected)}, but the database says ${JSON.stringify(value)}`);
}

const columnInfo = (column, field) =>
  `SELECT ${field} FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'items' AND column_name = '${column}'`;

// ---- Page helpers ----------------------------------------------------------------------------

const MENU = '[data-testid=column-menu]';
const BUILDER = '[data-testid=filter-builder]';
const ADD = '[data-testid=add-column-dialog]';

async function openMenu(page, column) {
  await page.locator(`button[data-testid="column-menu-${column}"]`).click();
  await expectVisible(page, MENU, `the column menu of "${column}"`);
  await expectText(page, `${MENU} h2`, new RegExp(`“${column}”`), 'the menu heading');
}

async function closeMenu(page) {
  await page.keyboard.press('Escape');
  await expectGone(page, MENU, 'the column menu');
}

async function status(page, pattern, what) {
  await expectText(page, `${MENU} [data-testid=menu-status]`, pattern, what);
}

/** The filter the table page holds, as the exact JSON it shows; 'null' when none is in force (nothing shown). */
async function activeFilter(page) {
  const shown = page.locator('[data-testid=active-filter]');
  if ((await shown.count()) === 0) return 'null';
  return (await shown.first().textContent()).trim();
}

/** The n-th condition row of the builder (from 0), as a selector that more selectors can follow. */
const condition = (n) => `:nth-match(${BUILDER} [data-testid=condition], ${n + 1})`;

// ---- Steps -----------------------------------------------------------------------------------

const FILTER_ANY =
  '{"or":[{"column":"mood","op":"eq","value":"happy"},{"column":"due","op":"lt","value":"2024-03-01"}]}';
const FILTER_ALL = FILTER_ANY.replace('{"or":', '{"and":');

const steps = [
  [
    'signing in and opening the table page',
    async (page) => {
      await page.goto(`${origin}/login`);
      await page.locator('#username').fill(username);
      await page.locator('#password').fill(password);
      await page.locator('button[type=submit]').click();
      await expectVisible(page, '[data-testid=page-home]', 'the Databases page');
      await page.goto(`${origin}${tablePath}`);
      await expectVisible(page, 'button[data-testid="column-menu-title"]', 'the column buttons');
      await expectText(page, 'h1', /^items$/, 'the table heading');
      if ((await activeFilter(page)) !== 'null') throw new Error(`expected no filter at first, but it is ${await activeFilter(page)}`);
      await screenshot(page, '01-table.png');
    },
  ],
  [
    'a condition without a value is marked and not applied',
    async (page) => {
      await page.locator('button[data-testid=open-filter]').click();
      await expectVisible(page, BUILDER, 'the filter builder');
      await expectVisible(page, `${BUILDER} [data-testid=filter-empty]`, 'the empty state of the builder');
      await page.locator(`${BUILDER} [data-testid=add-condition]`).click();
      await page.locator(`${condition(0)} [data-testid=condition-column]`).selectOption('mood');
      const op = await page.locator(`${condition(0)} [data-testid=condition-op]`).inputValue();
      if (op !== 'eq') throw new Error(`expected a condition on the enum to start with "is" (eq), but it has ${op}`);
      const labels = await page.locator(`${condition(0)} [data-testid=condition-op] option`).allInnerTexts();
      if (!labels.includes('is') || !labels.includes('is empty') || !labels.includes('contains (ignoring case)')) {
        throw new Error(`expected human operator labels for an enum, but they are ${JSON.stringify(labels)}`);
      }
      await page.locator(`${condition(0)} [data-testid=condition-value]`).selectOption('happy');
      await page.locator(`${BUILDER} [data-testid=add-condition]`).click();
      await page.locator(`${condition(1)} [data-testid=condition-column]`).selectOption('due');
      await page.locator(`${BUILDER} [data-testid=filter-apply]`).click();
      await expectText(page, `${BUILDER} [data-testid=filter-invalid]`, /1 condition is not complete/, 'the message about the incomplete condition');
      await expectText(page, `${condition(1)} [data-testid=condition-problem]`, /Enter a value/, 'the problem of the second condition');
      await expectAttribute(page, `${condition(1)} [data-testid=condition-value]`, 'aria-invalid', 'true', 'the empty value');
      if ((await activeFilter(page)) !== 'null') throw new Error('an incomplete filter was applied');
      await screenshot(page, '02-filter-incomplete.png');
    },
  ],
  [
    'two conditions combined with "any" apply as the exact filter tree',
    async (page) => {
      const type = await page.locator(`${condition(1)} [data-testid=condition-value]`).getAttribute('type');
      if (type !== 'date') throw new Error(`expected a date input for the date column, but it is type=${type}`);
      await page.locator(`${condition(1)} [data-testid=condition-op]`).selectOption('lt');
      await page.locator(`${condition(1)} [data-testid=condition-value]`).fill('2024-03-01');
      await page.locator(`${BUILDER} [data-testid=filter-combinator]`).selectOption('or');
      await screenshot(page, '03-filter-built.png');
      await browser.screenshotNarrow(page, '03-filter-built-375.png');
      await page.locator(`${condition(1)} [data-testid=condition-value]`).press('Enter');
      await expectGone(page, BUILDER, 'the filter builder (Enter applies)');
      const filter = await activeFilter(page);
      if (filter !== FILTER_ANY) throw new Error(`expected the filter ${FILTER_ANY}, but the page has ${filter}`);
      await expectSql("SELECT count(*) FROM items WHERE mood = 'happy' OR due < '2024-03-01'", '3', 'three rows to match in SQL');
      await expectText(page, '[data-testid=row-count]', /^3 rows$/, 'the count the server gives for the filter');
    },
  ],
  [
    'reopening the builder shows the filter in force; "all" applies it as and',
    async (page) => {
      await page.locator('button[data-testid=open-filter]').click();
      await expectVisible(page, BUILDER, 'the filter builder');
      const shown = [];
      for (const n of [0, 1]) {
        for (const part of ['column', 'op', 'value']) {
          shown.push(await page.locator(`${condition(n)} [data-testid=condition-${part}]`).inputValue());
        }
      }
      const expected = ['mood', 'eq', 'happy', 'due', 'lt', '2024-03-01'];
      if (JSON.stringify(shown) !== JSON.stringify(expected)) {
        throw new Error(`expected the builder to show ${JSON.stringify(expected)}, but it shows ${JSON.stringify(shown)}`);
      }
      const combinator = await page.locator(`${BUILDER} [data-testid=filter-combinator]`).inputValue();
      if (combinator !== 'or') throw new Error(`expected "any" (or) to be chosen, but it is ${combinator}`);
      await screenshot(page, '04-filter-reopened.png');
      await page.keyboard.press('Escape');
      await expectGone(page, BUILDER, 'the filter builder (Escape cancels)');
      if ((await activeFilter(page)) !== FILTER_ANY) throw new Error('Escape changed the filter');

      await page.locator('button[data-testid=open-filter]').click();
      await page.locator(`${BUILDER} [data-testid=filter-combinator]`).selectOption('and');
      await page.locator(`${BUILDER} [data-testid=filter-apply]`).click();
      await expectGone(page, BUILDER, 'the filter builder');
      const filter = await activeFilter(page);
      if (filter !== FILTER_ALL) throw new Error(`expected the filter ${FILTER_ALL}, but the page has ${filter}`);
      await expectSql("SELECT count(*) FROM items WHERE mood = 'happy' AND due < '2024-03-01'", '1', 'one row to match in SQL');
      await expectText(page, '[data-testid=row-count]', /^1 row$/, 'the count the server gives for the filter');

      await page.locator('button[data-testid=open-filter]').click();
      await page.locator(`${BUILDER} [data-testid=filter-clear]`).click();
      await expectGone(page, BUILDER, 'the filter builder');
      if ((await activeFilter(page)) !== 'null') throw new Error('Clear filter left a filter');
    },
  ],
  [
    'renaming a column',
    async (page) => {
      await openMenu(page, 'title');
      await screenshot(page, '05-column-menu.png');
      await browser.screenshotNarrow(page, '05-column-menu-375.png');
      await page.locator(`${MENU} [data-testid=rename-input]`).fill('name');
      await page.locator(`${MENU} [data-testid=rename-submit]`).click();
      await status(page, /Renamed “title” to “name”/, 'the rename confirmation');
      await expectSql(columnInfo('name', 'data_type'), 'text', 'the column to be called "name"');
      await expectSql(columnInfo('title', 'data_type'), null, 'no column "title" any more');
      await expectText(page, `${MENU} h2`, /“name”/, 'the menu heading with the new name');
      await closeMenu(page);
      await expectVisible(page, 'button[data-testid="column-menu-name"]', 'the renamed column on the page');
    },
  ],
  [
    'changing text to whole numbers shows the failing value first, then converts once it is corrected',
    async (page) => {
      await openMenu(page, 'amount');
      await page.locator(`${MENU} [data-testid=type-select]`).selectOption('integer');
      await expectAttribute(page, `${MENU} [data-testid=type-check]`, 'data-failing', '1', 'the dry run');
      await expectAttribute(page, `${MENU} [data-testid=type-check]`, 'data-total', '5', 'the dry run');
      await expectText(page, `${MENU} [data-testid=type-check]`, /1 of 5 values cannot be converted/, 'the dry run in words');
      await expectText(page, `${MENU} [data-testid=type-sample]`, /^3O .*whole number.* 1$/, 'the failing sample with its reason and row count');
      if (!(await page.locator(`${MENU} [data-testid=type-apply]`).isDisabled())) throw new Error('the type could be changed with a failing value');
      await screenshot(page, '06-type-preview.png');
      await expectSql(columnInfo('amount', 'data_type'), 'text', 'the dry run to change nothing');

      await sqlExec("UPDATE items SET amount = '30' WHERE id = 3");
      await page.locator(`${MENU} [data-testid=type-recheck]`).click();
      await expectAttribute(page, `${MENU} [data-testid=type-check]`, 'data-failing', '0', 'the dry run after the correction');
      await page.locator(`${MENU} [data-testid=type-apply]`).click();
      await status(page, /Changed the type to whole number/, 'the type change confirmation');
      await expectSql(columnInfo('amount', 'data_type'), 'integer', 'the column to be integer');
      await expectSql('SELECT sum(amount) FROM items', '150', 'every value converted');
      await expectText(page, `${MENU} [data-testid=column-summary]`, /^Whole number/, 'the new type in the menu');
    },
  ],
  [
    'setting a default',
    async (page) => {
      await page.locator(`${MENU} [data-testid=default-value-mode]`).check();
      await page.locator(`${MENU} [data-testid=default-value]`).fill('1,200');
      await page.locator(`${MENU} [data-testid=default-save]`).click();
      await status(page, /Saved the default/, 'the default confirmation');
      await expectSql(columnInfo('amount', 'column_default'), '1200', 'the default read by the integer cast');
      await expectText(page, `${MENU} [data-testid=default-current]`, /“1200”/, 'the current default');
      await screenshot(page, '07-default-set.png');
      await closeMenu(page);
    },
  ],
  [
    'making a column required is refused with the count of empty rows, then allowed',
    async (page) => {
      await openMenu(page, 'note');
      await page.locator(`${MENU} [data-testid=required-toggle]`).click();
      await expectAttribute(page, `${MENU} [data-testid=required-problem]`, 'data-count', '2', 'the refusal');
      await expectText(page, `${MENU} [data-testid=required-problem]`, /2 rows have no value/, 'the count in words');
      await expectSql(columnInfo('note', 'is_nullable'), 'YES', 'the column to stay optional');
      await screenshot(page, '08-required-refused.png');

      await sqlExec("UPDATE items SET note = '-' WHERE note IS NULL");
      await page.locator(`${MENU} [data-testid=required-toggle]`).click();
      await status(page, /Every row now needs a value/, 'the confirmation');
      await expectGone(page, `${MENU} [data-testid=required-problem]`, 'the old refusal');
      await expectSql(columnInfo('note', 'is_nullable'), 'NO', 'the column to be NOT NULL');
      await closeMenu(page);
    },
  ],
  [
    'making a column unique is refused with the repeated values',
    async (page) => {
      await openMenu(page, 'code');
      await page.locator(`${MENU} [data-testid=unique-toggle]`).click();
      await expectVisible(page, `${MENU} [data-testid=unique-problem]`, 'the refusal');
      const duplicates = await page.locator(`${MENU} [data-testid=duplicate]`).allInnerTexts();
      const expected = ['A1 — 2 rows', 'B2 — 2 rows'];
      if (JSON.stringify(duplicates.map(oneLine)) !== JSON.stringify(expected)) {
        throw new Error(`expected the duplicates ${JSON.stringify(expected)}, but the menu lists ${JSON.stringify(duplicates)}`);
      }
      await expectSql(
        "SELECT count(*) FROM pg_constraint WHERE conrelid = 'items'::regclass AND contype = 'u'",
        '0',
        'no unique constraint',
      );
      await screenshot(page, '09-unique-refused.png');
      await closeMenu(page);
    },
  ],
  [
    'changing the type of a column a view reads names the view and changes nothing',
    async (page) => {
      await openMenu(page, 'id');
      await expectText(page, `${MENU} [data-testid=column-summary]`, /primary key/, 'the primary key tag');
      if (!(await page.locator(`${MENU} [data-testid=required-toggle]`).isDisabled())) throw new Error('the primary key could be made optional');
      await expectText(page, `${MENU} #cm-required-reason`, /primary key always needs a value/, 'why the primary key cannot be made optional');
      await page.locator(`${MENU} [data-testid=type-select]`).selectOption('bigint');
      await expectAttribute(page, `${MENU} [data-testid=type-check]`, 'data-failing', '0', 'the dry run');
      await page.locator(`${MENU} [data-testid=type-apply]`).click();
      await expectText(page, `${MENU} [role=alert]`, /Other objects depend on this.*view public\.item_legacy/, 'the refusal naming the view');
      await expectSql(columnInfo('id', 'data_type'), 'integer', 'the type to stay as it was');
      await screenshot(page, '10-type-has-dependents.png');
      await closeMenu(page);
    },
  ],
  [
    'deleting a column a view uses shows the view, then deletes both',
    async (page) => {
      await openMenu(page, 'legacy');
      await page.locator(`${MENU} [data-testid=delete-start]`).click();
      await page.locator(`${MENU} [data-testid=delete-confirm]`).click();
      await expectText(page, `${MENU} [data-testid=delete-dependents]`, /Another object uses “legacy”/, 'the dependents');
      await expectText(page, `${MENU} [data-testid=dependent]`, /view public\.item_legacy/, 'the view that uses the column');
      await expectSql(columnInfo('legacy', 'data_type'), 'text', 'the column to be still there');
      await screenshot(page, '11-delete-dependents.png');
      await page.locator(`${MENU} [data-testid=delete-cascade]`).click();
      await expectGone(page, MENU, 'the column menu after the deletion');
      await expectGone(page, 'button[data-testid="column-menu-legacy"]', 'the deleted column on the page');
      await expectSql(columnInfo('legacy', 'data_type'), null, 'the column to be gone');
      await expectSql("SELECT to_regclass('public.item_legacy')::text", null, 'the view to be gone');
    },
  ],
  [
    'adding a column',
    async (page) => {
      await page.locator('button[data-testid=add-column]').click();
      await expectVisible(page, ADD, 'the add-column dialog');
      const tooLong = 'ä'.repeat(32); // 64 bytes in UTF-8: one more than PostgreSQL keeps
      await page.locator(`${ADD} [data-testid=new-column-name]`).fill(tooLong);
      await page.locator(`${ADD} [data-testid=add-column-submit]`).click();
      await expectText(page, `${ADD} [data-testid=name-problem]`, /too long/i, 'the name problem on the name field');
      await expectAttribute(page, `${ADD} [data-testid=new-column-name]`, 'aria-invalid', 'true', 'the name field');
      await expectSql("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name LIKE 'ä%'", '0', 'no column added');
      await screenshot(page, '12-add-name-too-long.png');

      await page.locator(`${ADD} [data-testid=new-column-name]`).fill('priority');
      await page.locator(`${ADD} [data-testid=new-column-type]`).selectOption('integer');
      await page.locator(`${ADD} [data-testid=new-column-required]`).check();
      await page.locator(`${ADD} [data-testid=add-column-submit]`).click();
      await expectAttribute(page, `${ADD} [data-testid=required-problem]`, 'data-count', '5', 'the rows that would have no value');
      await expectSql(columnInfo('priority', 'data_type'), null, 'no column added');
      await screenshot(page, '12-add-required-without-default.png');
      await browser.screenshotNarrow(page, '12-add-required-without-default-375.png');

      await page.locator(`${ADD} [data-testid=default-value-mode]`).check();
      await page.locator(`${ADD} [data-testid=default-value]`).fill('3');
      await page.locator(`${ADD} [data-testid=add-column-submit]`).click();
      await expectGone(page, ADD, 'the dialog once the column is added');
      await expectVisible(page, 'button[data-testid="column-menu-priority"]', 'the new column on the page');
      await expectSql(columnInfo('priority', 'data_type'), 'integer', 'the new column to be integer');
      await expectSql(columnInfo('priority', 'is_nullable'), 'NO', 'the new column to be required');
      await expectSql(columnInfo('priority', 'column_default'), '3', 'the new column to have the default');
      await expectSql('SELECT count(*) FROM items WHERE priority = 3', '5', 'existing rows to get the default');
      await screenshot(page, '13-column-added.png');
    },
  ],
];

exitWith(() => browser.run(steps), OVERALL_TIMEOUT_MS);
