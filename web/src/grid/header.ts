// A column header: the name (click sorts, Shift+click adds the column to the sort), the sort
// direction and position, a lock when the column is read-only, and the button that opens the
// column menu (also Alt+↓ on a focused header). Resizing and dragging stay AG Grid's.

import type { IHeaderComp, IHeaderParams } from 'ag-grid-community';
import type { Column } from '../lib/data';

export interface HeaderParams {
  dataColumn: Column;
  readOnly: string | null;
  onmenu: (column: Column) => void;
}

const LOCK =
  '<svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false"><rect x="3" y="7" width="10" height="7" rx="1.5" fill="currentColor"/><path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" stroke-width="1.6"/></svg>';
const DOTS =
  '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false"><circle cx="8" cy="3.5" r="1.4" fill="currentColor"/><circle cx="8" cy="8" r="1.4" fill="currentColor"/><circle cx="8" cy="12.5" r="1.4" fill="currentColor"/></svg>';

export class HeaderComp implements IHeaderComp {
  private gui = document.createElement('div');
  private sortEl = document.createElement('span');
  private params!: IHeaderParams & HeaderParams;
  private readonly onSortChanged = () => this.showSort();

  init(params: IHeaderParams & HeaderParams): void {
    this.params = params;
    const { dataColumn: column, readOnly } = params;
    this.gui.className = 'rh';
    this.gui.title = `${column.name} · ${column.type}${readOnly ? ` · read-only: ${readOnly}` : ''}`;

    const name = document.createElement('span');
    name.className = 'rh-name';
    name.textContent = column.name;
    this.gui.append(name);
    if (readOnly) {
      const lock = document.createElement('span');
      lock.className = 'rh-lock';
      lock.innerHTML = LOCK;
      this.gui.append(lock);
    }
    this.sortEl.className = 'rh-sort';
    this.gui.append(this.sortEl);

    const menu = document.createElement('button');
    menu.type = 'button';
    menu.className = 'rh-menu';
    menu.tabIndex = -1;
    menu.dataset.testid = `column-menu-${column.name}`;
    menu.setAttribute('aria-label', `Column menu of ${column.name} (Alt+Down on the header)`);
    menu.innerHTML = DOTS;
    // Pressing the button must not start dragging the column.
    menu.addEventListener('mousedown', (e) => e.stopPropagation());
    menu.addEventListener('click', (e) => {
      e.stopPropagation();
      params.onmenu(column);
    });
    this.gui.append(menu);

    this.gui.addEventListener('click', (e) => {
      if (params.enableSorting) params.progressSort(e.shiftKey);
    });
    params.column.addEventListener('sortChanged', this.onSortChanged);
    this.showSort();
  }

  private showSort(): void {
    const col = this.params.column;
    const sort = col.getSort();
    const sorted = this.params.api.getColumnState().filter((s) => s.sort).length;
    const index = col.getSortIndex();
    this.sortEl.textContent = sort ? `${sort === 'asc' ? '↑' : '↓'}${sorted > 1 && index != null ? index + 1 : ''}` : '';
    this.sortEl.title = sort ? `Sorted ${sort === 'asc' ? 'ascending' : 'descending'}` : '';
  }

  /** Alt+Down on a focused header (AG Grid calls this). */
  onMenuKeyboardShortcut(): boolean {
    this.params.onmenu(this.params.dataColumn);
    return true;
  }

  getGui(): HTMLElement {
    return this.gui;
  }

  refresh(): boolean {
    this.showSort();
    return true;
  }

  destroy(): void {
    this.params.column.removeEventListener('sortChanged', this.onSortChanged);
  }
}
