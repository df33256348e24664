#!/usr/bin/env node
// Accessibility audit of the built handbook HTML.
//
// Runs axe-core (npm) in Debian's system Chromium (/usr/bin/chromium), driven by
// playwright-core (npm). playwright-core never downloads a browser; neither does this
// script.
//
// Usage:
//   node tests/a11y/audit.mjs HTML_DIR [--base-url URL] [--profiles light,dark,mobile]
//                                      [--pages a.html,b.html] [--fail-on serious] [--json FILE]
//   node tests/a11y/audit.mjs HTML_DIR --search WORD [--expect-page PAGE | --expect-none]
//                                      [--from PAGE] [--base-url URL]
// Both take --chromium PATH (or the CHROMIUM environment variable); the default is
// /usr/bin/chromium.
//
// HTML_DIR is a Sphinx HTML output folder. Every *.html file in it (outside _static,
// _sources, _images) is audited, with every dropdown opened and every tab shown (axe
// skips hidden text). Pages are loaded over HTTP so that JavaScript that
// fetches files (search) works: from --base-url if given (the pytest wrapper starts a
// Python http.server), otherwise from a small static server this script starts on
// 127.0.0.1 with a free port.
//
// Profiles: "light" and "dark" are a 1280x900 window with that color scheme (furo
// follows the system setting); "mobile" is a 320x720 phone-sized window, light scheme,
// where furo shows its mobile header and hides the sidebars. In "mobile" the page must
// also reflow (WCAG 1.4.10): no sideways scrolling of the whole page, reported as the
// serious violation "reflow" (only a wide table or code block may scroll in its box).
//
// Besides axe-core's rules, every profile checks two things about the keyboard
// (serious): "label-control-unreachable", a visible <label> whose control cannot take
// focus (a menu icon only a mouse can use), and "focus-off-screen", a link that Tab
// reaches while it is off the screen to the left or right (a closed drawer).
//
// Output: one summary line per page and profile, then the details of every
// violation at or above --fail-on. Exit code: 0 clean, 1 violations at or above
// --fail-on (or search found nothing), 2 usage error or the browser cannot start.
//
// --search WORD loads search.html?q=WORD, prints the result links and audits the page
// with its results shown; it exits 1 if nothing was found, with --expect-page PAGE
// (e.g. chapters/prolotherapy.html) if that page is not among the results, or if the
// audit finds violations. With --expect-none it exits 1 if anything was found. With
// --from PAGE it starts on PAGE instead, types WORD into the page's search box and
// presses Enter, as a reader would (and exits 1 unless that leads to search.html?q=WORD).

