// Browser test of the table grid against a real Rowan (BrowserGridTest prepares the database and
// checks it with SQL): rows painted, sorting and multi-sort, quick search, editing a text, a
// boolean, a date and a foreign key (record picker), a refused value, copying a block and pasting
// it, a paste with one refused value, adding / duplicating / deleting rows, a delete refused because
// other records refer to the row, column resize and reorder remembered across a reload, and a
// large table scrolled to its middle and its end (with an estimated count that is too high).
//
// Usage: node grid.mjs <baseUrl> <username> <password> <screenshotDir> <db> <books> <authors> <big> <bigRows>
//   db       Rowan's id of the connected database
//   books    OID of the table books (1,000 rows: id, title, pages, in_print, published, contact,
//            mood, author_id → authors, notes, price), authors (51 rows), big (bigRows rows, ids 1…)
// At each checkpoint the script waits until BrowserGridTest has checked the database (harness.mjs);
// by hand, `yes ok | node grid.mjs …` runs the steps without those checks.
// Environment: CHROMIUM overrides the browser binary (default /usr/bin/chromium).
//
// Prints "ok - <step>" per step and exits 0 when all passed; otherwise "not ok - <step>: <reason>",
// failure.png, exit 1. Console errors, page errors and 5xx answers fail the step they happen in.

import { BrowserRun, checkpoint, exitWith, oneLine } from './harness.mjs';

const OVERALL_TIMEOUT_MS = 150_000;

const [baseUrl, username, password, screenshotDir, db, books, authors, big, bigRowsArg] = process.argv.slice(2);
if (!baseUrl || !username || !password || !screenshotDir || !db || !books || !authors || !big || !bigRowsArg) {
  console.error('usage: node grid.mjs <baseUrl> <username> <password> <screenshotDir> <db> <books> <authors> <big> <bigRows>');
  process.exit(1);
}
const origin = new URL(baseUrl).origin;
const bigRows = Number(bigRowsArg);

const browser = new BrowserRun({ origin, screenshotDir });
const expectVisible = (page, selector, what, timeout) => browser.expectVisible(page, selector, what, timeout);
const screenshot = (page, name) => browser.screenshot(page, name);

const tablePath = (oid) => `${origin}/databases/${db}/tables/${oid}`;
const cellSel = (row, column) => `.ag-row[row-index="${row}"] .ag-cell[col-id="${column}"]`;
const rowHeadSel = (row) => `.ag-row[row-index="${row}"] .ag-cell[col-id="#"]`;

async function cellText(page, row, column) {
  return oneLine(await page.locator(cellSel(row, column)).innerText());
}

async function expectCell(page, row, column, expected, what) {
  try {
    await page.waitForFunction(
      ([sel, want]) => {
        const el = document.querySelector(sel);
        return !!el && el.textContent.replace(/\s+/g, ' ').trim() === want;
      },
      [cellSel(row, column), expected],
      { timeout: 10_000 },
    );
  } catch {
    const got = await cellText(page, row, column).catch(() => '(no such cell)');
    throw new Error(`expected ${what} to show "${expected}", but it shows "${got}"`);
  }
}

/** Waits for the grid to show rows and returns the ids painted, top to bottom. */
async function paintedIds(page) {
  return page.$$eval('.ag-row:has(.ag-cell[col-id="id"])', (rows) =>
    rows
      .map((r) => ({ index: Number(r.getAttribute('row-index')), id: r.querySelector('.ag-cell[col-id="id"]')?.textContent?.trim() ?? '' }))
      .filter((r) => r.id !== '')
      .sort((a, b) => a.index - b.index)
      .map((r) => Number(r.id)),
  );
}

async function openTable(page, oid, heading) {
  await page.goto(tablePath(oid));
  await expectVisible(page, '[data-testid=table-page]', `the page of the table "${heading}"`);
  await expectVisible(page, `${cellSel(0, 'id')} .cell-text`, 'the first row painted');
}

async function rowCountText(page) {
  return oneLine(await page.locator('[data-testid=row-count]').innerText());
}

async function expectRowCount(page, pattern, what) {
  try {
    await page.waitForFunction(
      (source) => new RegExp(source).test(document.querySelector('[data-testid=row-count]')?.textContent ?? ''),
      pattern.source,
      { timeout: 10_000 },
    );
  } catch {
    throw new Error(`expected ${what} (${pattern}), but the page says "${await rowCountText(page)}"`);
  }
}

