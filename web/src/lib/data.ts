// The data API of one connected database: schemas, tables, columns, records and imports
// (docs/api/structure.md, records.md, imports.md). Every call goes through api.ts `request`, so
// errors arrive as ApiError with the problem's code, detail, hint and extra members.

import { request } from './api';

// ---- Types --------------------------------------------------------------------------------

export type ColumnKind =
  | 'text' | 'integer' | 'number' | 'boolean' | 'date' | 'time' | 'timestamp' | 'timestamptz'
  | 'interval' | 'uuid' | 'json' | 'email' | 'uri' | 'money' | 'enum' | 'array' | 'other';

/** The column types a person can choose (catalog/ColumnType ids). */
export const COLUMN_TYPES = [
  'text', 'integer', 'bigint', 'numeric', 'double', 'boolean', 'date', 'time', 'timestamp',
  'timestamptz', 'interval', 'uuid', 'json', 'email', 'uri', 'money',
] as const;
export type ColumnTypeId = (typeof COLUMN_TYPES)[number];

export interface Schema {
  oid: number;
  name: string;
  owner: string;
  comment: string | null;
  tableCount: number;
}

export interface TableSummary {
  oid: number;
  schema: string;
  name: string;
  /** table, view, materialized_view, foreign_table, partitioned_table */
  kind: string;
  estimatedRows: number | null;
  comment: string | null;
}

export interface Column {
  attnum: number;
  name: string;
  /** PostgreSQL's spelling, e.g. `character varying(20)`, `rowan_types.email`. */
  type: string;
  typeOid: number;
  kind: ColumnKind;
  enumValues: string[] | null;
  nullable: boolean;
  defaultExpression: string | null;
  identity: 'always' | 'by_default' | null;
  generated: boolean;
  primaryKey: boolean;
  unique: boolean;
  comment: string | null;
  canInsert: boolean;
  canUpdate: boolean;
  /** Width people gave it in the grid (CSS px); null = the grid's default. */
  width: number | null;
}

export interface Constraint {
  oid: number;
  name: string;
  /** primary_key, unique, foreign_key, check, exclusion */
  type: string;
  attnums: number[];
  definition: string;
}