import { readdirSync, statSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { join, resolve, extname, sep } from "node:path";

const require = createRequire(import.meta.url);

const IMPACTS = ["minor", "moderate", "serious", "critical"];
const PROFILES = {
  light: { colorScheme: "light", viewport: { width: 1280, height: 900 } },
  dark: { colorScheme: "dark", viewport: { width: 1280, height: 900 } },
  // 320 CSS px is WCAG 1.4.10 (Reflow): a 1280 px window zoomed to 400%, or a small phone.
  mobile: { colorScheme: "light", viewport: { width: 320, height: 720 } },
};
const SKIP_DIRS = new Set(["_static", "_sources", "_images", "_downloads", ".doctrees"]);
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function die(message) {
  process.stderr.write(`a11y: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    dir: null,
    baseUrl: null,
    profiles: ["light", "dark", "mobile"],
    failOn: "serious",
    json: null,
    search: null,
    expectPage: null,
    from: null,
    expectNone: false,
    chromium: process.env.CHROMIUM || "/usr/bin/chromium",
    pages: null,
  };
  const takesValue = new Set(["--base-url", "--profiles", "--fail-on", "--json", "--search", "--expect-page", "--chromium", "--pages", "--from"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") {
      const lines = readFileSync(new URL(import.meta.url), "utf8").split("\n").slice(1);
      const header = lines.slice(0, lines.findIndex((l) => !l.startsWith("//")));
      process.stdout.write(header.map((l) => l.replace(/^\/\/ ?/, "")).join("\n") + "\n");
      process.exit(0);
    }
    if (arg === "--expect-none") { opts.expectNone = true; continue; }
    if (takesValue.has(arg)) {
      const value = argv[++i];
      if (value === undefined) die(`${arg} needs a value`);
      const key = arg.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
      opts[key] = value;
      continue;
    }
    if (arg.startsWith("-")) die(`unknown option ${arg} (see --help)`);
    if (opts.dir !== null) die(`only one HTML folder, got ${opts.dir} and ${arg}`);
    opts.dir = arg;
  }
  if (opts.dir === null) die("usage: audit.mjs HTML_DIR [options] (see --help)");
  opts.dir = resolve(opts.dir);
  if (!existsSync(opts.dir) || !statSync(opts.dir).isDirectory()) die(`${opts.dir}: not a folder`);
  if (typeof opts.profiles === "string") opts.profiles = opts.profiles.split(",").map((s) => s.trim()).filter(Boolean);
  if (opts.profiles.length === 0) die("--profiles: name at least one profile");
  for (const p of opts.profiles) if (!(p in PROFILES)) die(`--profiles: unknown profile ${p} (${Object.keys(PROFILES).join(", ")})`);
  if (!IMPACTS.includes(opts.failOn)) die(`--fail-on: one of ${IMPACTS.join(", ")}`);
  if (typeof opts.pages === "string") opts.pages = opts.pages.split(",").map((s) => s.trim()).filter(Boolean);
  if (!existsSync(opts.chromium)) die(`${opts.chromium}: no Chromium there (install Debian's chromium package, or set CHROMIUM)`);
  return opts;
}

function findPages(dir, sub = "") {
  const pages = [];
  for (const name of readdirSync(join(dir, sub)).sort()) {
    const rel = sub ? `${sub}/${name}` : name;
    const full = join(dir, rel);
    if (statSync(full).isDirectory()) {
      if (!SKIP_DIRS.has(name)) pages.push(...findPages(dir, rel));
    } else if (name.endsWith(".html")) {
      pages.push(rel);
    }
  }
  return pages;
}

const MIME = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
  ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".ico": "image/x-icon",
  ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".json": "application/json",
  ".txt": "text/plain; charset=utf-8", ".pdf": "application/pdf", ".inv": "application/octet-stream",
};

// A minimal static file server on 127.0.0.1 for when no --base-url is given.
function startServer(root) {
  return new Promise((resolvePromise, reject) => {
    const server = createServer((req, res) => {
      let path;
      try {
        path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      } catch {
        res.writeHead(400).end();
        return;
      }
      let file = resolve(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) { res.writeHead(403).end(); return; }
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
      if (!existsSync(file)) { res.writeHead(404).end("not found"); return; }
      res.writeHead(200, { "Content-Type": MIME[extname(file).toLowerCase()] || "application/octet-stream" });
      res.end(readFileSync(file));
    });
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => resolvePromise(server));
  });
}

async function launch(opts) {
  let chromium;
  try {
    ({ chromium } = require("playwright-core"));
  } catch {
    die("playwright-core is not installed: run `npm ci` in the project folder");
  }
  try {
    // launch() (not launchPersistentContext) gives Chromium a fresh, empty, temporary
    // --user-data-dir and removes it on close.
    return await chromium.launch({ executablePath: opts.chromium, headless: true, args: CHROMIUM_ARGS, timeout: 60000 });
  } catch (err) {
    die(`cannot start ${opts.chromium}: ${String(err.message).split("\n")[0]}`);
  }
}

function axeSource() {
  try {
    return readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  } catch {
    die("axe-core is not installed: run `npm ci` in the project folder");
  }
}

// WCAG 1.4.10: at 320 CSS px the page must not scroll sideways. axe-core does not test
// this, so it is reported here in axe's shape.
async function reflowViolations(page) {
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width + 1) return null;
    const culprits = [];
    for (const el of document.querySelectorAll("body *")) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.right > width + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1)) {
        culprits.push({ target: el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""),
          summary: `Ends at ${Math.round(box.right)} px in a ${width} px wide window`, html: el.outerHTML.slice(0, 200) });
      }
      if (culprits.length >= 10) break;
    }
    return { width, scrollWidth: document.documentElement.scrollWidth, culprits };
  });
  if (!wide) return [];
  return [{
    id: "reflow", impact: "serious",
    help: `Page scrolls sideways at ${wide.width} px (${wide.scrollWidth} px wide): content must reflow (WCAG 1.4.10)`,
    helpUrl: "https://www.w3.org/WAI/WCAG22/Understanding/reflow.html",
    nodes: wide.culprits.length ? wide.culprits : [{ target: "html", summary: "The page is wider than the window", html: "" }],
  }];
}

