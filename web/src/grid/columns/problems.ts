// The extra members of the structure API's problems (docs/api/structure.md), read defensively:
// a problem is shown even when a member is missing or has an unexpected shape.

import type { ApiError } from '../../lib/api';

export interface Dependent {
  type: string;
  description: string;
}

export interface CastSample {
  value: string;
  message: string;
  rows: number;
}

export interface Duplicate {
  value: string;
  rows: number;
}

const records = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object') : [];

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** `dependents` of a 409 has_dependents. */
export function dependentsOf(e: ApiError): Dependent[] {
  return records(e.extensions.dependents).map((d) => ({ type: text(d.type), description: text(d.description ?? d.identity) }));
}

/** `samples` of a 422 cast_failed. */
export function castSamplesOf(e: ApiError): CastSample[] {
  return records(e.extensions.samples).map((s) => ({ value: text(s.value), message: text(s.message), rows: count(s.rows) }));
}

/** `duplicates` of a 422 has_duplicates. */
export function duplicatesOf(e: ApiError): Duplicate[] {
  return records(e.extensions.duplicates).map((d) => ({ value: text(d.value), rows: count(d.rows) }));
}

/** `count` of a 422 has_nulls, or null when it is missing. */
export function nullCountOf(e: ApiError): number | null {
  return typeof e.extensions.count === 'number' ? e.extensions.count : null;
}

/** Problems about a name, shown on the name field rather than for the whole form. */
export const NAME_CODES = new Set(['name_required', 'name_too_long', 'name_invalid', 'name_reserved', 'name_taken']);

/** Problems about a default value, shown on the default. */
export const DEFAULT_CODES = new Set(['invalid_default', 'unknown_expression', 'conflicting_fields', 'default_incompatible']);

/** "1 row", "12 rows". */
export function rows(n: number): string {
  return n === 1 ? '1 row' : `${n.toLocaleString()} rows`;
}
