// Text from spans (names, attribute keys and values, status messages) and from the environment
// is written to terminals and log files by the console exporter and the warning logger. A
// newline in an attribute value could forge a whole extra span line, and an ANSI escape could
// rewrite the terminal, so every control character is written as a visible escape instead:
// C0 (U+0000–U+001F), DEL (U+007F), C1 (U+0080–U+009F: U+009B is a one-byte CSI to some
// terminals) and the Unicode line and paragraph separators (U+2028, U+2029).

function isControl(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029;
}

function escapeOne(c: number): string {
  switch (c) {
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    default:
      return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16)}`;
  }
}

/** `text` with control characters escaped; the same string (no copy) when it has none. */
export function escapeControl(text: string): string {
  let i = 0;
  while (i < text.length && !isControl(text.charCodeAt(i))) i++;
  if (i === text.length) return text;
  let out = text.slice(0, i);
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += isControl(c) ? escapeOne(c) : text[i];
  }
  return out;
}
