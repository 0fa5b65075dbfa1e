// Shared by the browser tests of e2e/: starts headless Chromium, runs named steps in order and
// prints "ok - <step>" for each. The first failing step prints "not ok - <step>: <reason>" and
// saves failure.png. Any console error, uncaught page error or
// 5xx answer fails the step it happened in; 4xx answers from /api/ on the tested origin are part
// of the flows (401 while signed out, 422 for a refused form) and allowed. checkpoint, sqlValue
// and sqlExec (at the end) let the Java test check the database between steps.
//
// Environment: CHROMIUM overrides the browser binary (default /usr/bin/chromium).

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export function oneLine(text) {
  return text.replace(/\s+/g, ' ').trim();
}

/** The first matching element's text, on one line. */
export async function text(page, selector) {
  return oneLine(await page.locator(selector).first().innerText());
}

export class BrowserRun {
  /**
   * @param {{origin: string, screenshotDir: string, stepTimeoutMs?: number}} options
   */
  constructor({ origin, screenshotDir, stepTimeoutMs = 15_000 }) {
    this.origin = origin;
    this.screenshotDir = screenshotDir;
    this.stepTimeoutMs = stepTimeoutMs;
    /** Problems seen by the listeners; checked after every step. */
    this.pageProblems = [];
    mkdirSync(screenshotDir, { recursive: true });
  }

  isExpectedApi4xx(message) {
    const url = message.location()?.url ?? '';
    const text = message.text();
    if (!/^Failed to load resource: the server responded with a status of 4\d\d\b/.test(text)) return false;
    try {
      const u = new URL(url);
      return u.origin === this.origin && u.pathname.startsWith('/api/');
    } catch {
      return false;
    }
  }

  watch(page) {
    page.on('console', (message) => {
      if (message.type() !== 'error' || this.isExpectedApi4xx(message)) return;
      const where = message.location()?.url ? ` (${message.location().url})` : '';
      this.pageProblems.push(`console error: ${message.text()}${where}`);
    });
    page.on('pageerror', (error) => this.pageProblems.push(`uncaught error in page: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 500) {
        this.pageProblems.push(`HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
      }
    });
  }

  checkPageProblems() {
    if (this.pageProblems.length > 0) {
      throw new Error(`the page reported problems:\n  ${this.pageProblems.join('\n  ')}`);
    }
  }

  /** What the page shows right now, for failure messages. */
  async describePage(page) {
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

  async expectVisible(page, selector, what, timeout = this.stepTimeoutMs) {
    try {
      await page.locator(selector).first().waitFor({ state: 'visible', timeout });
    } catch {
      throw new Error(`expected ${what} (${selector}), but the ${await this.describePage(page)}`);
    }
  }

  async expectGone(page, selector, what, timeout = this.stepTimeoutMs) {
    try {
      await page.locator(selector).first().waitFor({ state: 'detached', timeout });
    } catch {
      throw new Error(`expected ${what} (${selector}) to go away, but the ${await this.describePage(page)}`);
    }
  }

  async expectAlert(page, pattern, what) {
    await this.expectVisible(page, '[role=alert]', what);
    const text = oneLine(await page.locator('[role=alert]').first().innerText());
    if (!pattern.test(text)) throw new Error(`expected ${what} matching ${pattern}, but the alert says "${text}"`);
    return text;
  }

  /** Waits (up to 10 s) until the element's text matches: answers from the server take a moment. */
  async expectText(page, selector, pattern, what) {
    await this.expectVisible(page, selector, what);
    const deadline = Date.now() + 10_000;
    let actual;
    for (;;) {
      actual = await text(page, selector);
      if (pattern.test(actual)) return actual;
      if (Date.now() > deadline) throw new Error(`expected ${what} to match ${pattern}, but it says "${actual}"`);
      await page.waitForTimeout(100);
    }
  }

  /** Waits (up to 10 s) until the element's attribute has the expected value. */
  async expectAttribute(page, selector, name, expected, what) {
    await this.expectVisible(page, selector, what);
    const deadline = Date.now() + 10_000;
    let actual;
    do {
      actual = await page.locator(selector).first().getAttribute(name);
      if (actual === expected) return;
      await page.waitForTimeout(100);
    } while (Date.now() < deadline);
    throw new Error(`expected ${what} to have ${name}="${expected}", but it has "${actual}"`);
  }

  async screenshot(page, name) {
    await page.screenshot({ path: path.join(this.screenshotDir, name), fullPage: true });
  }

  /** Also at a phone's width (375 px), then back to the desktop size. */
  async screenshotNarrow(page, name) {
    const size = page.viewportSize();
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      await this.screenshot(page, name);
    } finally {
      await page.setViewportSize(size);
    }
  }

  /**
   * Runs the steps ([name, async (page) => …] pairs) in one page at 1280×800; resolves to the
   * process exit code (0 when every step passed).
   */
  async run(steps) {
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
      context.setDefaultTimeout(this.stepTimeoutMs);
      context.setDefaultNavigationTimeout(this.stepTimeoutMs);
      page = await context.newPage();
      this.watch(page);
      for (const [name, step] of steps) {
        current = name;
        await step(page);
        this.checkPageProblems();
        console.log(`ok - ${name}`);
      }
      return 0;
    } catch (error) {
      console.log(`not ok - ${current}: ${error?.message ?? error}`);
      if (page) {
        await page
          .screenshot({ path: path.join(this.screenshotDir, 'failure.png'), fullPage: true })
          .catch((e) => console.log(`# could not save failure.png: ${e.message}`));
      }
      return 1;
    } finally {
      await browser.close().catch(() => {});
    }
  }
}

