// The grid benchmark's browser part (bench/grid.sh prepares Rowan and the table): in headless
// Chromium, times
//   - navigation start → the first data rows in the DOM (and the frame after, when they are painted),
//   - the scrollbar set to the middle → rows of that region (ids near the middle) in the DOM and painted,
// and, as the baseline, the same records requests the grid makes (offset 0 and the middle, 100 rows)
// fetched from the page. Run 1 starts with an empty browser cache (a first visit); the others reuse
// it, as a returning visitor's browser does. Prints one line per run, then medians.
//
// Usage: node grid-bench.mjs <baseUrl> <username> <password> <db> <table> <rows> <runs>

import { chromium } from 'playwright-core';

const [baseUrl, username, password, db, table, rowsArg, runsArg] = process.argv.slice(2);
if (!baseUrl || !username || !password || !db || !table || !rowsArg || !runsArg) {
  console.error('usage: node grid-bench.mjs <baseUrl> <username> <password> <db> <table> <rows> <runs>');
  process.exit(1);
}
const origin = new URL(baseUrl).origin;
const rows = Number(rowsArg);
const runs = Number(runsArg);
const tableUrl = `${origin}/databases/${db}/tables/${table}`;
const ID_CELL = '.ag-row .ag-cell[col-id="id"] .cell-text';

// Installed before the page's own scripts: notes when the first data row appears, and the frame after.
function watchFirstRows(selector) {
  window.__firstRows = null;
  const seen = () => {
    if (window.__firstRows || !document.querySelector(selector)) return;
    const inDom = performance.now();
    window.__firstRows = { inDom, painted: null };
    requestAnimationFrame(() => setTimeout(() => (window.__firstRows.painted = performance.now()), 0));
    observer.disconnect();
  };
  const observer = new MutationObserver(seen);
  observer.observe(document, { childList: true, subtree: true });
}

/** In the page: scrolls to the middle and waits for ids near it; answers the times (ms). */
function scrollToMiddle([selector, low, high]) {
  return new Promise((resolve, reject) => {
    const viewport = document.querySelector('.ag-grid-viewport');
    const found = () => [...document.querySelectorAll(selector)].some((c) => Number(c.textContent) >= low && Number(c.textContent) <= high);
    const start = performance.now();
    const timer = setTimeout(() => reject(new Error('the middle rows did not appear within 10 s')), 10_000);
    const observer = new MutationObserver(() => {
      if (!found()) return;
      const inDom = performance.now() - start;
      observer.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => setTimeout(() => resolve({ inDom, painted: performance.now() - start }), 0));
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    viewport.scrollTop = (viewport.scrollHeight - viewport.clientHeight) / 2;
  });
}

/** In the page: one records request as the grid makes it, read to the end and parsed. */
async function fetchPage(url) {
  const start = performance.now();
  const answer = await fetch(url, { credentials: 'include', headers: { Accept: 'application/json' } });
  const body = await answer.json();
  if (!answer.ok || body.results.length === 0) throw new Error(`records request failed: ${answer.status}`);
  return performance.now() - start;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (ms) => `${ms.toFixed(0)} ms`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(watchFirstRows, ID_CELL);
  const page = await context.newPage();
  const login = await page.request.post(`${origin}/api/v1/auth/login`, { data: { username, password } });
  if (!login.ok()) throw new Error(`signing in failed: ${login.status()} ${await login.text()}`);

  const middleRow = Math.floor(rows / 2);
  // The grid asks for blocks of 100 rows at multiples of 100.
  const middleOffset = middleRow - (middleRow % 100);
  const results = [];
  for (let run = 1; run <= runs; run++) {
    await page.goto(tableUrl, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__firstRows?.painted != null, null, { timeout: 20_000 });
    const first = await page.evaluate(() => window.__firstRows);
    await page.waitForTimeout(300);
    const middle = await page.evaluate(scrollToMiddle, [ID_CELL, middleRow - 1000, middleRow + 1000]);
    const ids = await page.$$eval(ID_CELL, (cells) => cells.map((c) => Number(c.textContent)).sort((a, b) => a - b));
    const apiFirst = await page.evaluate(fetchPage, `/api/v1/databases/${db}/tables/${table}/records?limit=100&offset=0`);
    const apiMiddle = await page.evaluate(fetchPage, `/api/v1/databases/${db}/tables/${table}/records?limit=100&offset=${middleOffset}`);
    results.push({ first, middle, apiFirst, apiMiddle });
    console.log(
      `run ${run}${run === 1 ? ' (empty cache)' : ''}: first rows in DOM ${fmt(first.inDom)}, painted ${fmt(first.painted)}; ` +
        `middle in DOM ${fmt(middle.inDom)}, painted ${fmt(middle.painted)} (ids ${ids[0]}…${ids[ids.length - 1]}); ` +
        `API offset 0 ${fmt(apiFirst)}, offset ${middleOffset.toLocaleString('en-US')} ${fmt(apiMiddle)}`,
    );
  }
  const warm = results.length > 1 ? results.slice(1) : results;
  const m = (f) => median(warm.map(f));
  console.log('');
  console.log(`medians of runs 2–${runs} (browser cache warm):`);
  console.log(`  navigation → first rows painted:   ${fmt(m((r) => r.first.painted))}   (in DOM ${fmt(m((r) => r.first.inDom))})   target <= 1000 ms`);
  console.log(`  scrollbar to middle → rows painted: ${fmt(m((r) => r.middle.painted))}   (in DOM ${fmt(m((r) => r.middle.inDom))})   target <= 300 ms`);
  console.log(`  baseline, the API request from the page: offset 0 ${fmt(m((r) => r.apiFirst))}, offset ${middleOffset.toLocaleString('en-US')} ${fmt(m((r) => r.apiMiddle))}`);
  console.log(`  middle: UI / API = ${(m((r) => r.middle.painted) / m((r) => r.apiMiddle)).toFixed(2)}x`);
  console.log(`first visit (empty cache): first rows painted ${fmt(results[0].first.painted)}`);
} finally {
  await browser.close();
}
