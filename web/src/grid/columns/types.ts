// Column types and defaults in people's words, shared by the column menu and the add-column dialog
// (docs/api/structure.md "Column types" and "Defaults").

import { COLUMN_TYPES, type Column, type ColumnKind, type ColumnTypeId } from '../../lib/data';

export const TYPE_LABELS: Record<ColumnTypeId, string> = {
  text: 'Text',
  integer: 'Whole number',
  bigint: 'Whole number (large)',
  numeric: 'Decimal number (exact)',
  double: 'Decimal number (approximate)',
  boolean: 'Yes / no',
  date: 'Date',
  time: 'Time of day',
  timestamp: 'Date and time',
  timestamptz: 'Date and time with time zone',
  interval: 'Duration',
  uuid: 'UUID',
  json: 'JSON',
  email: 'Email address',
  uri: 'Web address (URI)',
  money: 'Money',
};

/** The types in the order a person looks for them in a list. */
export const TYPE_CHOICES: { id: ColumnTypeId; label: string }[] = COLUMN_TYPES.map((id) => ({ id, label: TYPE_LABELS[id] }));

/** A type's label inside a sentence: "whole number", but "UUID" and "JSON" stay as they are. */
export function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label;
}

/** PostgreSQL's spelling (format_type) of each Rowan type. */
const SQL_NAMES: Record<string, ColumnTypeId> = {
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  numeric: 'numeric',
  'double precision': 'double',
  boolean: 'boolean',
  date: 'date',
  'time without time zone': 'time',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  interval: 'interval',
  uuid: 'uuid',
  jsonb: 'json',
  'rowan_types.email': 'email',
  'rowan_types.uri': 'uri',
  'rowan_types.money': 'money',
};

/** The Rowan type a column has, or null when it has another PostgreSQL type (varchar(20), an enum, …). */
export function typeIdOf(column: Pick<Column, 'type'>): ColumnTypeId | null {
  return SQL_NAMES[column.type] ?? null;
}

/** "Whole number", or PostgreSQL's own name for types Rowan does not offer ("character varying(20)"). */
export function describeType(column: Pick<Column, 'type' | 'kind'>): string {
  const id = typeIdOf(column);
  if (id) return TYPE_LABELS[id];
  if (column.kind === 'enum') return `List of choices (${column.type})`;
  return column.type;
}

// ---- Defaults -----------------------------------------------------------------------------

/** The expressions the API offers (`defaultExpression`), with what each fills in. */
const EXPRESSIONS: { id: string; label: string; printed: string; fits: (ColumnTypeId | ColumnKind)[] }[] = [
  { id: 'now()', label: 'The date and time of insertion — now()', printed: 'now()', fits: ['timestamp', 'timestamptz', 'text'] },
  { id: 'current_timestamp', label: 'The date and time of insertion — current_timestamp', printed: 'CURRENT_TIMESTAMP', fits: ['timestamp', 'timestamptz', 'text'] },
  { id: 'localtimestamp', label: 'Local date and time of insertion — localtimestamp', printed: 'LOCALTIMESTAMP', fits: ['timestamp', 'text'] },
  { id: 'current_date', label: 'The date of insertion — current_date', printed: 'CURRENT_DATE', fits: ['date', 'timestamp', 'timestamptz', 'text'] },
  { id: 'current_time', label: 'The time of insertion — current_time', printed: 'CURRENT_TIME', fits: ['time', 'text'] },
  { id: 'gen_random_uuid()', label: 'A new random UUID — gen_random_uuid()', printed: 'gen_random_uuid()', fits: ['uuid', 'text'] },
];

/** The expressions that make sense as a default of the type (or kind, for types Rowan does not offer). */
export function expressionsFor(type: ColumnTypeId | ColumnKind): { id: string; label: string }[] {
  return EXPRESSIONS.filter((e) => e.fits.includes(type)).map(({ id, label }) => ({ id, label }));
}

export type DefaultChoice =
  | { mode: 'none' }
  | { mode: 'value'; value: string }
  | { mode: 'expression'; expression: string }
  /** Something else PostgreSQL evaluates (a sequence, a function): shown, kept unless replaced. */
  | { mode: 'other'; sql: string };

const QUOTED = /^'((?:[^']|'')*)'(?:::[\w ."[\]()]+)?$/;
const NUMBER = /^\(?(-?[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?)\)?(?:::[\w ."[\]()]+)?$/i;

/**
 * A column's default as PostgreSQL prints it (`'draft'::text`, `1200`, `now()`), read back as the
 * choice a person makes: a constant's text, one of the offered expressions, or something else.
 */
export function parseDefault(printed: string | null): DefaultChoice {
  if (printed === null) return { mode: 'none' };
  const quoted = QUOTED.exec(printed);
  if (quoted) return { mode: 'value', value: quoted[1].replaceAll("''", "'") };
  const number = NUMBER.exec(printed);
  if (number) return { mode: 'value', value: number[1] };
  if (printed === 'true' || printed === 'false') return { mode: 'value', value: printed };
  const expression = EXPRESSIONS.find((e) => e.printed === printed || e.printed.toLowerCase() === printed.toLowerCase());
  if (expression) return { mode: 'expression', expression: expression.id };
  return { mode: 'other', sql: printed };
}

/** The default in words, for the column's summary. */
export function describeDefault(choice: DefaultChoice): string {
  switch (choice.mode) {
    case 'none':
      return 'None';
    case 'value':
      return `“${choice.value}”`;
    case 'expression':
      return EXPRESSIONS.find((e) => e.id === choice.expression)?.label ?? choice.expression;
    case 'other':
      return choice.sql;
  }
}

/** The members of a POST/PATCH body that set this default (`{default: null}` removes it). */
export function defaultBody(choice: DefaultChoice): { default?: string | null; defaultExpression?: string } {
  switch (choice.mode) {
    case 'none':
      return { default: null };
    case 'value':
      return { default: choice.value };
    case 'expression':
      return { defaultExpression: choice.expression };
    case 'other':
      return {};
  }
}
