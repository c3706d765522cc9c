import { inert } from "./inert.js";
import { fitLine, fitText, MAX_BODY } from "./limits.js";
import type { ReviewPlan } from "./plan.js";

type Review = NonNullable<ReviewPlan["review"]>;

/** A moved comment's line: enough to find the finding; the check run has it in full. */
const MAX_MOVED_ITEM = 1_000;

/**
 * The review with its inline comments moved into the body, for when GitHub
 * will not place them (422: a line outside its diff). The hidden review
 * marker stays last and whole; the comments' own markers are dropped before
 * anything is cut, since half an HTML comment would hide the rest of the body.
 */
export function commentsIntoBody(review: Review): Review {
  const at = review.body.lastIndexOf("<!-- patchwarden:review");
  const head = at >= 0 ? review.body.slice(0, at).trimEnd() : review.body;
  const tail = at >= 0 ? `\n\n${review.body.slice(at)}` : "";
  let room = MAX_BODY - tail.length - head.length - 200;
  const lines = ["", "### Could not be placed on the diff"];
  let moved = 0;
  for (const c of review.comments) {
    const text = c.body.replace(/<!-- patchwarden:fp=[0-9a-f-]+ -->/g, "").replace(/\s+/g, " ").trim();
    const line = `- \`${inert(c.path)}:${c.line}\`: ${fitLine(text, MAX_MOVED_ITEM)}`;
    if (line.length + 1 > room - 100) break;
    room -= line.length + 1;
    lines.push(line);
    moved++;
  }
  if (moved < review.comments.length) lines.push(`- … and ${review.comments.length - moved} more: the check run lists them.`);
  return { ...review, body: `${fitText(`${head}\n${lines.join("\n")}`, MAX_BODY - tail.length)}${tail}`, comments: [] };
}
