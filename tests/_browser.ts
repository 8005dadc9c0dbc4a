/**
 * Browser tests in Debian's headless Chromium, driven by `puppeteer-core`.
 * Without Chromium the browser tests are skipped with one line, except in
 * CI (`CI=true`), where a missing Chromium fails them: `.ci/run` installs it.
 *
 * @module
 */
import puppeteer, { type Browser, type ConsoleMessage, type Page } from "puppeteer-core";

export type { Browser, Page };

/** Where Chromium is looked for: `$CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH: string = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

/** The flags that work in containers and CI, without a GPU or a sandbox. */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A phone-sized viewport (a 390 × 844 CSS-pixel phone at 2x). */
export const PHONE = {
  width: 390,
  height: 844,
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};
/** A desktop viewport. */
export const DESKTOP = { width: 1280, height: 800, deviceScaleFactor: 1 };

function chromiumInstalled(): boolean {
  try {
    return Deno.statSync(CHROMIUM_PATH).isFile;
  } catch {
    return false;
  }
}

const installed = chromiumInstalled();
const inCi = Deno.env.get("CI") === "true";
let toldSkipped = false;

/** What a browser test gets: the browser, a page that records problems, and a temp dir. */
export interface BrowserContext {
  browser: Browser;
  page: Page;
  /** The test's own temp dir: screenshots are kept here as artifacts. */
  dir: string;
  /** Console errors and CSP violations the page reported so far. */
  problems: string[];
  /** Saves a screenshot of the page under `dir` and prints its path. */
  screenshot(name: string): Promise<string>;
}

/**
 * Registers a test that runs in a fresh Chromium with a fresh profile. The
 * page records console errors and Content-Security-Policy violations (both
 * the console's report and the DOM's `securitypolicyviolation` event).
 */
export function browserTest(name: string, fn: (context: BrowserContext) => Promise<void>): void {
  if (!installed && !inCi) {
    if (!toldSkipped) {
      console.log(
        `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`,
      );
      toldSkipped = true;
    }
    Deno.test({ name, ignore: true, fn: () => {} });
    return;
  }
  Deno.test({
    name,
    // puppeteer keeps its connection's timers and pipes until the browser is
    // gone; the browser is closed in `finally`, after which nothing is left.
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      if (!installed) {
        throw new Error(`CI=true and no Chromium at ${CHROMIUM_PATH}: .ci/run installs it`);
      }
      const dir = await Deno.makeTempDir({ prefix: "aw-browser-" });
      const browser = await puppeteer.launch({
        executablePath: CHROMIUM_PATH,
        headless: true,
        userDataDir: `${dir}/profile`,
        args: [...CHROMIUM_FLAGS],
      });
      try {
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on("console", (message: ConsoleMessage) => {
          if (message.type() !== "error") return;
          const where = message.location()?.url;
          problems.push(`console: ${message.text()}${where ? ` (${where})` : ""}`);
        });
        page.on("pageerror", (error) => problems.push(`page error: ${String(error)}`));
        // Runs in the page (a string: this module is type-checked without the DOM lib).
        await page.evaluateOnNewDocument(`document.addEventListener("securitypolicyviolation",
          (event) => console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI));`);
        const screenshot = async (shot: string) => {
          const path = `${dir}/${shot}.png`;
          await page.screenshot({ path: path as `${string}.png`, fullPage: true });
          console.log(`screenshot: ${path}`);
          return path;
        };
        await fn({ browser, page, dir, problems, screenshot });
      } finally {
        await browser.close();
        // The screenshots stay as artifacts; the profile is only Chromium's scratch.
        await Deno.remove(`${dir}/profile`, { recursive: true }).catch(() => {});
      }
    },
  });
}

/** Waits until `text` appears in the element `selector` matches (or throws after `ms`). */
export async function waitForText(page: Page, selector: string, text: string, ms = 10_000) {
  const found = await page.waitForFunction(
    `document.querySelector(${JSON.stringify(selector)})?.textContent?.includes(${
      JSON.stringify(text)
    })`,
    { timeout: ms, polling: 50 },
  );
  await found.dispose();
}
