// GitHub refuses a whole request (422) when one field is too long, and a
// refused check or review leaves the pull request with nothing. Everything
// posted is cut to fit here first, with a note saying it was cut.

/** Check run output summary and text (REST docs: "Maximum length: 65535 characters"). */
export const MAX_CHECK_TEXT = 65_535;
/** Review body and review comment body (GitHub answers "Body is too long (maximum is 65536 characters)"). */
export const MAX_BODY = 65_536;
/** Annotation title (REST docs: 255 characters); the check's own title is held to the same. */
export const MAX_TITLE = 255;
/** Annotation message: the docs say 64 KB; a message this long helps nobody in the Files tab. */
export const MAX_ANNOTATION_MESSAGE = 4_000;
/** GitHub takes at most 50 annotations per request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** One pull request must not spend an installation's rate limit: at most 4 check requests. */
export const MAX_ANNOTATIONS = 4 * ANNOTATIONS_PER_REQUEST;

/**
 * `text` cut to at most `max` UTF-16 units (never more characters than
 * GitHub counts), at a line end when one is near, with `note` appended.
 * A surrogate pair is never split: half of one is not valid text.
 */
export function fitText(text: string, max: number, note = `… cut here: GitHub limits this field to ${max} characters.`): string {
  if (text.length <= max) return text;
  const tail = `\n\n${note}`;
  let end = Math.max(0, max - tail.length);
  const newline = text.lastIndexOf("\n", end);
  if (newline > end - 400 && newline > 0) end = newline;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}${tail}`.slice(0, max);
}

/** A one-line field (titles): no room for a note beyond the ellipsis. */
export function fitLine(text: string, max = MAX_TITLE): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
