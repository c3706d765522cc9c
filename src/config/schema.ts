// JSON Schema of `.github/patchwarden.yml` / `--config FILE`. Every key is
// optional: what is absent comes from the Linux defaults.

// Bounds keep one repository's config from costing every review on a
// replica seconds and hundreds of megabytes (a 5 MB list once did): a real
// config is a few kilobytes, the Linux defaults have lists of at most ~60.
const MAX_LIST = 1000;
const MAX_STRING = 512;
const stringList = { type: "array", maxItems: MAX_LIST, items: { type: "string", minLength: 1, maxLength: MAX_STRING } } as const;
/** A list replaces the preset's; {add, remove} edits it. */
const listEdit = {
  oneOf: [
    stringList,
    { type: "object", additionalProperties: false, minProperties: 1, properties: { add: stringList, remove: stringList } },
  ],
} as const;
/** Rule ids and finer `rule/check` ids; which exist is checked against the registry after the schema. */
const RULE_ID = "^[a-z0-9-]+(/[a-z0-9-]+)?$";

export const configSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    extends: { type: "string", minLength: 1, maxLength: 64 },
    hypervisors: {
      type: "array",
      maxItems: 64,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id"],
        properties: {
          id: { type: "string", pattern: "^[a-z0-9-]+$" },
          enabled: { type: "boolean" },
          name: { type: "string" },
          ownPaths: listEdit,
          predicateCalls: listEdit,
          configSymbols: listEdit,
          featureBits: listEdit,
          typeConstants: listEdit,
          suggestion: { type: "string", maxLength: 4096 },
          suggestions: {
            type: "array",
            maxItems: 32,
            items: {
              type: "object",
              additionalProperties: false,
              required: ["paths", "text"],
              properties: { paths: stringList, text: { type: "string", minLength: 1, maxLength: 4096 } },
            },
          },
          aliases: listEdit,
        },
      },
    },
    specialCaseScope: listEdit,
    specialCaseExclude: listEdit,
    corePaths: listEdit,
    archConfigSymbols: listEdit,
    paravirtOpsStructs: listEdit,
    featureTestCalls: listEdit,
    alternativeMacros: listEdit,
    topic: { type: "string", minLength: 1 },
    sprawlThreshold: { type: "number", minimum: 0, maximum: 1 },
    rules: {
      type: "object",
      maxProperties: 200,
      propertyNames: { pattern: RULE_ID, maxLength: 128 },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        properties: {
          enabled: { type: "boolean" },
          severity: { enum: ["error", "warning", "info"] },
          max: { type: "integer", minimum: 20, maximum: 1000 },
        },
      },
    },
    app: {
      type: "object",
      additionalProperties: false,
      properties: {
        reviewDrafts: { type: "boolean" },
        reviewEvent: { enum: ["COMMENT", "REQUEST_CHANGES"] },
        maxInlineComments: { type: "integer", minimum: 0, maximum: 1000 },
        overrideLabels: { type: "object", maxProperties: 100, additionalProperties: stringList },
        overridePermission: { enum: ["write", "maintain", "admin"] },
        maintainers: stringList,
        docBaseUrl: { type: "string", minLength: 1 },
      },
    },
    limits: {
      type: "object",
      additionalProperties: false,
      properties: {
        // Upper bounds too: a repository cannot buy its pull requests more of a replica's time than these.
        maxInputBytes: { type: "integer", minimum: 1, maximum: 256 * 1024 * 1024 },
        maxHunkLines: { type: "integer", minimum: 1, maximum: 1_000_000 },
        maxParseBytes: { type: "integer", minimum: 1, maximum: 16 * 1024 * 1024 },
        maxLineBytes: { type: "integer", minimum: 80, maximum: 1024 * 1024 },
        parseTimeoutMs: { type: "integer", minimum: 1, maximum: 10_000 },
        seriesParseMs: { type: "integer", minimum: 1, maximum: 60_000 },
        maxNestingDepth: { type: "integer", minimum: 1, maximum: 256 },
      },
    },
  },
} as const;
