// What a grid cell shows (plain DOM, built for speed while scrolling, text set as text never as
// HTML): the value's text; an empty text as a faint ""; a boolean as a box (✓, empty, or a dash
// for NULL); a foreign key as the referenced record's summary linking to its page; and a refused
// edit as the text that was typed, marked, until it is fixed or discarded.

import type { ICellRendererParams } from 'ag-grid-community';
import type { Column, DataRecord, ForeignKey, TableDescription } from '../lib/data';
import { keyText, recordKey } from '../lib/data';
import { paths } from '../lib/routes';
import type { CellFailure } from './save';
import { referenceKey, valueText } from './values';

export interface GridContext {
  database: number;
  table: TableDescription;
  failureAt: (record: DataRecord, column: string) => CellFailure | undefined;
  summary: (fkColumn: string, keyText: string) => string | undefined;
}

export interface CellParams {
  dataColumn: Column;
  fk: ForeignKey | null;
}

function span(className: string, text: string): HTMLSpanElement {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text;
  return el;
}

export function renderCell(params: ICellRendererParams & CellParams): HTMLElement | null {
  const record = params.data as DataRecord | undefined;
  if (!record) return null;
  const context = params.context as GridContext;
  const column = params.dataColumn;
  const failure = context.failureAt(record, column.name);
  if (failure) {
    const el = span('cell-failed', failure.typed === '' ? '(empty)' : failure.typed);
    el.title = [failure.problem.detail ?? failure.problem.title, failure.problem.hint].filter(Boolean).join(' ');
    return el;
  }
  const value = record[column.name];
  if (value === null || value === undefined) return column.kind === 'boolean' ? booleanBox(null) : null;
  if (column.kind === 'boolean' && typeof value === 'boolean') return booleanBox(value);
  if (value === '') {
    const el = span('cell-empty-text', '""');
    el.title = 'An empty text (not an empty cell)';
    return el;
  }
  if (params.fk) {
    const reference = referenceKey(params.fk.columns, record);
    if (reference !== null) {
      const summary = context.summary(column.name, reference) ?? valueText(value);
      const el = document.createElement('span');
      el.className = 'cell-ref';
      el.append(span('cell-ref-summary', summary));
      el.title = `${params.fk.referencedTable} ${reference}`;
      el.append(openLink(paths.record(context.database, params.fk.referencedOid, reference), `Open ${params.fk.referencedTable} record ${summary}`));
      return el;
    }
  }
  return span(column.kind === 'json' ? 'cell-json' : 'cell-text', valueText(value, column.kind));
}

function booleanBox(value: boolean | null): HTMLElement {
  const el = span(`cell-bool ${value === null ? 'is-null' : value ? 'is-true' : 'is-false'}`, '');
  el.dataset.toggle = '';
  el.setAttribute('aria-label', value === null ? 'empty' : String(value));
  el.setAttribute('role', 'img');
  return el;
}

const OPEN_ICON =
  '<svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true" focusable="false"><path d="M6 3H3.5A1.5 1.5 0 0 0 2 4.5v8A1.5 1.5 0 0 0 3.5 14h8a1.5 1.5 0 0 0 1.5-1.5V10M9 2h5v5M14 2 7.5 8.5" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/></svg>';

function openLink(href: string, label: string): HTMLAnchorElement {
  const link = document.createElement('a');
  link.className = 'cell-open';
  link.href = href;
  link.tabIndex = -1;
  link.innerHTML = OPEN_ICON;
  link.setAttribute('aria-label', label);
  link.title = label;
  return link;
}

/** The first column: the row's number (a click selects the row) and a link to the record's page. */
export function renderRowNumber(params: ICellRendererParams): HTMLElement | null {
  const context = params.context as GridContext;
  const number = (params.node.rowIndex ?? 0) + 1;
  const record = params.data as DataRecord | undefined;
  const el = document.createElement('span');
  el.className = 'row-head';
  el.append(span('row-number', record ? number.toLocaleString('en-US') : '…'));
  const key = record ? recordKey(context.table, record) : null;
  if (key !== null) el.append(openLink(paths.record(context.database, context.table.oid, keyText(key)), `Open row ${number}`));
  return el;
}
