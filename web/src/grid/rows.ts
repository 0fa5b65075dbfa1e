// Where the grid's rows come from: blocks of `GET …/records` at an offset as they come into view
// (AG Grid's infinite row model asks for them), with the count handled so that the scrollbar spans
// the whole table from the first block on. An exact count is the end; an estimated one is
// corrected when the end is reached: a short block gives the last row, and an empty block past the
// real end makes the grid look for it (a binary search of one-row probes) instead of leaving
// phantom rows — while a full block past the estimate lets the grid grow, so no real row is hidden.

import type { IDatasource, IGetRowsParams } from 'ag-grid-community';
import { listRecords, type DataRecord, type RecordsQuery } from '../lib/data';

export type Query = Pick<RecordsQuery, 'filter' | 'search'>;
export type Order = NonNullable<RecordsQuery['order']>;

export interface RowSourceEvents {
  /** A block could not be loaded (the problem), or loaded again fine (null). */
  onproblem: (problem: unknown) => void;
  /** The first block arrived: the row count as the server gave it, to size the scrollbar. */
  onfirstblock: (count: number, countIsEstimate: boolean, lastRowKnown: boolean) => void;
  /** Foreign-key summaries of a block (per foreign key's first column: key text → summary). */
  onsummaries: (summaries: Record<string, Record<string, string>>) => void;
}

export class RowSource implements IDatasource {
  /** Rows known to exist (one past the highest row seen in a block). */
  private seen = 0;
  private endSearch: Promise<number> | null = null;
  /** The order of the latest block the grid asked for (its sort model). */
  private order: Order = [];

  constructor(
    private readonly database: number,
    private readonly table: number,
    readonly query: Query,
    private readonly events: RowSourceEvents,
  ) {}

  getRows(params: IGetRowsParams): void {
    void this.load(params);
  }

  private async load(params: IGetRowsParams): Promise<void> {
    const { startRow, endRow } = params;
    const limit = endRow - startRow;
    const order: Order = params.sortModel.map((s) => [s.colId, s.sort]);
    this.order = order;
    try {
      const page = await listRecords(this.database, this.table, { ...this.query, order, offset: startRow, limit });
      const rows = page.results;
      this.events.onsummaries(page.summaries ?? {});
      let lastRow: number | undefined;
      if (rows.length > 0) this.seen = Math.max(this.seen, startRow + rows.length);
      if (rows.length < limit) {
        lastRow = rows.length === 0 && startRow > 0 ? await this.findEnd(startRow) : startRow + rows.length;
      } else if (!page.countIsEstimate) {
        lastRow = Math.max(page.count, startRow + rows.length);
      }
      params.successCallback(rows, lastRow);
      if (startRow === 0) this.events.onfirstblock(page.count, page.countIsEstimate, lastRow !== undefined);
      this.events.onproblem(null);
    } catch (e) {
      params.failCallback();
      this.events.onproblem(e);
    }
  }

  /** The number of rows, when a block at `emptyAt` came back empty: between the rows seen and there. */
  private findEnd(emptyAt: number): Promise<number> {
    this.endSearch ??= (async () => {
      let low = Math.min(this.seen, emptyAt);
      let high = emptyAt;
      while (low < high) {
        const middle = Math.floor((low + high) / 2);
        const probe = await listRecords(this.database, this.table, { ...this.query, order: this.order, offset: middle, limit: 1 });
        if (probe.results.length > 0) low = middle + 1;
        else high = middle;
      }
      return low;
    })().finally(() => {
      this.endSearch = null;
    });
    return this.endSearch;
  }

  /** Rows `start`… (at most `count`) with the grid's query, straight from the server. */
  async fetch(start: number, count: number): Promise<DataRecord[]> {
    const out: DataRecord[] = [];
    while (out.length < count) {
      const limit = Math.min(1000, count - out.length);
      const page = await listRecords(this.database, this.table, { ...this.query, order: this.order, offset: start + out.length, limit });
      out.push(...page.results);
      if (page.results.length < limit) break;
    }
    return out;
  }
}
