// Filter operators in people's words, and what kind of value each needs
// (docs/api/records.md "Filters": the operators per column kind).

import type { ColumnKind } from '../../lib/data';
import { exampleValue } from '../values';

/** Operators that take no value. */
const NO_VALUE = new Set(['is_null', 'is_not_null', 'is_true', 'is_false']);

const ORDERING = new Set(['lt', 'le', 'gt', 'ge']);

export function needsValue(op: string): boolean {
  return !NO_VALUE.has(op);
}

const WHEN_KINDS = new Set<ColumnKind>(['date', 'time', 'timestamp', 'timestamptz']);
const NUMBER_KINDS = new Set<ColumnKind>(['integer', 'number', 'money', 'interval']);

const LABELS: Record<string, string> = {
  eq: 'is',
  ne: 'is not',
  is_null: 'is empty',
  is_not_null: 'is not empty',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  ends_with: 'ends with',
  eq_ci: 'is (ignoring case)',
  contains_ci: 'contains (ignoring case)',
  starts_with_ci: 'starts with (ignoring case)',
  ends_with_ci: 'ends with (ignoring case)',
  email_domain: 'domain is',
  uri_host: 'host is',
  uri_scheme: 'scheme is',
  has: 'has the element',
  is_true: 'is yes',
  is_false: 'is no',
  has_key: 'has the key',
};

/** "is before" for dates, "is less than" for numbers, "comes before" for text. */
function orderingLabel(op: string, kind: ColumnKind): string {
  if (WHEN_KINDS.has(kind)) {
    return { lt: 'is before', le: 'is on or before', gt: 'is after', ge: 'is on or after' }[op] ?? op;
  }
  if (NUMBER_KINDS.has(kind)) {
    return { lt: 'is less than', le: 'is at most', gt: 'is greater than', ge: 'is at least' }[op] ?? op;
  }
  return { lt: 'comes before', le: 'is or comes before', gt: 'comes after', ge: 'is or comes after' }[op] ?? op;
}

export function operatorLabel(op: string, kind: ColumnKind): string {
  if (ORDERING.has(op)) return orderingLabel(op, kind);
  if (kind === 'json' && op === 'contains') return 'text contains';
  return LABELS[op] ?? op.replaceAll('_', ' ');
}

/** The operator a new condition on a column of this kind starts with, when the column offers it. */
const PREFERRED: Partial<Record<ColumnKind, string>> = {
  text: 'contains_ci',
  email: 'contains_ci',
  uri: 'contains_ci',
  boolean: 'is_true',
  json: 'has_key',
  array: 'has',
};

export function defaultOperator(kind: ColumnKind, operators: string[]): string {
  const preferred = PREFERRED[kind] ?? 'eq';
  return operators.includes(preferred) ? preferred : (operators[0] ?? 'eq');
}

export type ValueInput = 'none' | 'text' | 'number' | 'date' | 'choice' | 'boolean';

/** Which input the value of a condition gets. */
export function valueInput(kind: ColumnKind, op: string, enumValues: string[] | null): ValueInput {
  if (!needsValue(op)) return 'none';
  const compares = op === 'eq' || op === 'ne' || ORDERING.has(op);
  if (kind === 'boolean' && compares) return 'boolean';
  if (kind === 'enum' && compares && enumValues && enumValues.length > 0) return 'choice';
  if (kind === 'date' && compares) return 'date';
  if ((kind === 'integer' || kind === 'number' || kind === 'money') && compares) return 'number';
  return 'text';
}

export function placeholderFor(kind: ColumnKind, op: string): string {
  if (op === 'email_domain') return 'e.g. example.org';
  if (op === 'uri_host') return 'e.g. www.example.org';
  if (op === 'uri_scheme') return 'e.g. https';
  // Other text operators match parts of a value, which a whole example would misrepresent.
  return NUMBER_KINDS.has(kind) || WHEN_KINDS.has(kind) ? exampleValue(kind) : '';
}

const UUID = /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;

/**
 * Why the value cannot be a value of the column's kind, for the cheap cases the browser can tell
 * (a number without digits, a malformed UUID); null when it may be fine — the server has the last word.
 */
export function valueProblem(kind: ColumnKind, op: string, value: string): string | null {
  const compares = op === 'eq' || op === 'ne' || ORDERING.has(op);
  if (!compares || value.trim() === '') return null;
  if ((kind === 'integer' || kind === 'number' || kind === 'money') && !/[0-9]/.test(value)) {
    return 'This is not a number. Numbers look like 42, 1,200 or 12.50.';
  }
  if (kind === 'uuid' && (op === 'eq' || op === 'ne') && !UUID.test(value.trim())) {
    return 'A UUID has 32 hexadecimal digits, like 0b3e6a4c-1d2f-4e5a-9b8c-7d6e5f4a3b2c. To match part of one, use “contains”.';
  }
  return null;
}
