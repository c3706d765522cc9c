import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inflateSync } from "node:zlib";

// The charts checked in a real browser: Debian's headless Chromium opens
// the html page and takes a screenshot, and the picture is read back to
// see that something was drawn. For the npm script and its test; the
// commands themselves never start a browser.

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** The flags that work in a sandboxed, offline machine: no sandbox of its own, no GPU, nothing fetched in the background. */
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1"];

/** The svg's own size in an html page the chart commands wrote, plus the page's margins: the window that shows it whole. */
export function windowFor(html: string, extraHeight = 0): { width: number; height: number } {
  // The svg's start tag alone, then each attribute: one pattern for all of it would backtrack (regex-linear test).
  const start = html.indexOf("<svg");
  const tag = start === -1 ? "" : html.slice(start, html.indexOf(">", start) + 1);
  const w = Number(/\swidth="(\d+)"/.exec(tag)?.[1] ?? 1200);
  const h = Number(/\sheight="(\d+)"/.exec(tag)?.[1] ?? 900);
  return { width: Math.min(4000, w + 40), height: Math.min(8000, h + 40 + extraHeight) };
}

/** Screenshots `htmlFile` into `pngFile` with a fresh profile; rejects with Chromium's stderr when no picture was written. */
export async function screenshot(htmlFile: string, pngFile: string, size: { width: number; height: number }, timeoutMs = 60_000): Promise<void> {
  const profile = mkdtempSync(path.join(os.tmpdir(), "patchwarden-chromium-"));
  try {
    const args = [...FLAGS, `--user-data-dir=${profile}`, `--window-size=${size.width},${size.height}`, `--screenshot=${path.resolve(pngFile)}`, `file://${path.resolve(htmlFile)}`];
    await new Promise<void>((resolve, reject) => {
      execFile(CHROMIUM, args, { timeout: timeoutMs, killSignal: "SIGKILL", env: { ...process.env, HOME: profile } }, (err, _stdout, stderr) => {
        if (err || !existsSync(pngFile)) reject(new Error(`${CHROMIUM} wrote no screenshot: ${err?.message ?? ""} ${String(stderr).split("\n").filter((l) => !/dbus|bus\.cc/.test(l)).slice(-5).join("\n")}`));
        else resolve();
      });
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

export interface PngInk {
  width: number;
  height: number;
  /** Share of pixels that are not near white. */
  ink: number;
  /** Share of pixels that are near black (text, axes, the solid line). */
  dark: number;
}

/** Reads an 8-bit RGB or RGBA PNG (what Chromium writes) and measures how much of it is drawn on. */
export function pngInk(file: string): PngInk {
  const buf = readFileSync(file);
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error(`${file} is not a PNG`);
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString("latin1", pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) throw new Error(`${file}: only 8-bit RGB(A) PNGs are read`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const prev = Buffer.alloc(stride);
  const row = Buffer.alloc(stride);
  let ink = 0;
  let dark = 0;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? row[i - channels]! : 0;
      const b = prev[i]!;
      const c = i >= channels ? prev[i - channels]! : 0;
      const x = line[i]!;
      let v: number;
      if (filter === 0) v = x;
      else if (filter === 1) v = x + a;
      else if (filter === 2) v = x + b;
      else if (filter === 3) v = x + ((a + b) >> 1);
      else {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      row[i] = v & 255;
    }
    for (let i = 0; i < stride; i += channels) {
      const lum = (row[i]! + row[i + 1]! + row[i + 2]!) / 3;
      if (lum < 235) ink++;
      if (lum < 60) dark++;
    }
    row.copy(prev);
  }
  const n = width * height || 1;
  return { width, height, ink: ink / n, dark: dark / n };
}
