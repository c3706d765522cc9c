// Opens a chart page in headless Chromium and screenshots it: the check
// that what `sprawl --format html` / `census --format html` write is a page
// a browser draws, and how the README's picture is made.
//
//   npm run chart:screenshot -- PAGE.html OUT.png
//   npm run chart:screenshot                  (a chart of a small made-up history, in a temporary directory)
//
// Exit status 1 when Chromium wrote no picture or the picture is blank.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, pngInk, screenshot, windowFor } from "../src/chart/browser.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const [page, out] = process.argv.slice(2);
const tmp = mkdtempSync(path.join(os.tmpdir(), "patchwarden-screenshot-"));
try {
  let html = page;
  if (!html) {
    // A history of two paths over three releases, written with git itself.
    const repo = path.join(tmp, "demo");
    mkdirSync(repo);
    const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
    const git = (args: string[], date = "2021-01-01T00:00:00Z") =>
      execFileSync("git", ["-C", repo, "-c", "user.name=Demo", "-c", "user.email=demo@example.org", ...args], { env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
    git(["init", "-q", "-b", "main"]);
    const commit = (n: number, files: string[], date: string) => {
      for (const f of files) {
        mkdirSync(path.join(repo, path.dirname(f)), { recursive: true });
        writeFileSync(path.join(repo, f), `int v${n};\n`);
      }
      git(["add", "-A"]);
      git(["commit", "-q", "-m", `change ${n}`], date);
    };
    let n = 0;
    for (const [release, year] of [["v1.0", 2020], ["v1.1", 2021], ["v1.2", 2022]] as const) {
      for (let k = 0; k < 4; k++) {
        commit(n++, ["drivers/xen/a.c", ...(k <= 2022 - year ? ["mm/a.c", "arch/x86/a.c"] : [])], `${year}-0${k + 1}-01T00:00:00Z`);
        commit(n++, ["drivers/virtio/a.c", ...(k < 2 ? ["include/a.h"] : [])], `${year}-0${k + 1}-02T00:00:00Z`);
      }
      git(["tag", release]);
    }
    html = path.join(tmp, "demo.html");
    writeFileSync(html, execFileSync(process.execPath, [path.join(root, "bin/patchwarden.js"), "sprawl", "--repo", repo, "--by", "release", "--format", "html", "drivers/xen", "drivers/virtio"], { env }));
  }
  const png = out ?? path.join(tmp, "chart.png");
  const size = windowFor(readFileSync(html, "utf8"));
  const started = Date.now();
  await screenshot(html, png, size);
  const ink = pngInk(png);
  console.log(`${CHROMIUM}: ${png} ${ink.width}x${ink.height}, ${(readFileSync(png).length / 1024).toFixed(0)} KiB, ${(ink.ink * 100).toFixed(1)}% drawn on, ${(ink.dark * 100).toFixed(2)}% dark, in ${Date.now() - started} ms`);
  if (ink.ink < 0.01 || ink.dark < 0.001) {
    console.error("chart:screenshot: the picture is blank: Chromium drew no chart");
    process.exitCode = 1;
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
