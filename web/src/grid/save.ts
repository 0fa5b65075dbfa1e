// Saving cells: one PATCH per row with that row's changed cells. The server checks every value;
// when it refuses one (422 naming the column), that cell is reported and the row is sent again
// without it, so the row's other cells are still saved. Nothing fails silently: every cell ends
// up saved or in the list of failures with the server's message.

import { ApiError, toProblem, type Problem } from '../lib/api';
import { keyText, recordKey, updateRecord, type Column, type DataRecord, type RecordKey, type TableDescription } from '../lib/data';
import { fromTyped, keyLabel } from './values';

export type CellProblem = Pick<Problem, 'title'> & Partial<Pick<Problem, 'detail' | 'hint'>>;

export interface CellChange {
  rowIndex: number;
  /** The row as the grid has it (its key addresses the PATCH). */
  record: DataRecord;
  /** The column the cell is in. */
  column: string;
  /** What the person typed or pasted, kept and shown if the value is refused. */
  typed: string;
  /** The members to send for this cell (several for a foreign key of several columns), or why it is refused before sending. */
  send: { values: DataRecord } | { refused: CellProblem };
}

export interface CellFailure {
  key: RecordKey | null;
  keyText: string;
  /** "id 42": which row, as people recognise it. */
  rowLabel: string;
  column: string;
  typed: string;
  problem: CellProblem;
}

export interface SaveOutcome {
  /** Rows the server stored, as it answered them, with their row index in the grid. */
  saved: { rowIndex: number; record: DataRecord; columns: string[] }[];
  failures: CellFailure[];
  savedCells: number;
  totalCells: number;
}

/** What to send for text typed or pasted into a cell of the column, or why it is refused before sending. */
export function sendTyped(column: Column, typed: string): CellChange['send'] {
  const value = fromTyped(column, typed);
  return value.ok ? { values: { [column.name]: value.value } } : { refused: { title: 'Not saved', detail: value.message } };
}

const PARALLEL_ROWS = 4;

export async function saveCells(
  database: number,
  table: TableDescription,
  changes: CellChange[],
  onprogress?: (rowsDone: number, rows: number) => void,
): Promise<SaveOutcome> {
  const byRow = new Map<number, CellChange[]>();
  for (const change of changes) {
    const list = byRow.get(change.rowIndex) ?? [];
    list.push(change);
    byRow.set(change.rowIndex, list);
  }
  const outcome: SaveOutcome = { saved: [], failures: [], savedCells: 0, totalCells: changes.length };
  const rows = [...byRow.values()];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < rows.length) {
      const cells = rows[next++];
      await saveRow(database, table, cells, outcome);
      onprogress?.(++done, rows.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_ROWS, rows.length) }, worker));
  return outcome;
}

async function saveRow(database: number, table: TableDescription, cells: CellChange[], outcome: SaveOutcome): Promise<void> {
  const record = cells[0].record;
  const key = recordKey(table, record);
  const text = key === null ? '' : keyText(key);
  const label = key === null ? `row ${cells[0].rowIndex + 1}` : keyLabel(table, key);
  const fail = (cell: CellChange, problem: CellProblem) =>
    outcome.failures.push({ key, keyText: text, rowLabel: label, column: cell.column, typed: cell.typed, problem });

  let pending: CellChange[] = [];
  for (const cell of cells) {
    if ('refused' in cell.send) fail(cell, cell.send.refused);
    else pending.push(cell);
  }
  if (key === null) {
    for (const cell of pending) {
      fail(cell, { title: 'Not saved', detail: 'Rowan cannot tell which record this row is (its key is not loaded).' });
    }
    return;
  }
  while (pending.length > 0) {
    const body: DataRecord = {};
    for (const cell of pending) if ('values' in cell.send) Object.assign(body, cell.send.values);
    try {
      const stored = await updateRecord(database, table.oid, key, body);
      outcome.saved.push({ rowIndex: cells[0].rowIndex, record: stored, columns: pending.map((c) => c.column) });
      outcome.savedCells += pending.length;
      return;
    } catch (e) {
      const problem = toProblem(e);
      const column = problem instanceof ApiError && problem.status === 422 ? problem.extensions.column : undefined;
      const culprit =
        typeof column === 'string' ? pending.find((c) => 'values' in c.send && column in c.send.values) : undefined;
      if (!culprit) {
        for (const cell of pending) fail(cell, problem);
        return;
      }
      fail(culprit, problem);
      pending = pending.filter((c) => c !== culprit);
    }
  }
}
