/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  extensionsToTreatAsEsm: [".ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true }],
  },
  moduleNameMapper: {
    // jest re-evaluates tree-sitter's index.js per test file over one shared
    // native addon, which breaks the second file; the shim loads it once.
    "^tree-sitter$": "<rootDir>/test/shims/tree-sitter.cjs",
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
};
