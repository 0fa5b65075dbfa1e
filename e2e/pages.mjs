// Browser test of the database, record, import and settings pages against a real Rowan: the empty
// state after setup, connecting the test database, a schema with an odd name (create, a table in it
// created, renamed and deleted, then the schema deleted with its content after the 409), the record
// page of an author with the books that refer to it (edit saved; a bad value refused at its field),
// importing pasted CSV with a bad row (abort: nothing created; skip: the good rows), uploading a
// file, and the settings page. After each action the database itself is asked with SQL.
//
// Usage: node pages.mjs <baseUrl> <username> <password> <screenshotDir> <databaseUrl>
//   baseUrl        where Rowan answers (already set up, no database connected yet)
//   username       an administrator that can sign in
//   password       its password
//   screenshotDir  where the PNGs go (created when missing)
//   databaseUrl    postgres:// URL of the test database (tables authors and books) to connect
// The SQL goes through BrowserPagesTest (sqlValue of harness.mjs), which runs it in that database, so
// the script runs only from that test.
// Environment: CHROMIUM overrides the browser binary (default /usr/bin/chromium).
//
// Prints "ok - <step>" per step; exits 0 only when every step passed (see harness.mjs).

import { BrowserRun, exitWith, oneLine, text, sqlValue } from './harness.mjs';

const OVERALL_TIMEOUT_MS = 120_000;
const DB_NAME = 'Library';
const SCHEMA = 'Sales "2024" ü';
const TABLE = 'Orders ü';
const RENAMED = 'Orders "renamed"';

const [baseUrl, username, password, screenshotDir, databaseUrl] = process.argv.slice(2);
if (!baseUrl || !username || !password || !screenshotDir || !databaseUrl) {
  console.error('usage: node pages.mjs <baseUrl> <username> <password> <screenshotDir> <databaseUrl>');
  process.exit(1);
}

const origin = new URL(baseUrl).origin;
const browser = new BrowserRun({ origin, screenshotDir });
const expectVisible = (page, selector, what, timeout) => browser.expectVisible(page, selector, what, timeout);
const screenshot = (page, name) => browser.screenshot(page, name);
/** A CSS attribute value for any text (quotes and all). */
const css = (text) => JSON.stringify(text);

async function expectSql(what, expected, query, ...params) {
  // The UI shows the outcome when the server has answered, so the database already holds it.
  const actual = await sqlValue(query, ...params);
  if (actual !== expected) throw new Error(`expected ${what} to be ${JSON.stringify(expected)} in the database, but it is ${JSON.stringify(actual)}`);
}

let db;
const oid = (name) => sqlValue('SELECT to_regclass(?)::oid::text', name);

