/**
 * Strips leading @-mentions from group text ("@基层减负助手 村里能开哪些证明"). WeCom separates a
 * mention from the text with an ordinary or a U+2005 space.
 */
export function stripLeadingMentions(text: string): string {
  return text.replace(/^(?:[\s\u2005\u3000]*@[^\s\u2005\u3000]+)+[\s\u2005\u3000]*/u, '').trim();
}
