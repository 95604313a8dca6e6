// db.query.text sanitising and db.operation.name of SQL statements, table-driven.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sanitizeSql, sqlOperation } from '../../../engine/instrumentation/sql-text.js';

const SANITIZED: ReadonlyArray<readonly [string, string]> = [
  ['SELECT * FROM t WHERE id = ?', 'SELECT * FROM t WHERE id = ?'],
  ['SELECT * FROM t WHERE id = 42', 'SELECT * FROM t WHERE id = ?'],
  ["SELECT * FROM t WHERE name = 'O''Brien' AND x = \"two\"", 'SELECT * FROM t WHERE name = ? AND x = ?'],
  ["SELECT 'it\\'s', 1.5e-3, -7, .5", 'SELECT ?, ?, -?, ?'],
  ['SELECT 0x1F, 0b101, X\'CAFE\', B\'01\', N\'text\'', 'SELECT ?, ?, ?, ?, ?'],
  ['SELECT t1.col2, `weird 3` FROM t1 JOIN `x``9` ON t1.a_1 = 2', 'SELECT t1.col2, `weird 3` FROM t1 JOIN `x``9` ON t1.a_1 = ?'],
  ['INSERT INTO t VALUES (1, \'a\'), (2, \'b\')', 'INSERT INTO t VALUES (?, ?), (?, ?)'],
  ['SELECT 1 -- note 5\nFROM dual /* keep 7 */ # and 9', 'SELECT ? -- note 5\nFROM dual /* keep 7 */ # and 9'],
  ["SELECT 'unterminated", 'SELECT ?'],
  ['', ''],
];

test('sanitizeSql replaces string, number, hex and bit literals by ? and keeps identifiers, comments and placeholders', () => {
  for (const [input, expected] of SANITIZED) assert.equal(sanitizeSql(input), expected, input);
});

test('a statement with nothing to replace comes back as the same string', () => {
  const sql = 'SELECT name FROM items WHERE id = ?';
  assert.equal(sanitizeSql(sql), sql);
});

test('sqlOperation is the first keyword in upper case, after whitespace, comments and parentheses', () => {
  assert.equal(sqlOperation('select 1'), 'SELECT');
  assert.equal(sqlOperation('  /* hint */ (SELECT 1) UNION (SELECT 2)'), 'SELECT');
  assert.equal(sqlOperation('-- why\n  insert into t values (1)'), 'INSERT');
  assert.equal(sqlOperation('CALL p()'), 'CALL');
  assert.equal(sqlOperation('42'), '');
  assert.equal(sqlOperation(''), '');
});
