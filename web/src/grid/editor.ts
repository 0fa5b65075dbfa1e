// AG Grid's cell editor slot, filled with Svelte (CellEditor.svelte). Its value is a CellEdit:
// what the person typed (kept if the server refuses it) and what to send. The grid sends it itself
// (AG Grid's readOnlyEdit: the row changes only once the server has stored it).

import type { ICellEditorComp, ICellEditorParams } from 'ag-grid-community';
import { mount, unmount } from 'svelte';
import { keyText, type Candidate, type Column, type DataRecord, type ForeignKey } from '../lib/data';
import CellEditor from './CellEditor.svelte';
import { sendTyped, type CellChange } from './save';

export interface CellEdit {
  typed: string;
  send: CellChange['send'];
  /** For a foreign key: the record chosen, so the cell can show its summary at once. */
  reference?: { keyText: string; summary: string } | null;
}

export interface EditorParams {
  column: Column;
  fk: ForeignKey | null;
  database: number;
  tableOid: number;
  /** The text the editor starts from: the refused text of a failed cell, else the value's text. */
  startText: (record: DataRecord, column: Column) => { text: string; failed: boolean };
  /** The key text of the record a foreign key cell refers to now. */
  referenceOf: (record: DataRecord) => string | null;
}

export class CellEditorComp implements ICellEditorComp {
  private gui = document.createElement('div');
  private app: Record<string, unknown> | null = null;
  private params!: ICellEditorParams & EditorParams;
  private text = '';
  private initial = '';
  private failed = false;
  private picked: { candidate: Candidate | null } | null = null;

  init(params: ICellEditorParams & EditorParams): void {
    this.params = params;
    const { column, fk } = params;
    const start = params.startText(params.data as DataRecord, column);
    this.initial = start.text;
    this.failed = start.failed;
    // A printable key starts the edit afresh with that character, as in a spreadsheet.
    const typedChar = params.eventKey && params.eventKey.length === 1 ? params.eventKey : null;
    this.text = typedChar ?? start.text;
    this.gui.className = 'rowan-cell-editor';
    this.app = mount(CellEditor, {
      target: this.gui,
      props: {
        column,
        initial: this.text,
        caretAtEnd: typedChar !== null,
        picker: fk ? { database: params.database, table: params.tableOid, current: params.referenceOf(params.data as DataRecord) } : null,
        onchange: (text: string) => (this.text = text),
        onpick: (candidate: Candidate | null) => {
          this.picked = { candidate };
          params.stopEditing();
        },
        onsave: () => params.stopEditing(),
        oncancel: () => params.stopEditing(true),
      },
    });
  }

  getGui(): HTMLElement {
    return this.gui;
  }

  isPopup(): boolean {
    return this.params.fk !== null || this.params.column.kind === 'json';
  }

  getPopupPosition(): 'over' | 'under' {
    return this.params.fk !== null ? 'under' : 'over';
  }

  isCancelAfterEnd(): boolean {
    if (this.params.fk) return this.picked === null;
    // Unchanged: nothing to send, unless the cell holds refused text (then Enter tries it again).
    return this.text === this.initial && !this.failed;
  }

  getValue(): CellEdit | undefined {
    const { column, fk } = this.params;
    if (fk) {
      if (!this.picked) return undefined;
      const candidate = this.picked.candidate;
      if (candidate === null) {
        return { typed: '', send: { values: Object.fromEntries(fk.columns.map((c) => [c, null])) }, reference: null };
      }
      const text = keyText(candidate.key);
      return { typed: text, send: { values: candidate.values }, reference: { keyText: text, summary: candidate.summary } };
    }
    return { typed: this.text, send: sendTyped(column, this.text) };
  }

  destroy(): void {
    if (this.app) void unmount(this.app);
    this.app = null;
  }
}
