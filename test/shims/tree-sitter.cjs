// Loads tree-sitter once per process: jest gives each test file a fresh
// module registry but the native addon is shared, and a second evaluation of
// tree-sitter's index.js leaves `tree.rootNode` undefined (node-tree-sitter #53).
const path = require("node:path");
const dir = path.dirname(require.resolve("tree-sitter/package.json", { paths: [process.cwd()] }));
const binding = require("node-gyp-build")(dir);
binding.__patchwardenCached ??= require(path.join(dir, "index.js"));
module.exports = binding.__patchwardenCached;
