// Small string helpers for what a regular expression would do in quadratic
// time on hostile input (`/\/+$/` retries from every slash of a long run).

/** `s` without any run of `ch` at its end. */
export function trimEndChar(s: string, ch: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === ch) end--;
  return s.slice(0, end);
}

/** Line breaks, with the spaces around them, become one space. */
export function joinLines(text: string): string {
  return text
    .split(/[\r\n]+/)
    .map((part) => part.trim())
    .filter(Boolean)
    .join(" ");
}
