// The block of cells a person selected: an anchor cell (where the selection started) and a focus
// cell (where it ends now), by row index and column name. AG Grid Community has no range
// selection (it is an Enterprise feature), so the grid keeps its own on top of its cell focus.

export interface CellRef {
  row: number;
  column: string;
}

export interface Bounds {
  top: number;
  bottom: number;
  /** Indexes into the displayed column order. */
  left: number;
  right: number;
}

export class CellRange {
  constructor(
    readonly anchor: CellRef,
    readonly focus: CellRef,
  ) {}

  static single(cell: CellRef): CellRange {
    return new CellRange(cell, cell);
  }

  extendTo(cell: CellRef): CellRange {
    return new CellRange(this.anchor, cell);
  }

  /** Null when one of the corner columns is not displayed any more. */
  bounds(columns: readonly string[]): Bounds | null {
    const a = columns.indexOf(this.anchor.column);
    const f = columns.indexOf(this.focus.column);
    if (a < 0 || f < 0) return null;
    return {
      top: Math.min(this.anchor.row, this.focus.row),
      bottom: Math.max(this.anchor.row, this.focus.row),
      left: Math.min(a, f),
      right: Math.max(a, f),
    };
  }

  isSingleCell(): boolean {
    return this.anchor.row === this.focus.row && this.anchor.column === this.focus.column;
  }
}

export function contains(b: Bounds, row: number, columnIndex: number): boolean {
  return row >= b.top && row <= b.bottom && columnIndex >= b.left && columnIndex <= b.right;
}