async function report(page, what) {
  await expectVisible(page, '[data-testid=grid-report]', what);
  const el = page.locator('[data-testid=grid-report]');
  return {
    tone: await el.getAttribute('data-tone'),
    saved: Number(await el.getAttribute('data-saved')),
    failed: Number(await el.getAttribute('data-failed')),
    text: oneLine(await el.innerText()),
  };
}

/** Waits until the grid's report says what the given check wants (it replaces the previous one). */
async function waitForReport(page, check, what) {
  const deadline = Date.now() + 10_000;
  let last = null;
  while (Date.now() < deadline) {
    if (await page.locator('[data-testid=grid-report]').isVisible().catch(() => false)) {
      last = await report(page, what);
      if (check(last)) return last;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`expected ${what}, but the grid reports ${last ? `"${last.text}"` : 'nothing'}`);
}

/** Types into the focused cell's editor after Enter opened it, then saves with Enter. */
async function editCell(page, row, column, text) {
  await page.locator(cellSel(row, column)).click();
  await page.keyboard.press('Enter');
  const editor = page.locator(`${cellSel(row, column)} input, ${cellSel(row, column)} select`).first();
  await editor.waitFor({ state: 'visible' });
  await editor.fill(text);
  await page.keyboard.press('Enter');
}

async function headerClick(page, column, modifiers = []) {
  await page.locator(`.ag-header-cell[col-id="${column}"] .rh-name`).click({ modifiers });
}

async function search(page, text) {
  await page.locator('[data-testid=grid-search]').fill(text);
}

const steps = [
  [
    'signing in and opening the books table paints its first rows and counts them',
    async (page) => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
      await page.goto(`${origin}/login`);
      await page.locator('#username').fill(username);
      await page.locator('#password').fill(password);
      await page.locator('button[type=submit]').click();
      await expectVisible(page, '[data-testid=page-home]', 'the Databases page');
      await openTable(page, books, 'books');
      const ids = await paintedIds(page);
      if (ids[0] !== 1 || ids[1] !== 2) throw new Error(`expected rows 1, 2, … at the top, but the grid shows ids ${ids.slice(0, 5)}`);
      await expectRowCount(page, /^1,000 rows$/, 'the exact row count');
      const crumbs = oneLine(await page.locator('nav[aria-label=Breadcrumbs]').innerText());
      if (!/public/.test(crumbs) || !/books/.test(crumbs)) throw new Error(`expected breadcrumbs with the schema and table, but they say "${crumbs}"`);
      await expectCell(page, 0, 'author_id', 'Author 2', 'the foreign key of row 1 (the author’s name)');
      await screenshot(page, '01-books.png');
      await browser.screenshotNarrow(page, '01-books-375.png');
    },
  ],
  [
    'clicking a header sorts by it, Shift+click adds a second column, and the sort can be cleared',
    async (page) => {
      await headerClick(page, 'pages');
      await expectCell(page, 0, 'pages', '100', 'the smallest page count first');
      await headerClick(page, 'pages');
      await expectCell(page, 0, 'pages', '499', 'the largest page count first');
      await expectCell(page, 0, 'id', '399', 'the first row with 499 pages (ties in key order)');
      await headerClick(page, 'id', ['Shift']);
      await headerClick(page, 'id', ['Shift']);
      await expectCell(page, 0, 'id', '799', 'the rows with 499 pages by id, descending');
      await expectCell(page, 1, 'id', '399', 'the second row with 499 pages');
      const summary = oneLine(await page.locator('[data-testid=grid-summary]').innerText());
      if (!/pages ↓, then id ↓/.test(summary)) throw new Error(`expected the summary to name both sorted columns, but it says "${summary}"`);
      const href = await page.locator('[data-testid=export-csv]').getAttribute('href');
      const csv = await page.request.get(`${origin}${href}`);
      const lines = (await csv.text()).split('\r\n');
      if (!csv.ok() || !lines[0].startsWith('id,title,pages') || !lines[1].startsWith('799,') || !lines[2].startsWith('399,')) {
        throw new Error(`expected the CSV export in the grid's order (799, 399, …), but ${href} gives ${csv.status()}: ${lines.slice(0, 3).join(' | ')}`);
      }
      await screenshot(page, '02-sorted.png');
      await page.locator('[data-testid=grid-summary] button[aria-label="Clear the sort"]').click();
      await expectCell(page, 0, 'id', '1', 'the first row in key order after clearing the sort');
    },
  ],
  [
    'the quick search finds a row and the count follows it',
    async (page) => {
      await search(page, 'book 0123');
      await expectRowCount(page, /^1 row$/, 'one matching row');
      await expectCell(page, 0, 'title', 'Book 0123', 'the row found');
      if ((await page.locator('.ag-row[row-index="1"] .ag-cell[col-id="id"]').count()) !== 0) throw new Error('expected no second row');
      await screenshot(page, '03-search.png');
      await page.locator('[data-testid=grid-summary] button[aria-label="Clear the search"]').click();
      await expectRowCount(page, /^1,000 rows$/, 'all rows again');
      await expectCell(page, 0, 'id', '1', 'the first row again');
    },
  ],
  [
    'editing a text cell saves it (Escape cancels an edit)',
    async (page) => {
      await page.locator(cellSel(0, 'title')).click();
      await page.keyboard.type('Never saved');
      await page.keyboard.press('Escape');
      await expectCell(page, 0, 'title', 'Book 0001', 'the title after Escape');
      await editCell(page, 0, 'title', 'Edited title');
      await expectCell(page, 0, 'title', 'Edited title', 'the edited title');
      await waitForReport(page, (r) => r.tone === 'ok' && r.saved === 1, 'a saved cell');
      await checkpoint('title-edited');
    },
  ],
  [
    'clicking a boolean box toggles it',
    async (page) => {
      const box = page.locator(`${cellSel(0, 'in_print')} .cell-bool`);
      if (!(await box.getAttribute('class')).includes('is-false')) throw new Error('expected book 1 not to be in print');
      await box.click();
      await expectVisible(page, `${cellSel(0, 'in_print')} .cell-bool.is-true`, 'the box checked');
      await checkpoint('in-print');
    },
  ],
  [
    'a date cell is edited with a date picker',
    async (page) => {
      await page.locator(cellSel(0, 'published')).click();
      await page.keyboard.press('Enter');
      const input = page.locator(`${cellSel(0, 'published')} input[type=date]`);
      await input.waitFor({ state: 'visible' });
      await input.fill('2024-03-05');
      await screenshot(page, '04-date-editor.png');
      await page.keyboard.press('Enter');
      await expectCell(page, 0, 'published', '2024-03-05', 'the new date');
      await checkpoint('published');
    },
  ],
  [
    'a foreign key is chosen with the record picker and shown by the record’s name',
    async (page) => {
      await page.locator(cellSel(0, 'author_id')).click();
      await page.keyboard.press('Enter');
      await expectVisible(page, '[data-testid=record-picker]', 'the record picker');
      await page.keyboard.type('unused');
      await page.waitForFunction(() => {
        const options = [...document.querySelectorAll('[data-testid=picker-option]')];
        return options.length === 1 && /Unused author/.test(options[0].textContent);
      });
      await screenshot(page, '05-record-picker.png');
      await page.keyboard.press('Enter');
      await expectCell(page, 0, 'author_id', 'Unused author', 'the chosen author');
      const href = await page.locator(`${cellSel(0, 'author_id')} a.cell-open`).getAttribute('href');
      if (!href || !href.endsWith(`/tables/${authors}/records/51`)) throw new Error(`expected a link to author 51, but it is ${href}`);
      await checkpoint('author-picked');
    },
  ],
  [
    'a value the server refuses stays in the cell, marked, with the server’s message',
    async (page) => {
      await editCell(page, 1, 'pages', 'abc');
      await expectVisible(page, `${cellSel(1, 'pages')}.has-failure`, 'the cell marked as not saved');
      await expectCell(page, 1, 'pages', 'abc', 'the refused text kept in the cell');
      const r = await waitForReport(page, (x) => x.tone === 'error' && x.failed === 1, 'the refused cell reported');
      if (!/pages/.test(r.text) || !/not saved/i.test(r.text)) throw new Error(`expected the report to name the cell, but it says "${r.text}"`);
      await expectVisible(page, '[data-testid=cell-problem]', 'the message next to the cell');
      const message = oneLine(await page.locator('[data-testid=cell-problem]').innerText());
      if (!/abc/.test(message)) throw new Error(`expected the server's message about "abc", but it says "${message}"`);
      await screenshot(page, '06-refused-value.png');
      await checkpoint('value-refused');
      await page.locator('[data-testid=cell-problem] button', { hasText: 'Discard' }).click();
      await expectCell(page, 1, 'pages', '102', 'the stored value again after discarding');
    },
  ],
  [
    'a 2×3 block selected with Shift+arrows, copied with Ctrl+C and pasted with Ctrl+V elsewhere is saved',
    async (page) => {
      await page.locator(cellSel(2, 'title')).click();
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Shift+ArrowDown');
      await expectVisible(page, `${cellSel(3, 'pages')}.in-range`, 'the selected block');
      await page.keyboard.press('Control+C');
      await waitForReport(page, (r) => /Copied 6 cells/.test(r.text), 'the copy confirmed');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      if (copied !== 'Book 0003\t103\tfalse\nBook 0004\t104\ttrue') throw new Error(`unexpected clipboard text ${JSON.stringify(copied)}`);
      await screenshot(page, '07-block-selected.png');
      await page.locator(cellSel(9, 'title')).click();
      await page.keyboard.press('Control+V');
      await waitForReport(page, (r) => r.tone === 'ok' && r.saved === 6, 'six pasted cells saved');
      await expectCell(page, 9, 'title', 'Book 0003', 'the pasted title');
      await expectCell(page, 10, 'pages', '104', 'the pasted page count');
      await checkpoint('block-pasted');
    },
  ],
  [
    'a pasted block with one refused value reports that cell and saves the others',
    async (page) => {
      await page.evaluate(() => navigator.clipboard.writeText('Pasted A\t150\r\nPasted B\tabc\r\n'));
      await page.locator(cellSel(19, 'title')).click();
      await page.keyboard.press('Control+V');
      const r = await waitForReport(page, (x) => x.tone === 'error' && x.failed === 1 && x.saved === 3, 'one refused cell of four');
      if (!/1 of 4 cells were not saved/.test(r.text) || !/other 3 cells \(in 2 rows\) were saved/.test(r.text)) {
        throw new Error(`expected "1 of 4 cells were not saved … the other 3 cells (in 2 rows) were saved", but the report says "${r.text}"`);
      }
      const failure = page.locator('[data-testid=cell-failure]');
      if ((await failure.count()) !== 1 || (await failure.getAttribute('data-column')) !== 'pages' || (await failure.getAttribute('data-row')) !== '21') {
        throw new Error(`expected the failure of book 21's pages, but the list says "${oneLine(await page.locator('.failures').innerText())}"`);
      }
      await expectVisible(page, `${cellSel(20, 'pages')}.has-failure`, 'the refused cell marked');
      await expectCell(page, 19, 'title', 'Pasted A', 'the first pasted title');
      await expectCell(page, 20, 'title', 'Pasted B', 'the second pasted title (same row as the refused value)');
      await screenshot(page, '08-paste-one-refused.png');
      await checkpoint('paste-partly-refused');
    },
  ],
  [
    'dragging over cells selects them (Shift+click extends), and Delete empties them',
    async (page) => {
      await page.locator(cellSel(32, 'pages')).scrollIntoViewIfNeeded();
      const from = await page.locator(cellSel(29, 'pages')).boundingBox();
      const to = await page.locator(cellSel(30, 'in_print')).boundingBox();
      await page.mouse.move(from.x + 10, from.y + 10);
      await page.mouse.down();
      await page.mouse.move(to.x + 10, to.y + 10, { steps: 6 });
      await page.mouse.up();
      await page.locator(cellSel(30, 'published')).click({ modifiers: ['Shift'] });
      await expectVisible(page, `${cellSel(29, 'published')}.in-range`, 'the block selected by dragging and Shift+click');
      const selected = await page.locator('.ag-cell.in-range').count();
      if (selected !== 6) throw new Error(`expected 6 selected cells, but ${selected} are`);
      await screenshot(page, '08b-drag-selected.png');
      await page.keyboard.press('Delete');
      await waitForReport(page, (r) => r.tone === 'ok' && r.saved === 6 && /Emptied 6 cells in 2 rows/.test(r.text), 'six emptied cells');
      await expectCell(page, 29, 'pages', '', 'the emptied page count');
      await checkpoint('cells-emptied');
    },
  ],
  [
    'adding a row: a required column left empty is explained, then the row is added',
    async (page) => {
      await page.locator('[data-testid=add-row]').click();
      await expectVisible(page, '[data-testid=add-row-dialog]', 'the new-row form');
      await page.locator('[data-testid=add-row-submit]').click();
      await expectVisible(page, '[data-testid=add-row-dialog] [role=alert]', 'the message about the required title');
      const alert = oneLine(await page.locator('[data-testid=add-row-dialog] [role=alert]').first().innerText());
      if (!/title/.test(alert)) throw new Error(`expected the message to name the title column: "${alert}"`);
      await screenshot(page, '09-add-row-required.png');
      const titleField = page.locator('[data-testid=add-row-dialog] label', { hasText: 'title' }).first();
      const id = await titleField.getAttribute('for');
      await page.locator(`#${id}`).fill('Added in the grid');
      const pagesId = await page.locator('[data-testid=add-row-dialog] label', { hasText: 'pages' }).first().getAttribute('for');
      await page.locator(`#${pagesId}`).fill('1,234');
      await page.locator('[data-testid=add-row-submit]').click();
      await browser.expectGone(page, '[data-testid=add-row-dialog]', 'the new-row form');
      await expectVisible(page, '[data-testid=page-notice]', 'the "Row added" notice');
      await expectRowCount(page, /^1,001 rows$/, 'one more row');
      await checkpoint('row-added');
    },
  ],
  [
    'duplicating the new row and then deleting both copies',
    async (page) => {
      await search(page, 'Added in the grid');
      await expectRowCount(page, /^1 row$/, 'the added row found');
      await page.locator(cellSel(0, 'title')).click();
      await page.locator('[data-testid=duplicate-rows]').click();
      await expectVisible(page, '[data-testid=page-notice]', 'the "Duplicated" notice');
      const notice = oneLine(await page.locator('[data-testid=page-notice]').innerText());
      if (!/Duplicated 1 row/.test(notice)) throw new Error(`expected "Duplicated 1 row", but the notice says "${notice}"`);
      await expectRowCount(page, /^2 rows$/, 'the row and its copy');
      await checkpoint('row-duplicated');
      await page.locator(rowHeadSel(0)).click();
      await page.locator(rowHeadSel(1)).click({ modifiers: ['Shift'] });
      await page.locator('[data-testid=delete-rows]').click();
      await expectVisible(page, '[data-testid=delete-rows-dialog]', 'the delete confirmation');
      const question = oneLine(await page.locator('#delete-rows-title').innerText());
      if (!/Delete 2 rows/.test(question)) throw new Error(`expected the confirmation to name 2 rows, but it says "${question}"`);
      await screenshot(page, '10-delete-confirm.png');
      await page.locator('[data-testid=delete-rows-confirm]').click();
      await browser.expectGone(page, '[data-testid=delete-rows-dialog]', 'the delete confirmation');
      await expectVisible(page, '[data-testid=grid-empty]', 'no rows matching any more');
      await checkpoint('rows-deleted');
      await page.locator('[data-testid=grid-summary] button[aria-label="Clear the search"]').click();
      await expectRowCount(page, /^1,000 rows$/, 'all rows again');
    },
  ],
  [
    'resizing and moving a column is remembered after a reload',
    async (page) => {
      const handle = page.locator('.ag-header-cell[col-id="title"] .ag-header-cell-resize');
      const before = (await page.locator('.ag-header-cell[col-id="title"]').boundingBox()).width;
      const h = await handle.boundingBox();
      await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
      await page.mouse.down();
      await page.mouse.move(h.x + h.width / 2 + 40, h.y + h.height / 2, { steps: 5 });
      await page.mouse.move(h.x + h.width / 2 + 80, h.y + h.height / 2, { steps: 5 });
      await page.mouse.up();
      const after = (await page.locator('.ag-header-cell[col-id="title"]').boundingBox()).width;
      if (Math.abs(after - before - 80) > 3) throw new Error(`expected the title column 80 px wider (${before} → ${before + 80}), but it is ${after}`);
      const mood = await page.locator('.ag-header-cell[col-id="mood"] .rh-name').boundingBox();
      const title = await page.locator('.ag-header-cell[col-id="title"]').boundingBox();
      await page.mouse.move(mood.x + 5, mood.y + mood.height / 2);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) {
        await page.mouse.move(mood.x + 5 + ((title.x + 10 - mood.x - 5) * i) / 10, mood.y + mood.height / 2);
        await page.waitForTimeout(30);
      }
      await page.mouse.up();
      const order = await page.$$eval('.ag-header-cell[col-id]', (cells) =>
        cells.sort((a, b) => a.getBoundingClientRect().x - b.getBoundingClientRect().x).map((c) => c.getAttribute('col-id')),
      );
      if (order.indexOf('mood') > order.indexOf('title')) throw new Error(`expected mood before title after the drag, but the order is ${order}`);
      // The layout is saved a moment after the last change.
      await page.waitForResponse((r) => r.url().endsWith(`/tables/${books}/display`) && r.request().method() === 'PUT', { timeout: 5000 }).catch(() => {});
      await page.waitForTimeout(1200);
      await checkpoint('display-saved', Math.round(after));
      await page.reload();
      await expectVisible(page, `${cellSel(0, 'id')} .cell-text`, 'the rows after the reload');
      const widthAgain = (await page.locator('.ag-header-cell[col-id="title"]').boundingBox()).width;
      const orderAgain = await page.$$eval('.ag-header-cell[col-id]', (cells) =>
        cells.sort((a, b) => a.getBoundingClientRect().x - b.getBoundingClientRect().x).map((c) => c.getAttribute('col-id')),
      );
      if (Math.abs(widthAgain - after) > 2) throw new Error(`expected the title column to stay ${after} px wide after the reload, but it is ${widthAgain}`);
      if (orderAgain.indexOf('mood') > orderAgain.indexOf('title')) throw new Error(`expected mood before title after the reload, but the order is ${orderAgain}`);
      await screenshot(page, '11-layout-remembered.png');
    },
  ],
  [
    'deleting an author that books refer to is refused with the reason, and nothing is deleted',
    async (page) => {
      await openTable(page, authors, 'authors');
      await page.locator(rowHeadSel(1)).click();
      await page.locator('[data-testid=delete-rows]').click();
      await expectVisible(page, '[data-testid=delete-rows-dialog]', 'the delete confirmation');
      await page.locator('[data-testid=delete-rows-confirm]').click();
      await expectVisible(page, '[data-testid=delete-rows-dialog] [role=alert]', 'the refusal (other records refer to it)');
      const text = oneLine(await page.locator('[data-testid=delete-rows-dialog] [role=alert]').innerText());
      if (!/refer/.test(text) || !/books/.test(text)) throw new Error(`expected the refusal to say that records in books refer to the author: "${text}"`);
      await screenshot(page, '12-delete-refused.png');
      await page.keyboard.press('Escape');
      await browser.expectGone(page, '[data-testid=delete-rows-dialog]', 'the dialog after Escape');
      await checkpoint('delete-refused');
    },
  ],
  [
    'the large table: its middle and its end are painted, and the estimated count is corrected at the end',
    async (page) => {
      await openTable(page, big, 'big');
      const countBefore = await rowCountText(page);
      if (!/^about /.test(countBefore)) throw new Error(`expected an estimated count ("about …"), but the page says "${countBefore}"`);
      const viewport = page.locator('.ag-grid-viewport');
      const started = Date.now();
      await viewport.evaluate((v) => (v.scrollTop = (v.scrollHeight - v.clientHeight) / 2));
      const middle = Math.round(bigRows / 2);
      await page.waitForFunction(
        ([low, high]) => [...document.querySelectorAll('.ag-row .ag-cell[col-id="id"] .cell-text')].some((c) => Number(c.textContent) > low && Number(c.textContent) < high),
        [middle * 0.9, middle * 1.1],
        { timeout: 10_000 },
      );
      const ms = Date.now() - started;
      const ids = await paintedIds(page);
      for (let i = 1; i < ids.length; i++) {
        if (ids[i] !== ids[i - 1] + 1) throw new Error(`expected consecutive ids in the middle, but the grid shows ${ids}`);
      }
      console.log(`# middle painted in ${ms} ms: ids ${ids[0]}…${ids[ids.length - 1]}`);
      await screenshot(page, '13-big-middle.png');
      await viewport.evaluate((v) => (v.scrollTop = v.scrollHeight));
      await expectRowCount(page, new RegExp(`^${bigRows.toLocaleString('en-US')} rows$`), 'the exact count once the end is reached');
      await page.waitForFunction(
        (last) => [...document.querySelectorAll('.ag-row .ag-cell[col-id="id"] .cell-text')].some((c) => Number(c.textContent) === last),
        bigRows,
        { timeout: 10_000 },
      );
      await viewport.evaluate((v) => (v.scrollTop = v.scrollHeight));
      await page.waitForTimeout(300);
      const end = await paintedIds(page);
      if (end[end.length - 1] !== bigRows) throw new Error(`expected the last row ${bigRows} at the bottom, but the grid ends with ${end.slice(-3)}`);
      const blankRows = await page.$$eval('.ag-row:has(.ag-cell[col-id="id"])', (rows) => rows.filter((r) => !r.querySelector('.cell-text')).length);
      if (blankRows > 0) throw new Error(`expected no empty (phantom) rows at the end, but ${blankRows} rows have no data`);
      await screenshot(page, '14-big-end.png');
    },
  ],
];

exitWith(() => browser.run(steps), OVERALL_TIMEOUT_MS);
