// AG Grid Community, with only the modules the table grid uses (its core brings sorting, column
// resize and move, keyboard navigation and pinned columns), themed after app.css.
import {
  CellStyleModule,
  ColumnApiModule,
  CustomEditorModule,
  InfiniteRowModelModule,
  ModuleRegistry,
  RenderApiModule,
  RowApiModule,
  ScrollApiModule,
  themeQuartz,
} from 'ag-grid-community';

ModuleRegistry.registerModules([
  InfiniteRowModelModule,
  CustomEditorModule,
  CellStyleModule,
  ColumnApiModule,
  RenderApiModule,
  RowApiModule,
  ScrollApiModule,
]);

export { createGrid } from 'ag-grid-community';

/** Quiet and readable: the app's font, colours and borders; no stripes, modest row height. */
export const gridTheme = themeQuartz.withParams({
  fontFamily: 'inherit',
  fontSize: 14,
  headerFontSize: 14,
  headerFontWeight: 600,
  foregroundColor: '#1c2228',
  backgroundColor: '#ffffff',
  headerBackgroundColor: '#f5f6f8',
  headerTextColor: '#1c2228',
  borderColor: '#d9dde3',
  accentColor: '#1f5f5b',
  rowHoverColor: 'rgb(31 95 91 / 0.05)',
  selectedRowBackgroundColor: 'rgb(31 95 91 / 0.1)',
  rangeSelectionBackgroundColor: 'rgb(37 99 235 / 0.12)',
  rangeSelectionBorderColor: '#2563eb',
  borderRadius: 6,
  wrapperBorderRadius: 8,
  rowHeight: 34,
  headerHeight: 38,
  cellHorizontalPadding: 10,
  columnBorder: true,
  headerColumnBorder: true,
  focusShadow: { spread: 2, color: '#2563eb' },
  browserColorScheme: 'light',
});
