// Bundles the command line into one file and a few lazily loaded chunks
// (dist/cli/): resolving and reading ~60 ES modules one by one is a visible
// part of the CLI's cold start, and a bundle is read in one go. A build
// step only: the source layout stays as it is, and bin/patchwarden.js falls
// back to dist/src when no bundle was built. Native addons, and the app's
// server-side dependencies the CLI never loads, stay outside.
//
//   node dist/scripts/bundle-cli.js   (npm run build does it after tsc)
import { build } from "esbuild";
import path from "node:path";
import { writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { removeStaleOutputs } from "./stale-outputs.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const result = await build({
  entryPoints: { patchwarden: path.join(root, "dist/src/cli/main.js") },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // The commands loaded on demand (stats, sprawl, census, watch ...) stay chunks of their own.
  splitting: true,
  outdir: path.join(root, "dist/cli"),
  outExtension: { ".js": ".mjs" },
  // The app's server side stays outside too, so a CLI path that reached for
  // it would load it from node_modules where a test can see it.
  // vega and vega-lite (only sprawl and census --format svg|html load them, by dynamic import) stay
  // outside as well: most of the bundle's weight otherwise, and a test sees that "rules" never loads them.
  external: ["tree-sitter", "tree-sitter-c", "recheck", "probot", "bullmq", "ioredis", "piscina", "prom-client", "@octokit/*", "vega", "vega-lite"],
  // Bundled CommonJS dependencies (yaml, ajv, picomatch) call require().
  banner: { js: "import { createRequire as __patchwardenRequire } from 'node:module'; const require = __patchwardenRequire(import.meta.url);" },
  metafile: true,
  logLevel: "warning",
  legalComments: "none",
});
// `patchwarden rules` on its own (bin/patchwarden.js runs it for that
// command): one file with only what listing the rules needs, no shared
// chunk of the main bundle, so it costs little more than Node's start.
// The registry it falls back to without rule-metas.json stays outside: it
// is tsc's dist/rules/index.js, not bundled into the file.
const rules = await build({
  entryPoints: { "patchwarden-rules": path.join(root, "dist/src/cli/rules-command.js") },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outdir: path.join(root, "dist/cli"),
  outExtension: { ".js": ".mjs" },
  plugins: [
    {
      name: "registry-outside",
      setup(b) {
        // rule-metas.js's import("../../rules/index.js"), seen from dist/cli/.
        b.onResolve({ filter: /^\.\.\/\.\.\/rules\/index\.js$/ }, (args) =>
          args.kind === "dynamic-import" && args.importer.endsWith(`${path.sep}cli${path.sep}rule-metas.js`) ? { path: "../rules/index.js", external: true } : undefined,
        );
      },
    },
  ],
  metafile: true,
  logLevel: "warning",
  legalComments: "none",
});
// The rules' metadata beside the chunks: `patchwarden rules` lists the rules
// without loading their code (src/cli/rule-metas.ts).
const { ruleRegistry } = await import(pathToFileURL(path.join(root, "dist/rules/index.js")).href);
await writeFile(path.join(root, "dist/cli/rule-metas.json"), `${JSON.stringify((ruleRegistry as { meta: unknown }[]).map((r) => r.meta), null, 1)}\n`);
const outputs = [...Object.entries(result.metafile.outputs), ...Object.entries(rules.metafile.outputs)];
const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
// metafile paths are relative to the working directory: their names are what matters.
const stale = removeStaleOutputs(path.join(root, "dist/cli"), new Set(outputs.map(([file]) => path.basename(file))));
console.log(`bundle-cli: ${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB in dist/cli/${stale.length > 0 ? `; ${stale.length} left by earlier builds removed` : ""}`);
