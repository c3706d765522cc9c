import { describe, expect, it } from "@jest/globals";
import { baseCommitLine, preimageBlobs } from "../../src/tree/base.js";

describe("the base of patch files", () => {
  it("reads base-commit: at the start of a line only", () => {
    expect(baseCommitLine(`-- \n2.43.0\n\nbase-commit: ${"a".repeat(40)}\n`)).toBe("a".repeat(40));
    expect(baseCommitLine(`text base-commit: ${"a".repeat(40)}\n`)).toBeNull();
    expect(baseCommitLine("base-commit: 1234567\n")).toBeNull();
  });

  it("takes each path's first preimage blob, skipping new files", () => {
    const text = [
      "diff --git a/x.c b/x.c",
      "index 1111111..2222222 100644",
      "diff --git a/new.c b/new.c",
      "new file mode 100644",
      "index 0000000..3333333",
      "diff --git a/x.c b/x.c",
      "index 2222222..4444444 100644",
    ].join("\n");
    expect([...preimageBlobs(text)]).toEqual([["x.c", "1111111"]]);
  });
});
