import { describe, expect, it } from "@jest/globals";
import { MAX_BODY } from "../../src/review/limits.js";
import { readMarkers, reviewMarker } from "../../src/review/markers.js";
import { commentsIntoBody } from "../../src/review/unplaced.js";

const marker = reviewMarker("a".repeat(40), ["b".repeat(20)]);

describe("comments GitHub would not place, moved into the body", () => {
  it("lists them above the review marker, without their own markers", () => {
    const moved = commentsIntoBody({ event: "COMMENT", body: `**patchwarden**: 1 new finding\n\n${marker}`, comments: [{ path: "a.c", line: 3, side: "RIGHT", body: "**error** · rule\n\nmsg\n\n<!-- patchwarden:fp=bbbbbbbbbbbbbbbbbbbb -->" }] });
    expect(moved.comments).toEqual([]);
    expect(moved.body).toContain("### Could not be placed on the diff\n- `a.c:3`: **error** · rule msg");
    expect(moved.body).not.toContain("patchwarden:fp=");
    expect(moved.body.endsWith(marker)).toBe(true);
  });

  it("a hundred long comments still fit, and the marker survives whole", () => {
    const comments = Array.from({ length: 100 }, (_, i) => ({ path: `f${i}.c`, line: i + 1, side: "RIGHT" as const, body: `${"x".repeat(60_000)} <!-- patchwarden:fp=${"c".repeat(20)} -->` }));
    const moved = commentsIntoBody({ event: "COMMENT", body: `${"h".repeat(30_000)}\n\n${marker}`, comments });
    expect(moved.body.length).toBeLessThanOrEqual(MAX_BODY);
    expect(moved.body).toMatch(/- … and \d+ more: the check run lists them\./);
    expect(readMarkers([moved.body]).fingerprints).toEqual(new Set(["b".repeat(20)]));
    expect(moved.body).not.toContain("<!-- patchwarden:fp");
  });
});