const steps = [
  [
    'after setup the Databases page offers to connect or create a database',
    async (page) => {
      await page.goto(`${origin}/login`);
      await page.locator('#username').fill(username);
      await page.locator('#password').fill(password);
      await page.locator('button[type=submit]').click();
      await expectVisible(page, '[data-testid=databases-empty]', 'the empty state');
      await expectVisible(page, '[data-testid=databases-empty] [data-testid=connect-database]', 'Connect an existing database');
      await expectVisible(page, '[data-testid=databases-empty] [data-testid=create-database]', 'Create a new database');
      await screenshot(page, '01-empty.png');
    },
  ],
  [
    'a connected database links to its page, which lists its schemas and tables with estimates',
    async (page) => {
      await page.locator('[data-testid=databases-empty] [data-testid=connect-database]').click();
      await page.locator('#db-name').fill(DB_NAME);
      await page.locator('[data-testid=mode-url]').check();
      await page.locator('#db-url').fill(databaseUrl);
      await page.locator('button[type=submit]').click();
      await expectVisible(page, `[data-testid=database-card][data-name=${css(DB_NAME)}][data-status=ready]`, 'the connected database');
      await page.locator(`[data-testid=database-card][data-name=${css(DB_NAME)}] [data-testid=database-link]`).click();
      await expectVisible(page, '[data-testid=page-database]', 'the database page');
      db = Number(new URL(page.url()).pathname.split('/')[2]);
      await expectVisible(page, '[data-testid=schema][data-name=public]', 'the public schema');
      await expectVisible(page, '[data-testid=tables][data-schema=public] [data-testid=table][data-name=authors]', 'the authors table');
      const rows = await text(page, '[data-testid=table][data-name=books] [data-testid=table-rows]');
      if (!/^(about 4|not counted yet|empty)$/.test(rows)) throw new Error(`expected the estimate of books ("about 4"), but it says "${rows}"`);
      const href = await page.locator('[data-testid=table][data-name=books] [data-testid=table-link]').getAttribute('href');
      if (href !== `/databases/${db}/tables/${await oid('public.books')}`) throw new Error(`the books link goes to ${href}`);
      await screenshot(page, '02-database.png');
      await browser.screenshotNarrow(page, '02-database-375.png');
    },
  ],
  [
    'creating a schema with quotes and an umlaut in its name shows it, empty',
    async (page) => {
      await page.locator('[data-testid=create-schema]').click();
      await expectVisible(page, '[data-testid=schema-create-dialog]', 'the new schema dialog');
      await page.locator('[data-testid=schema-create-dialog] [data-testid=name-input]').fill(SCHEMA);
      await page.locator('[data-testid=schema-create-dialog] [data-testid=name-submit]').click();
      await expectVisible(page, `[data-testid=tables][data-schema=${css(SCHEMA)}] [data-testid=tables-empty]`, 'the new, empty schema');
      await expectVisible(page, `[data-testid=schema][data-name=${css(SCHEMA)}]`, 'the schema in the list');
      await expectSql('the schema', '1', 'SELECT count(*)::text FROM pg_namespace WHERE nspname = ?', SCHEMA);
      await screenshot(page, '03-schema-created.png');
    },
  ],
  [
    'creating a table in it with a first column',
    async (page) => {
      await page.locator('[data-testid=create-table]').click();
      await expectVisible(page, '[data-testid=table-create-dialog]', 'the new table dialog');
      await page.locator('[data-testid=table-name]').fill(TABLE);
      await page.locator('[data-testid=add-new-column]').click();
      await page.locator('[data-testid=new-column-name]').fill('amount');
      await page.locator('[data-testid=new-column-type]').selectOption('numeric');
      await screenshot(page, '04-table-create-dialog.png');
      await page.locator('[data-testid=table-create-submit]').click();
      await expectVisible(page, `[data-testid=table][data-name=${css(TABLE)}]`, 'the new table in the list');
      await expectSql(
        'the new table’s columns',
        'id bigint, amount numeric',
        `SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, NULL), ', ' ORDER BY a.attnum)
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped`,
        SCHEMA,
        TABLE,
      );
      await screenshot(page, '04-table-created.png');
    },
  ],
  [
    'renaming the table',
    async (page) => {
      await page.locator(`[data-testid=table][data-name=${css(TABLE)}] [data-testid=rename-table]`).click();
      await expectVisible(page, '[data-testid=table-rename-dialog]', 'the rename dialog');
      await page.locator('[data-testid=table-rename-dialog] [data-testid=name-input]').fill(RENAMED);
      await page.locator('[data-testid=table-rename-dialog] [data-testid=name-submit]').click();
      await expectVisible(page, `[data-testid=table][data-name=${css(RENAMED)}]`, 'the renamed table');
      await expectSql('the renamed table', '1', 'SELECT count(*)::text FROM pg_tables WHERE schemaname = ? AND tablename = ?', SCHEMA, RENAMED);
      await expectSql('the old name', '0', 'SELECT count(*)::text FROM pg_tables WHERE schemaname = ? AND tablename = ?', SCHEMA, TABLE);
    },
  ],
  [
    'deleting the table after confirming',
    async (page) => {
      await page.locator(`[data-testid=table][data-name=${css(RENAMED)}] [data-testid=delete-table]`).click();
      await expectVisible(page, '[data-testid=table-delete-dialog]', 'the delete dialog');
      await screenshot(page, '05-table-delete-dialog.png');
      await page.locator('[data-testid=table-delete-dialog] [data-testid=delete-confirm]').click();
      await browser.expectGone(page, `[data-testid=table][data-name=${css(RENAMED)}]`, 'the deleted table');
      await expectVisible(page, `[data-testid=tables][data-schema=${css(SCHEMA)}] [data-testid=tables-empty]`, 'the empty schema again');
      await expectSql('the deleted table', '0', 'SELECT count(*)::text FROM pg_tables WHERE schemaname = ?', SCHEMA);
    },
  ],
  [
    'deleting the schema with a table in it lists the table, then deletes everything in it',
    async (page) => {
      await page.locator('[data-testid=tables-empty] button').click();
      await page.locator('[data-testid=table-name]').fill('Kept');
      await page.locator('[data-testid=table-create-submit]').click();
      await expectVisible(page, '[data-testid=table][data-name=Kept]', 'the second table');
      await page.locator(`[data-testid=schema][data-name=${css(SCHEMA)}] [data-testid=delete-schema]`).click();
      await expectVisible(page, '[data-testid=schema-delete-dialog]', 'the delete dialog');
      await page.locator('[data-testid=schema-delete-dialog] [data-testid=delete-confirm]').click();
      await expectVisible(page, '[data-testid=schema-delete-dialog] [data-testid=delete-blockers]', 'what the schema holds (409 schema_not_empty)');
      const listed = await page.locator('[data-testid=schema-delete-dialog] [data-testid=blocker]').allInnerTexts();
      if (!listed.some((t) => t.includes('Kept'))) throw new Error(`expected the table "Kept" among ${JSON.stringify(listed)}`);
      await expectSql('the schema (still there after the 409)', '1', 'SELECT count(*)::text FROM pg_namespace WHERE nspname = ?', SCHEMA);
      await screenshot(page, '06-schema-not-empty.png');
      await page.locator('[data-testid=schema-delete-dialog] [data-testid=delete-cascade]').click();
      await browser.expectGone(page, `[data-testid=schema][data-name=${css(SCHEMA)}]`, 'the deleted schema');
      await expectVisible(page, '[data-testid=tables][data-schema=public]', 'the public schema again');
      await expectSql('the deleted schema', '0', 'SELECT count(*)::text FROM pg_namespace WHERE nspname = ?', SCHEMA);
      await screenshot(page, '07-schema-deleted.png');
    },
  ],
  [
    'the record page of an author lists the three books that refer to it, with links',
    async (page) => {
      const authors = await oid('public.authors');
      const books = await oid('public.books');
      await page.goto(`${origin}/databases/${db}/tables/${authors}/records/1`);
      await expectVisible(page, '[data-testid=page-record]', 'the record page');
      const heading = await text(page, '[data-testid=page-record]');
      if (heading !== 'Ursula K. Le Guin') throw new Error(`expected the author’s name as heading, but it is "${heading}"`);
      await expectVisible(page, '[data-testid=referrer][data-table=books]', 'the books that refer to the author');
      const count = await text(page, '[data-testid=referrer][data-table=books] [data-testid=referrer-count]');
      if (count !== '3') throw new Error(`expected 3 referring books, but it says "${count}"`);
      const links = await page.locator('[data-testid=referrer][data-table=books] [data-testid=referrer-record-link]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      const expected = [10, 11, 12].map((id) => `/databases/${db}/tables/${books}/records/${id}`);
      if (JSON.stringify(links) !== JSON.stringify(expected)) throw new Error(`expected links ${JSON.stringify(expected)}, got ${JSON.stringify(links)}`);
      await expectSql('books of author 1', '3', 'SELECT count(*)::text FROM books WHERE author_id = 1');
      await screenshot(page, '10-record.png');
      await browser.screenshotNarrow(page, '10-record-375.png');
    },
  ],
  [
    'editing the author’s name on the record page saves it',
    async (page) => {
      await page.locator('[data-testid=edit-record]').click();
      const input = page.locator('[data-testid=field][data-column=name] [data-testid=field-input]');
      await input.fill('Ursula Le Guin');
      await page.locator('[data-testid=save-record]').click();
      await expectVisible(page, '[data-testid=notice]', 'the "Saved." notice');
      const shown = await text(page, '[data-testid=field][data-column=name] dd');
      if (shown !== 'Ursula Le Guin') throw new Error(`expected the new name on the page, but it shows "${shown}"`);
      await expectSql('the author’s name', 'Ursula Le Guin', 'SELECT name FROM authors WHERE id = 1');
      await screenshot(page, '11-record-saved.png');
    },
  ],
  [
    'a book’s record page links back to its author, and a bad number is refused at its field',
    async (page) => {
      await page.locator('[data-testid=referrer-record-link]').first().click();
      await expectVisible(page, '[data-testid=page-record]', 'the book’s record page');
      const heading = await text(page, '[data-testid=page-record]');
      if (heading !== 'The Dispossessed') throw new Error(`expected the book’s title as heading, but it is "${heading}"`);
      const authorLink = await page.locator('[data-testid=field][data-column=author_id] [data-testid=reference-link]').getAttribute('href');
      if (authorLink !== `/databases/${db}/tables/${await oid('public.authors')}/records/1`) throw new Error(`the author link goes to ${authorLink}`);
      await page.locator('[data-testid=edit-record]').click();
      await page.locator('[data-testid=field][data-column=pages] [data-testid=field-input]').fill('lots');
      await page.locator('[data-testid=save-record]').click();
      await expectVisible(page, '[data-testid=field][data-column=pages] [data-testid=field-error]', 'the problem at the pages field');
      const message = await text(page, '[data-testid=field][data-column=pages] [data-testid=field-error]');
      if (!/lots/.test(message)) throw new Error(`expected the message to name the value "lots", but it says "${message}"`);
      const invalid = await page.locator('[data-testid=field][data-column=pages] [data-testid=field-input]').getAttribute('aria-invalid');
      if (invalid !== 'true') throw new Error('expected the pages field to be marked invalid');
      const kept = await page.locator('[data-testid=field][data-column=pages] [data-testid=field-input]').inputValue();
      if (kept !== 'lots') throw new Error(`expected the typed value to stay in the field, but it has "${kept}"`);
      await expectSql('the book’s pages (unchanged)', '387', 'SELECT pages::text FROM books WHERE id = 10');
      await screenshot(page, '12-record-bad-value.png');
    },
  ],
  [
    'pasted CSV is previewed with its detected settings and types; one column’s type is changed',
    async (page) => {
      await page.goto(`${origin}/databases/${db}?schema=public`);
      await page.locator('[data-testid=import-csv]').click();
      await expectVisible(page, '[data-testid=page-import]', 'the import page');
      await page.locator('[data-testid=source-paste]').check();
      await page.locator('[data-testid=paste-text]').fill('product,qty,price\nLamp,3,12.50\nDesk,lots,149\nChair,7,45.00\n');
      await page.locator('[data-testid=paste-preview]').click();
      await expectVisible(page, '[data-testid=import-preview]', 'the preview');
      const delimiter = await page.locator('[data-testid=setting-delimiter]').inputValue();
      const header = await page.locator('[data-testid=setting-header]').inputValue();
      if (delimiter !== ',' || header !== 'true') throw new Error(`expected comma and a header to be detected, got "${delimiter}" and ${header}`);
      const inferred = await page.locator('[data-testid=preview-column]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-inferred')));
      if (JSON.stringify(inferred) !== JSON.stringify(['text', 'text', 'numeric'])) throw new Error(`expected types text, text, numeric, got ${JSON.stringify(inferred)}`);
      await page.locator('[data-testid=column-type]').nth(1).selectOption('integer');
      await page.locator('[data-testid=import-table-name]').fill('stock');
      await screenshot(page, '13-import-preview.png');
      await browser.screenshotNarrow(page, '13-import-preview-375.png');
    },
  ],
  [
    'importing with "import nothing" fails on the bad row, shows its line, and creates nothing',
    async (page) => {
      await page.locator('[data-testid=on-error-abort]').check();
      await page.locator('[data-testid=import-start]').click();
      await expectVisible(page, '[data-testid=import-job][data-state=failed]', 'the failed import');
      const lines = await page.locator('[data-testid=import-error]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-line')));
      if (JSON.stringify(lines) !== '["3"]') throw new Error(`expected one error on line 3, got lines ${JSON.stringify(lines)}`);
      const row = await text(page, '[data-testid=import-error]');
      if (!/lots/.test(row)) throw new Error(`expected the error to name "lots", but it says "${row}"`);
      await expectSql('the table of the failed import', null, "SELECT to_regclass('public.stock')::text");
      await screenshot(page, '14-import-failed.png');
    },
  ],
  [
    'going back and importing with "import the good records" loads two rows and links to the table',
    async (page) => {
      await page.locator('[data-testid=import-back]').click();
      await expectVisible(page, '[data-testid=import-preview]', 'the preview again, with the same data');
      const type = await page.locator('[data-testid=column-type]').nth(1).inputValue();
      if (type !== 'integer') throw new Error(`expected the chosen type to be kept, but it is "${type}"`);
      await page.locator('[data-testid=on-error-skip]').check();
      await page.locator('[data-testid=import-start]').click();
      await expectVisible(page, '[data-testid=import-job][data-state=done]', 'the finished import');
      const done = await text(page, '[data-testid=import-done]');
      if (done !== '2 rows imported') throw new Error(`expected "2 rows imported", but it says "${done}"`);
      await expectVisible(page, '[data-testid=import-error][data-line="3"]', 'the left-out record in the report');
      const href = await page.locator('[data-testid=import-table-link]').getAttribute('href');
      if (href !== `/databases/${db}/tables/${await oid('public.stock')}`) throw new Error(`the table link goes to ${href}`);
      await expectSql('rows imported', '2', 'SELECT count(*)::text FROM public.stock');
      await expectSql('the type of qty', 'integer', "SELECT data_type FROM information_schema.columns WHERE table_name = 'stock' AND column_name = 'qty'");
      await expectSql('the good rows', 'Chair 7,Lamp 3', "SELECT string_agg(product || ' ' || qty, ',' ORDER BY product) FROM public.stock");
      await screenshot(page, '15-import-done.png');
    },
  ],
  [
    'uploading a file with the file input imports it into a table named after the file',
    async (page) => {
      await page.locator('[data-testid=import-restart]').click();
      await expectVisible(page, '[data-testid=import-source]', 'the choice of data');
      await page.locator('[data-testid=source-file]').check();
      await page.locator('[data-testid=file-input]').setInputFiles({
        name: 'people.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('name,email,born\nAnn,ann@example.org,1990-01-02\nBob,bob@example.org,1985-05-06\nCy,cy@example.org,2000-12-31\n'),
      });
      await expectVisible(page, '[data-testid=import-preview]', 'the preview of the file');
      const name = await page.locator('[data-testid=import-table-name]').inputValue();
      if (name !== 'people') throw new Error(`expected the table name "people" from the file name, got "${name}"`);
      await page.locator('[data-testid=import-start]').click();
      await expectVisible(page, '[data-testid=import-job][data-state=done]', 'the finished import');
      await expectSql('rows of the uploaded file', '3', 'SELECT count(*)::text FROM public.people');
      await expectSql('the type of born', 'date', "SELECT data_type FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'born'");
      await screenshot(page, '16-import-upload-done.png');
    },
  ],
  [
    'the settings page shows the version and where http.port comes from',
    async (page) => {
      await page.locator('nav[aria-label=Main] a[href="/settings"]').click();
      await expectVisible(page, '[data-testid=page-settings]', 'the settings page');
      await expectVisible(page, '[data-testid=settings-version]', 'the version');
      const version = await page.evaluate(async () => (await (await fetch('/api/v1/server')).json()).version);
      const shown = await text(page, '[data-testid=settings-version]');
      if (shown !== version) throw new Error(`expected version ${version}, but the page shows "${shown}"`);
      const port = new URL(baseUrl).port;
      const row = '[data-testid=setting][data-key="http.port"]';
      const value = await text(page, `${row} [data-testid=setting-value]`);
      const source = await text(page, `${row} [data-testid=setting-source]`);
      if (value !== port || source !== 'command-line flag --http-port') {
        throw new Error(`expected http.port ${port} from "command-line flag --http-port", but it shows ${value} from "${source}"`);
      }
      const secret = await text(page, '[data-testid=setting][data-key="secret.key"] td');
      if (!/not shown/.test(secret)) throw new Error(`expected the secret key to be hidden, but it shows "${secret}"`);
      await screenshot(page, '20-settings.png');
      await browser.screenshotNarrow(page, '20-settings-375.png');
    },
  ],
];

exitWith(() => browser.run(steps), OVERALL_TIMEOUT_MS);