/** Runs `main` (resolving to an exit code) under an overall time limit, then exits the process. */
export function exitWith(main, overallTimeoutMs) {
  const overall = setTimeout(() => {
    console.log(`not ok - the test did not finish within ${overallTimeoutMs / 1000} seconds`);
    process.exit(1);
  }, overallTimeoutMs);
  main()
    .then((code) => {
      clearTimeout(overall);
      process.exit(code);
    })
    .catch((error) => {
      console.log(`not ok - ${error?.message ?? error}`);
      process.exit(1);
    });
}

// ---- The Java side: database checks between browser steps -------------------------------------
//
// The one channel between a script and the test that runs it (BrowserScript on the Java side): a
// request is one line on stdout, the answer one line on stdin, "ok[ <value>]" or "fail <reason>".
//   @@check <name>[ <detail>…]   checkpoint(name, …details): the Java check of that name runs (SQL,
//                                 the API) with the details (words without spaces, e.g. a measured width)
//   @@sql ["<query>", <param>…]  sqlValue(query, …params): the first column of the first row, as text
//                                 (null for NULL or no row); answered "ok <JSON value>"
//   @@exec "<statement>"         sqlExec(statement): runs a statement, to correct data between steps
// SQL runs directly in the test database (not through Rowan), so it sees the real state. A "fail"
// throws, failing the step. By hand a person can answer checkpoints on the terminal (`yes ok | node …`
// passes them all without checking anything); SQL requests need the Java side.

let stdinLines;

function nextStdinLine() {
  if (!stdinLines) {
    const queue = [];
    const waiting = [];
    let buffered = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => {
      buffered += chunk;
      let end;
      while ((end = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, end).replace(/\r$/, '');
        buffered = buffered.slice(end + 1);
        if (waiting.length > 0) waiting.shift()(line);
        else queue.push(line);
      }
    });
    process.stdin.on('end', () => {
      while (waiting.length > 0) waiting.shift()(null);
    });
    stdinLines = () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve)));
  }
  return stdinLines();
}

/** Prints the request and resolves to what follows "ok" in the answer ('' when nothing does). */
async function ask(request, what) {
  console.log(request);
  const answer = await nextStdinLine();
  if (answer === null) throw new Error(`${what}: the test stopped answering`);
  if (answer === 'ok' || answer.startsWith('ok ')) return answer.slice(3);
  throw new Error(`${what}: ${answer.replace(/^fail\s*/, '')}`);
}

export async function checkpoint(name, ...details) {
  await ask(`@@check ${[name, ...details].join(' ')}`, `checkpoint "${name}"`);
}

export async function sqlValue(query, ...params) {
  const value = await ask(`@@sql ${JSON.stringify([query, ...params])}`, `SQL ${oneLine(query)}`);
  if (value === '') throw new Error(`SQL ${oneLine(query)}: the answer has no value`);
  return JSON.parse(value);
}

export async function sqlExec(statement) {
  await ask(`@@exec ${JSON.stringify(statement)}`, `SQL ${oneLine(statement)}`);
}