export interface ForeignKey {
  oid: number;
  name: string;
  attnums: number[];
  columns: string[];
  referencedOid: number;
  referencedSchema: string;
  referencedTable: string;
  referencedAttnums: number[];
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

export interface Reference {
  name: string;
  tableOid: number;
  schema: string;
  table: string;
  columns: string[];
  referencedColumns: string[];
}

export interface TableDescription {
  oid: number;
  schema: string;
  name: string;
  kind: string;
  comment: string | null;
  estimatedRows: number | null;
  primaryKey: string[];
  /** In the order people arranged them. */
  columns: Column[];
  constraints: Constraint[];
  foreignKeys: ForeignKey[];
  referencedBy: Reference[];
  canInsert: boolean;
  canUpdate: boolean;
  canDelete: boolean;
}

export type RecordValue = string | number | boolean | null | object;
export type DataRecord = Record<string, RecordValue>;

export interface RecordsPage {
  count: number;
  countIsEstimate: boolean;
  results: DataRecord[];
  next: string | null;
  /** Per foreign key (by its first column): referenced key text → summary. */
  summaries: Record<string, Record<string, string>>;
}

export type FilterCondition = { column: string; op: string; value?: string | number | boolean };
export type FilterNode = FilterCondition | { and: FilterNode[] } | { or: FilterNode[] } | { not: FilterNode };

export interface RecordsQuery {
  limit?: number;
  offset?: number;
  /** [[column, 'asc'|'desc'], …] — sent in the JSON form, which takes any column name. */
  order?: [string, 'asc' | 'desc'][];
  filter?: FilterNode | null;
  search?: string;
  after?: string;
}

export interface ColumnOperators {
  column: string;
  attnum: number;
  kind: ColumnKind;
  operators: string[];
}

export interface Candidate {
  key: string | string[];
  summary: string;
  values: Record<string, RecordValue>;
}

export interface Referrers {
  tableOid: number;
  schema: string;
  table: string;
  constraint: string;
  columns: string[];
  count: number;
  countIsEstimate: boolean;
  results: DataRecord[];
}

export interface TypeCheck {
  total: number;
  failing: number;
  samples: { value: string; message: string; rows: number }[];
}

/** A record key: the value of a one-column key, or the list of values of a several-column key. */
export type RecordKey = string | number | (string | number | null)[];

// ---- Paths --------------------------------------------------------------------------------

const db = (database: number) => `/api/v1/databases/${encodeURIComponent(database)}`;
const tbl = (database: number, table: number) => `${db(database)}/tables/${encodeURIComponent(table)}`;

/** A key as text for a page address (paths.record): the value, or a JSON list of texts for a several-column key. */
export function keyText(key: RecordKey): string {
  return Array.isArray(key) ? JSON.stringify(key.map((v) => (v === null ? null : String(v)))) : String(key);
}

/** `{pk}` of a record path. */
const keyPath = (key: RecordKey) => encodeURIComponent(keyText(key));

/**
 * The key from a page address's text. Only a table with a several-column key reads it as a JSON
 * list, so a one-column key whose text happens to look like a list is still that text.
 */
export function parseKeyText(table: Pick<TableDescription, 'primaryKey'>, text: string): RecordKey | null {
  if (table.primaryKey.length <= 1) return text;
  try {
    const list: unknown = JSON.parse(text);
    if (Array.isArray(list) && list.length === table.primaryKey.length && list.every((v) => v === null || typeof v === 'string' || typeof v === 'number')) {
      return list as (string | number | null)[];
    }
  } catch {
    // Not JSON: not a key of this table.
  }
  return null;
}

/** The key of a record of the table (null when the table has no usable primary key). */
export function recordKey(table: Pick<TableDescription, 'primaryKey'>, record: DataRecord): RecordKey | null {
  if (table.primaryKey.length === 0) return null;
  const values = table.primaryKey.map((c) => record[c]);
  if (values.some((v) => v === undefined || (v !== null && typeof v === 'object'))) return null;
  if (values.length === 1) return values[0] as string | number;
  return values as (string | number | null)[];
}

function recordsQueryString(q: RecordsQuery): string {
  const p = new URLSearchParams();
  if (q.limit !== undefined) p.set('limit', String(q.limit));
  if (q.offset !== undefined) p.set('offset', String(q.offset));
  if (q.order && q.order.length > 0) p.set('order', JSON.stringify(q.order));
  if (q.filter) p.set('filter', JSON.stringify(q.filter));
  if (q.search) p.set('search', q.search);
  if (q.after) p.set('after', q.after);
  const s = p.toString();
  return s ? `?${s}` : '';
}

// ---- Schemas and tables -------------------------------------------------------------------

export const listSchemas = (d: number) => request<Schema[]>('GET', `${db(d)}/schemas`);
export const createSchema = (d: number, name: string, comment?: string | null) =>
  request<Schema>('POST', `${db(d)}/schemas`, { name, comment: comment ?? undefined });
export const updateSchema = (d: number, schema: number, change: { name?: string; comment?: string | null }) =>
  request<Schema>('PATCH', `${db(d)}/schemas/${schema}`, change);
export const deleteSchema = (d: number, schema: number, cascade = false) =>
  request<void>('DELETE', `${db(d)}/schemas/${schema}?cascade=${cascade}`);

export const listTables = (d: number, schema?: string) =>
  request<TableSummary[]>('GET', `${db(d)}/tables${schema === undefined ? '' : `?schema=${encodeURIComponent(schema)}`}`);
export const getTable = (d: number, t: number) => request<TableDescription>('GET', tbl(d, t));

export interface NewColumn {
  name: string;
  type: ColumnTypeId;
  nullable?: boolean;
  default?: RecordValue;
  defaultExpression?: string | null;
  unique?: boolean;
  comment?: string | null;
}

export const createTable = (d: number, body: { schema: string; name: string; comment?: string; columns?: NewColumn[]; primaryKey?: string[] }) =>
  request<TableDescription>('POST', `${db(d)}/tables`, { columns: [], ...body });
export const updateTable = (d: number, t: number, change: { name?: string; schema?: string; comment?: string | null }) =>
  request<TableDescription>('PATCH', tbl(d, t), change);
export const deleteTable = (d: number, t: number, cascade = false) =>
  request<void>('DELETE', `${tbl(d, t)}?cascade=${cascade}`);

// ---- Columns --------------------------------------------------------------------------------

export const addColumn = (d: number, t: number, column: NewColumn) => request<Column>('POST', `${tbl(d, t)}/columns`, column);

export interface ColumnChange {
  name?: string;
  type?: ColumnTypeId;
  default?: RecordValue;
  defaultExpression?: string | null;
  nullable?: boolean;
  unique?: boolean;
  comment?: string | null;
}
export const updateColumn = (d: number, t: number, attnum: number, change: ColumnChange) =>
  request<Column>('PATCH', `${tbl(d, t)}/columns/${attnum}`, change);
export const deleteColumn = (d: number, t: number, attnum: number, cascade = false) =>
  request<void>('DELETE', `${tbl(d, t)}/columns/${attnum}?cascade=${cascade}`);
export const checkColumnType = (d: number, t: number, attnum: number, type: ColumnTypeId) =>
  request<TypeCheck>('POST', `${tbl(d, t)}/columns/${attnum}/type-check`, { type });


/** Order and widths of the grid's columns, kept by Rowan; columns not listed go back to their natural place. */
export const saveDisplay = (d: number, t: number, columns: { column: number; position?: number; width?: number | null }[]) =>
  request<TableDescription>('PUT', `${tbl(d, t)}/display`, { columns });

// ---- Records ------------------------------------------------------------------------------

export const listRecords = (d: number, t: number, q: RecordsQuery = {}) =>
  request<RecordsPage>('GET', `${tbl(d, t)}/records${recordsQueryString(q)}`);
export const getRecord = (d: number, t: number, key: RecordKey) => request<DataRecord>('GET', `${tbl(d, t)}/records/${keyPath(key)}`);
export const insertRecord = (d: number, t: number, values: DataRecord) => request<DataRecord>('POST', `${tbl(d, t)}/records`, values);
export const updateRecord = (d: number, t: number, key: RecordKey, changes: DataRecord) =>
  request<DataRecord>('PATCH', `${tbl(d, t)}/records/${keyPath(key)}`, changes);
export const deleteRecord = (d: number, t: number, key: RecordKey) => request<void>('DELETE', `${tbl(d, t)}/records/${keyPath(key)}`);
export const deleteRecords = (d: number, t: number, keys: RecordKey[]) =>
  request<{ deleted: number }>('POST', `${tbl(d, t)}/records/delete`, { keys });
export const getReferrers = (d: number, t: number, key: RecordKey) =>
  request<Referrers[]>('GET', `${tbl(d, t)}/records/${keyPath(key)}/referrers`);
export const getFilterOperators = (d: number, t: number) => request<ColumnOperators[]>('GET', `${tbl(d, t)}/filter-operators`);
export const getCandidates = (d: number, t: number, attnum: number, search = '', limit = 20) =>
  request<Candidate[]>('GET', `${tbl(d, t)}/columns/${attnum}/candidates?search=${encodeURIComponent(search)}&limit=${limit}`);
/** A link target (not fetched): the browser downloads the streamed CSV itself. */
export const exportUrl = (d: number, t: number, q: RecordsQuery = {}) =>
  `${tbl(d, t)}/export.csv${recordsQueryString({ order: q.order, filter: q.filter, search: q.search })}`;

// ---- Imports ------------------------------------------------------------------------------

export interface ImportSettings {
  delimiter: string;
  quote: string;
  header: boolean;
  encoding: string;
}

export interface ImportPreview {
  settings: ImportSettings;
  columns: { name: string; header: string | null; type: ColumnTypeId; possibleTypes: ColumnTypeId[]; samples: string[] }[];
  rows: string[][];
  rowsSampled: number;
  wholeFileSampled: boolean;
  bytes: number;
  warnings: { code: string; message: string }[];
}

export interface ImportJob {
  id: number;
  state: 'running' | 'done' | 'failed';
  phase: 'queued' | 'loading' | 'finishing' | null;
  rowsDone: number;
  rowsSkipped: number;
  bytesDone: number;
  bytesTotal: number | null;
  errors: { line: number; column?: string; message: string }[];
  errorCount: number;
  moreErrors: number;
  tableOid: number | null;
  schema: string | null;
  table: string | null;
  mode: 'new' | 'existing';
  onError: 'abort' | 'skip';
  fileName: string | null;
  message: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Form fields of a preview or an import; `file` (a File/Blob) or `text` holds the data. */
export type ImportForm = Record<string, string | Blob>;

function formData(fields: ImportForm): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}

export const previewImport = (d: number, fields: ImportForm) => request<ImportPreview>('POST', `${db(d)}/imports/preview`, formData(fields));
export const startImport = (d: number, fields: ImportForm) => request<{ id: number }>('POST', `${db(d)}/imports`, formData(fields));
export const getImport = (d: number, id: number) => request<ImportJob>('GET', `${db(d)}/imports/${id}`);
