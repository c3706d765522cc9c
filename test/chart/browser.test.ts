// The html a chart command writes, opened in a real browser: Debian's
// headless Chromium screenshots it and the picture must show a chart (ink,
// and dark text and lines), at the size of the svg. Skipped, saying why,
// where /usr/bin/chromium is absent; .ci/run installs it, so CI runs it.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CHROMIUM, pngInk, screenshot, windowFor } from "../../src/chart/browser.js";
import { sprawlCommand } from "../../src/history/command.js";
import { captureIo, TestRepo } from "../history/test-repo.js";

const present = existsSync(CHROMIUM);
const title = present ? "in headless Chromium" : `in headless Chromium (SKIPPED: ${CHROMIUM} is absent; apt-get install chromium, as .ci/run does)`;

// eslint-disable-next-line no-console
if (!present) console.warn(`test/chart/browser.test.ts skipped: ${CHROMIUM} is absent (apt-get install chromium; .ci/run installs it)`);

describe(title, () => {
  let repo: TestRepo;
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "patchwarden-browser-"));
    repo = new TestRepo("patchwarden-browser-repo-");
    let n = 0;
    for (const [tag, year] of [["v1.0", 2020], ["v1.1", 2021], ["v1.2", 2022]] as const) {
      for (let k = 0; k < 3; k++) {
        repo.commit(`xen ${n}`, `${year}-0${k + 1}-01T00:00:00Z`, { "drivers/xen/a.c": `int x${n};\n`, ...(k <= 2022 - year ? { "mm/a.c": `int m${n};\n` } : {}) });
        repo.commit(`virtio ${n}`, `${year}-0${k + 1}-02T00:00:00Z`, { "drivers/virtio/a.c": `int v${n};\n` });
        n++;
      }
      repo.git(["tag", tag]);
    }
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
    repo.remove();
  });

  (present ? it : it.skip)("draws sprawl --by release --format html", async () => {
    const io = captureIo(repo.dir);
    expect(await sprawlCommand(["--by", "release", "--format", "html", "drivers/xen", "drivers/virtio"], io)).toBe(0);
    const html = path.join(tmp, "sprawl.html");
    const png = path.join(tmp, "sprawl.png");
    writeFileSync(html, io.out());
    const size = windowFor(io.out());
    await screenshot(html, png, size);
    const ink = pngInk(png);
    expect([ink.width, ink.height]).toEqual([size.width, size.height]);
    // A white page has neither; a chart has lines, points and text.
    expect(ink.ink).toBeGreaterThan(0.01);
    expect(ink.dark).toBeGreaterThan(0.001);
    expect(readFileSync(png).length).toBeGreaterThan(10_000);
  }, 90_000);
});
