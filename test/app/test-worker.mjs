// A review worker for tests: the app's own (from dist/, which `npm test`
// builds first), except that a patch carrying a marker makes it genuinely
// slow or greedy, so a test can make one review misbehave without relying on
// any rule being slow (rules get fixed; this must not).
//   X-Test-Worker: spin <ms>   burns CPU for that long, then reviews
//   X-Test-Worker: sleep <ms>  blocks the thread that long without CPU, then reviews
//   X-Test-Worker: hog         allocates until the thread's memory limit stops it
//   X-Test-Worker: throw       fails the way a bug in a rule would
//   X-Test-Worker: env         fails with the names of its environment variables
import analyzeSeries from "../../dist/src/app/review-worker.js";

export default function testWorker(input) {
  const text = input.sources.map((s) => s.text).join("\n");
  const spin = /X-Test-Worker: spin (\d{1,6})\b/.exec(text);
  if (spin) {
    const until = Date.now() + Number(spin[1]);
    while (Date.now() < until);
  }
  const sleep = /X-Test-Worker: sleep (\d{1,6})\b/.exec(text);
  if (sleep) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(sleep[1]));
  if (text.includes("X-Test-Worker: env")) throw new Error(`env: ${Object.keys(process.env).sort().join(",")}`);
  if (text.includes("X-Test-Worker: throw")) throw new TypeError("test worker: a deliberate bug");
  if (text.includes("X-Test-Worker: hog")) {
    const hoard = [];
    for (;;) hoard.push(new Array(1 << 16).fill(hoard.length));
  }
  return analyzeSeries(input);
}