// Switches the loaded page to a profile's color scheme and window size, then waits
// for the theme's scripts to react (furo re-lays out its sidebars on a width change).
async function applyProfile(page, name, settle = true) {
  const profile = PROFILES[name];
  await page.emulateMedia({ colorScheme: profile.colorScheme });
  const size = page.viewportSize();
  const resize = !size || size.width !== profile.viewport.width || size.height !== profile.viewport.height;
  if (resize) await page.setViewportSize(profile.viewport);
  if (settle) await page.waitForTimeout(resize ? 150 : 30);
}

// Keyboard checks axe-core does not make, reported in axe's shape (WCAG 2.1.1, 2.4.7):
// - "label-control-unreachable": a visible <label> works a control that is display:none
//   or visibility:hidden, so only a mouse can use it (furo's menu icons on phones);
// - "focus-off-screen": a link or control that Tab reaches while it sits outside the
//   window to the left or right (furo's closed drawers), so focus disappears.
async function keyboardViolations(page) {
  const found = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const describe = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "") +
      (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "");
    const shown = (el) => el.checkVisibility({ visibilityProperty: true });
    const unreachable = [];
    for (const label of document.querySelectorAll("label[for]")) {
      const box = label.getBoundingClientRect();
      if (!shown(label) || box.width === 0 || box.height === 0 || box.right <= 0 || box.left >= width) continue;
      const control = document.getElementById(label.htmlFor);
      if (control && control.matches("input, select, textarea") && !shown(control)) {
        unreachable.push({ target: describe(label), summary: `Its control ${describe(control)} cannot take keyboard focus`, html: label.outerHTML.slice(0, 200) });
      }
    }
    const offscreen = [];
    const focusable = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]";
    for (const el of document.querySelectorAll(focusable)) {
      if (el.disabled || el.tabIndex < 0 || !shown(el)) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.right > 0 && box.left < width) continue;
      let scroller = el.parentElement;
      while (scroller && !/(auto|scroll)/.test(getComputedStyle(scroller).overflowX)) scroller = scroller.parentElement;
      if (scroller && scroller !== document.documentElement && scroller !== document.body) continue;
      offscreen.push({ target: describe(el), summary: `Tab reaches it at x=${Math.round(box.left)} px, outside the ${width} px window`, html: el.outerHTML.slice(0, 200) });
    }
    return { unreachable, offscreen };
  });
  const violations = [];
  if (found.unreachable.length) violations.push({
    id: "label-control-unreachable", impact: "serious",
    help: "A visible control can only be used with a mouse: its input cannot take keyboard focus (WCAG 2.1.1)",
    helpUrl: "https://www.w3.org/WAI/WCAG22/Understanding/keyboard.html", nodes: found.unreachable,
  });
  if (found.offscreen.length) violations.push({
    id: "focus-off-screen", impact: "serious",
    help: "Keyboard focus reaches links or controls that are off the screen (WCAG 2.4.7)",
    helpUrl: "https://www.w3.org/WAI/WCAG22/Understanding/focus-visible.html", nodes: found.offscreen,
  });
  return violations;
}

// axe-core must already be on the page (page.addScriptTag).
async function runAxe(page) {
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary, html: n.html.slice(0, 200) })),
    }));
  });
}

// Transitions are switched off after loading: the audit switches color scheme and
// width on a loaded page, and axe must see the final colors (a reader who opens the
// page in dark mode never sees the light-to-dark fade), not a color half-way through.
const NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }";

// axe-core skips what is hidden, so the text inside closed dropdowns (<details>) and
// inactive tabs would never be checked. Readers open them: the audit opens them all.
const SHOW_ALL_TABS = ".sd-tab-set > .sd-tab-content { display: block !important; }";

