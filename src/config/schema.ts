// JSON Schema of `.github/patchwarden.yml` / `--config FILE`. Every key is
// optional: what is absent comes from the Linux defaults.

const stringList = { type: "array", items: { type: "string", minLength: 1 } } as const;

export const configSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    hypervisors: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id"],
        properties: {
          id: { type: "string", pattern: "^[a-z0-9-]+$" },
          name: { type: "string" },
          ownPaths: stringList,
          predicateCalls: stringList,
          configSymbols: stringList,
          featureBits: stringList,
          typeConstants: stringList,
          suggestion: { type: "string" },
          aliases: stringList,
        },
      },
    },
    specialCaseScope: stringList,
    specialCaseExclude: stringList,
    corePaths: stringList,
    archConfigSymbols: stringList,
    paravirtOpsStructs: stringList,
    featureTestCalls: stringList,
    alternativeMacros: stringList,
    topic: { type: "string", minLength: 1 },
    sprawlThreshold: { type: "number", minimum: 0, maximum: 1 },
    rules: {
      type: "object",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        properties: {
          enabled: { type: "boolean" },
          severity: { enum: ["error", "warning", "info"] },
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
        overrideLabels: { type: "object", additionalProperties: stringList },
        overridePermission: { enum: ["write", "maintain", "admin"] },
        maintainers: stringList,
        docBaseUrl: { type: "string", minLength: 1 },
      },
    },
    limits: {
      type: "object",
      additionalProperties: false,
      properties: {
        maxInputBytes: { type: "integer", minimum: 1 },
        maxHunkLines: { type: "integer", minimum: 1 },
        maxParseBytes: { type: "integer", minimum: 1 },
      },
    },
  },
} as const;
