// The two things a SQL span needs from a statement: its text with literal values replaced by
// `?` (OpenTelemetry database conventions: `db.query.text` is sanitised by default, because
// mysql2 publishes the statement with the caller's values already formatted in), and its
// operation keyword for `db.operation.name` and the span name.
//
// Single pass over char codes with no regex: runs once per sampled query. A statement with no
// quote and no digit (most `?`-placeholder statements) is returned as the same string, with
// nothing allocated.

const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKTICK = 0x60;
const BACKSLASH = 0x5c;
const DASH = 0x2d;
const HASH = 0x23;
const SLASH = 0x2f;
const STAR = 0x2a;
const NEWLINE = 0x0a;
const DOT = 0x2e;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** A character that continues an unquoted identifier: `t1`, `col_2` and `$x9` keep their digits. */
function isWordChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 0x5f || c === 0x24 || c >= 0x80;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Index after a quoted run opened at `start` (backslash escapes and doubled quotes, as MySQL reads them). */
function skipQuoted(sql: string, start: number, quote: number): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === quote) {
      if (sql.charCodeAt(i + 1) === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/** Index after a numeric literal starting at `start`: 12, 1.5, .5, 1e-3, 0x1F, 0b101. */
function skipNumber(sql: string, start: number): number {
  let i = start;
  const next = sql.charCodeAt(i + 1) | 0x20;
  if (sql.charCodeAt(i) === 0x30 && (next === 0x78 || next === 0x62)) {
    i += 2;
    while (i < sql.length && isHexDigit(sql.charCodeAt(i))) i++;
    return i;
  }
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (isDigit(c) || c === DOT) i++;
    else if ((c | 0x20) === 0x65) {
      // exponent: 1e5, 1E-3
      const sign = sql.charCodeAt(i + 1);
      i += sign === 0x2b || sign === DASH ? 2 : 1;
    } else break;
  }
  return i;
}

/** Index after a comment starting at `start`, or `start` when none starts there. */
function skipComment(sql: string, start: number): number {
  const c = sql.charCodeAt(start);
  if (c === HASH || (c === DASH && sql.charCodeAt(start + 1) === DASH)) {
    const end = sql.indexOf('\n', start);
    return end === -1 ? sql.length : end + 1;
  }
  if (c === SLASH && sql.charCodeAt(start + 1) === STAR) {
    const end = sql.indexOf('*/', start + 2);
    return end === -1 ? sql.length : end + 2;
  }
  return start;
}

/**
 * `sql` with every string, number, hex and bit literal replaced by `?`. Backtick identifiers,
 * comments, keywords, names with digits (`t1`) and placeholders stay as written. Never throws;
 * an unterminated quote sanitises to the end.
 */
export function sanitizeSql(sql: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  let previous = 0x20;
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    let end = -1;
    if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) end = skipQuoted(sql, i, c);
    else if (c === BACKTICK) {
      i = skipQuoted(sql, i, c);
      previous = BACKTICK;
      continue;
    } else if (c === HASH || c === DASH || c === SLASH) {
      const after = skipComment(sql, i);
      if (after !== i) {
        i = after;
        previous = NEWLINE;
        continue;
      }
    } else if (!isWordChar(previous) && previous !== BACKTICK) {
      if (isDigit(c) || (c === DOT && isDigit(sql.charCodeAt(i + 1)))) end = skipNumber(sql, i);
      else if ((c | 0x20) === 0x78 || (c | 0x20) === 0x62 || (c | 0x20) === 0x6e) {
        // X'1F' / B'01' / N'text': a prefixed literal, the prefix goes with it
        if (sql.charCodeAt(i + 1) === SINGLE_QUOTE) end = skipQuoted(sql, i + 1, SINGLE_QUOTE);
      }
    }
    if (end === -1) {
      previous = c;
      i++;
      continue;
    }
    out += sql.slice(copied, i) + '?';
    copied = end;
    i = end;
    previous = 0x3f;
  }
  return copied === 0 ? sql : out + sql.slice(copied);
}

/**
 * The statement's first keyword in upper case (`SELECT`, `INSERT`, `CALL`), after leading
 * whitespace, comments and parentheses; '' when it starts with none.
 */
export function sqlOperation(sql: string): string {
  let i = 0;
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (c <= 0x20 || c === 0x28) {
      i++;
      continue;
    }
    const after = skipComment(sql, i);
    if (after === i) break;
    i = after;
  }
  const start = i;
  while (i < sql.length && isLetter(sql.charCodeAt(i))) i++;
  return sql.slice(start, i).toUpperCase();
}