async function loadPage(page, url, { expand = true } = {}) {
  const response = await page.goto(url, { waitUntil: "load", timeout: 30000 });
  if (!response || !response.ok()) throw new Error(`HTTP ${response ? response.status() : "no response"}`);
  await page.addStyleTag({ content: NO_TRANSITIONS });
  if (expand) {
    await page.addStyleTag({ content: SHOW_ALL_TABS });
    await page.evaluate(() => { for (const d of document.querySelectorAll("details")) d.open = true; });
  }
}

// Prints the summary line (and details of blocking violations) for one audit and
// returns a report entry; entry.blocking is true when it must fail the run.
function report(label, profile, violations, threshold) {
  const counts = Object.fromEntries(IMPACTS.map((i) => [i, 0]));
  for (const v of violations) counts[v.impact || "minor"] += v.nodes.length;
  const blocking = violations.filter((v) => IMPACTS.indexOf(v.impact || "minor") >= threshold);
  const summary = IMPACTS.slice().reverse().map((i) => `${counts[i]} ${i}`).join(", ");
  process.stdout.write(`${blocking.length ? "FAIL" : "ok  "} ${label} [${profile}]: ${summary}\n`);
  for (const v of blocking) {
    process.stdout.write(`     ${v.impact}: ${v.id}: ${v.help} (${v.helpUrl})\n`);
    for (const n of v.nodes.slice(0, 5)) {
      process.stdout.write(`       at ${n.target}\n`);
      process.stdout.write(`         ${n.summary.replace(/\s*\n\s*/g, " / ")}\n`);
    }
    if (v.nodes.length > 5) process.stdout.write(`       ... and ${v.nodes.length - 5} more\n`);
  }
  return { page: label, profile, counts, violations, blocking: blocking.length > 0 };
}

function pageUrl(rel, baseUrl) {
  return new URL(rel.split("/").map(encodeURIComponent).join("/"), baseUrl).href;
}

async function runAudit(opts, baseUrl) {
  const pages = opts.pages || findPages(opts.dir);
  if (pages.length === 0) die(`${opts.dir}: no HTML pages found`);
  const axe = axeSource();
  const browser = await launch(opts);
  const threshold = IMPACTS.indexOf(opts.failOn);
  const entries = [];
  try {
    // Each page is loaded once and audited in every profile: the color scheme and the
    // window size are switched on the loaded page (furo follows both live).
    const context = await browser.newContext({ viewport: PROFILES[opts.profiles[0]].viewport });
    const page = await context.newPage();
    for (const rel of pages) {
      try {
        await applyProfile(page, opts.profiles[0], false);  // load at the first profile's size
        await loadPage(page, pageUrl(rel, baseUrl));
        await page.addScriptTag({ content: axe });
      } catch (err) {
        for (const profile of opts.profiles) {
          process.stdout.write(`FAIL ${rel} [${profile}]: could not load: ${String(err.message).split("\n")[0]}\n`);
          entries.push({ page: rel, profile, error: String(err.message), blocking: true });
        }
        continue;
      }
      for (const profile of opts.profiles) {
        try {
          await applyProfile(page, profile);
          const violations = await runAxe(page);
          violations.push(...await keyboardViolations(page));
          if (profile === "mobile") violations.push(...await reflowViolations(page));
          entries.push(report(rel, profile, violations, threshold));
        } catch (err) {
          process.stdout.write(`FAIL ${rel} [${profile}]: could not audit: ${String(err.message).split("\n")[0]}\n`);
          entries.push({ page: rel, profile, error: String(err.message), blocking: true });
        }
      }
    }
    await context.close();
  } finally {
    await browser.close();
  }
  const failures = entries.filter((e) => e.blocking).length;
  process.stdout.write(`a11y: ${pages.length} pages x ${opts.profiles.length} profiles (${opts.profiles.join(", ")}) = ` +
    `${entries.length} audits, ${failures} with ${opts.failOn} or worse violations\n`);
  if (opts.json) writeFileSync(opts.json, JSON.stringify(entries, null, 2) + "\n");
  return failures ? 1 : 0;
}

