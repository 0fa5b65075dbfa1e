// How the grid shows, copies and reads back values of each column kind (docs/api/records.md,
// "How values look"). Typed text goes to the server as text wherever the server reads what people
// type (numbers like `1,234.50`, dates like `March 5, 2024`, `yes` for booleans): the server is
// the judge of every value; the grid only checks what it must turn into JSON itself.

import type { Column, ColumnKind, ColumnTypeId, DataRecord, RecordKey, RecordValue, TableDescription } from '../lib/data';

/** Typing two double quotes stores an empty text instead of an empty cell (NULL). */
export const EMPTY_TEXT_INPUT = '""';

const TEXT_KINDS: ReadonlySet<ColumnKind> = new Set(['text', 'email', 'uri', 'enum', 'uuid', 'array', 'other']);
export const NUMERIC_KINDS: ReadonlySet<ColumnKind> = new Set(['integer', 'number', 'money']);

/** The text of a value as a cell, the clipboard and the editors show it ('' for NULL). */
export function valueText(value: RecordValue | undefined, kind?: ColumnKind): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // Money arrives as a JSON number, which drops trailing zeros (12.50 → 12.5): show cents again.
  if (typeof value === 'number' && kind === 'money') {
    return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 20, useGrouping: false });
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The text an editor starts with: an empty text shows as "" so that it differs from NULL. */
export function editText(column: Column, value: RecordValue | undefined): string {
  if (value === '' && TEXT_KINDS.has(column.kind)) return EMPTY_TEXT_INPUT;
  if (column.kind === 'json' && value !== null && value !== undefined) return JSON.stringify(value, null, 2);
  return valueText(value, column.kind);
}

export type Typed = { ok: true; value: RecordValue } | { ok: false; message: string };

/** The value to send for text a person typed or pasted into a cell of the column. */
export function fromTyped(column: Column, text: string): Typed {
  if (text === '') return { ok: true, value: null };
  if (text === EMPTY_TEXT_INPUT && TEXT_KINDS.has(column.kind)) return { ok: true, value: '' };
  if (column.kind === 'json') {
    try {
      return { ok: true, value: JSON.parse(text) as RecordValue };
    } catch {
      return { ok: false, message: 'This is not valid JSON (e.g. {"key": "value"}, [1, 2] or "text").' };
    }
  }
  // Everything else goes as typed: the server reads numbers as people write them ("1,234").
  return { ok: true, value: text };
}

/** What a value of the type looks like, as the placeholder of value inputs (new rows, defaults, filters). */
export function exampleValue(type: ColumnTypeId | ColumnKind): string {
  switch (type) {
    case 'integer':
    case 'bigint':
      return 'e.g. 42 or 1,200';
    case 'numeric':
    case 'double':
    case 'number':
      return 'e.g. 12.50';
    case 'money':
      return 'e.g. $12.50';
    case 'date':
      return 'e.g. 2024-03-05';
    case 'time':
      return 'e.g. 08:30';
    case 'timestamp':
    case 'timestamptz':
      return 'e.g. 2024-03-05 08:30';
    case 'interval':
      return 'e.g. 3 hours';
    case 'uuid':
      return 'e.g. 0b3e…-…';
    case 'json':
      return 'e.g. {"a": 1}';
    case 'email':
      return 'e.g. ann@example.org';
    case 'uri':
      return 'e.g. https://example.org';
    default:
      return '';
  }
}

/** Why no row of the table can be changed, or null when rows can. */
export function tableReadOnlyReason(table: TableDescription): string | null {
  if (table.canUpdate) return null;
  if (table.kind !== 'table' && table.kind !== 'partitioned_table') return 'A view’s rows cannot be changed here.';
  if (table.primaryKey.length === 0) return 'This table has no primary key, so Rowan cannot tell its rows apart to change them. Add one (for example an identity column) to edit it.';
  return 'Your database role may not change this table.';
}

/** Why cells of the column cannot be changed, or null when they can. */
export function readOnlyReason(table: TableDescription, column: Column): string | null {
  const reason = tableReadOnlyReason(table);
  if (reason) return reason;
  if (column.generated) return `“${column.name}” is computed by the database (a generated column).`;
  if (column.identity === 'always') return `“${column.name}” is numbered by the database (an identity column).`;
  if (!column.canUpdate) return `Your database role may not change “${column.name}”.`;
  return null;
}

/** A starting width (CSS px) for a column people have not resized. */
export function defaultWidth(column: Column): number {
  switch (column.kind) {
    case 'boolean':
      return 110;
    case 'integer':
      return 120;
    case 'number':
    case 'money':
    case 'date':
    case 'time':
      return 140;
    case 'timestamp':
    case 'timestamptz':
      return 200;
    case 'uuid':
      return 300;
    default:
      return 180;
  }
}

/** How people recognise a record in messages: "id 42", or "(2024, A-7)" for a key of several columns. */
export function keyLabel(table: TableDescription, key: RecordKey): string {
  if (Array.isArray(key)) return `(${key.map((v) => (v === null ? 'empty' : String(v))).join(', ')})`;
  return `${table.primaryKey[0]} ${String(key)}`;
}

/** The foreign key whose first column this is (cells of that column link to the referenced record). */
export function foreignKeyOf(table: TableDescription, column: Column) {
  return table.foreignKeys.find((fk) => fk.columns[0] === column.name) ?? null;
}

/** The summaries' key of the record a row refers to (text, or a JSON list of texts), or null when the reference is empty. */
export function referenceKey(columns: string[], record: DataRecord): string | null {
  const values = columns.map((c) => record[c]);
  if (values.some((v) => v === null || v === undefined)) return null;
  return values.length === 1 ? valueText(values[0]) : JSON.stringify(values.map((v) => valueText(v)));
}
