// Text from the pull request (commit subjects, quoted code, paths) ends up
// in the bot's own review bodies. An HTML comment opener in it would hide
// the rest of the review from readers, or forge a marker inside a body the
// bot itself wrote. A zero-width space after "<" keeps it visible as typed
// and makes it no comment.

export function inert(text: string): string {
  return text.replaceAll("<!", "<\u200b!");
}