async function runSearch(opts, baseUrl) {
  if (!existsSync(join(opts.dir, "search.html"))) die(`${opts.dir}: no search.html`);
  const axe = axeSource();
  const browser = await launch(opts);
  const threshold = IMPACTS.indexOf(opts.failOn);
  try {
    const context = await browser.newContext({ viewport: PROFILES[opts.profiles[0]].viewport });
    const page = await context.newPage();
    let rel = `search.html?q=${encodeURIComponent(opts.search)}`;
    await applyProfile(page, opts.profiles[0]);
    if (opts.from) {
      // As a reader does it: type into the page's search box and press Enter.
      await loadPage(page, pageUrl(opts.from, baseUrl), { expand: false });
      const box = page.locator("input[name=q]:visible").first();
      if (!(await box.count())) {
        process.stdout.write(`search: ${opts.from} has no visible search box\n`);
        return 1;
      }
      await box.fill(opts.search);
      await Promise.all([page.waitForNavigation({ waitUntil: "load", timeout: 30000 }), box.press("Enter")]);
      const landed = new URL(page.url());
      rel = landed.pathname.replace(new URL(baseUrl).pathname, "") + landed.search;
      process.stdout.write(`search box on ${opts.from} led to ${rel}\n`);
      if (!/(^|\/)search\.html$/.test(landed.pathname) || landed.searchParams.get("q") !== opts.search) return 1;
      await page.addStyleTag({ content: NO_TRANSITIONS });
    } else {
      await loadPage(page, new URL(rel, baseUrl).href);
    }
    // Sphinx's searchtools writes a summary paragraph once the search has finished,
    // whether or not anything was found.
    const finished = await page.waitForFunction(() => {
      const el = document.querySelector("#search-results .search-summary");
      return el && el.textContent.trim() !== "";
    }, null, { timeout: 20000 }).then(() => true, () => false);
    const found = await page.evaluate(() => Array.from(document.querySelectorAll("#search-results ul.search > li a"))
      .filter((a) => !a.closest("p.context"))
      .map((a) => ({ href: a.getAttribute("href"), text: a.textContent.trim() })));
    const summary = await page.evaluate(() => {
      const el = document.querySelector("#search-results .search-summary");
      return el ? el.textContent.trim() : "(no search summary on the page)";
    });
    process.stdout.write(`search "${opts.search}": ${found.length} results${finished ? "" : " (search did not finish in 20 s)"}: ${summary}\n`);
    for (const r of found) process.stdout.write(`  ${r.href}  ${r.text}\n`);
    await page.addScriptTag({ content: axe });
    const audit = report(rel, opts.profiles[0], await runAxe(page), threshold);
    if (opts.json) writeFileSync(opts.json, JSON.stringify({ query: opts.search, finished, summary, found, audit }, null, 2) + "\n");
    if (audit.blocking || !finished) return 1;
    if (opts.expectNone) return found.length === 0 ? 0 : 1;
    if (found.length === 0) return 1;
    if (opts.expectPage) {
      const want = opts.expectPage.replace(/\.html$/, "");
      const hit = found.some((r) => (r.href || "").split(/[?#]/)[0].replace(/\.html$/, "").replace(/\/$/, "") === want);
      if (!hit) {
        process.stdout.write(`search "${opts.search}": ${opts.expectPage} is not among the results\n`);
        return 1;
      }
    }
    return 0;
  } finally {
    await browser.close();
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let server = null;
  let baseUrl = opts.baseUrl;
  if (!baseUrl) {
    server = await startServer(opts.dir);
    baseUrl = `http://127.0.0.1:${server.address().port}/`;
  } else if (!baseUrl.endsWith("/")) {
    baseUrl += "/";
  }
  try {
    return opts.search !== null ? await runSearch(opts, baseUrl) : await runAudit(opts, baseUrl);
  } finally {
    if (server) server.close();
  }
}

// `audit.mjs ... | head` closes the pipe early: stop quietly (status 141, as for
// SIGPIPE) rather than crash with a stack trace.
process.stdout.on("error", (err) => process.exit(err.code === "EPIPE" ? 141 : 2));

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(`a11y: ${String(err && err.message || err).split("\n")[0]}\n`);
  process.exit(2);
});
