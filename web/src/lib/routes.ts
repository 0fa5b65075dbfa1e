// Path patterns of the app's pages: `/databases/:db/tables/:table` matches `/databases/1/tables/16420`
// and gives {db: '1', table: '16420'}. A parameter matches one path segment, URL-decoded.

export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      if (have[i] === '') return null;
      try {
        params[want[i].slice(1)] = decodeURIComponent(have[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== have[i]) {
      return null;
    }
  }
  return params;
}

/** Links to the app's pages, built in one place. */
export const paths = {
  database: (db: number, schema?: string) => `/databases/${db}${schema === undefined ? '' : `?schema=${encodeURIComponent(schema)}`}`,
  table: (db: number, table: number) => `/databases/${db}/tables/${table}`,
  record: (db: number, table: number, key: string) => `/databases/${db}/tables/${table}/records/${encodeURIComponent(key)}`,
  import: (db: number, schema?: string) => `/databases/${db}/import${schema === undefined ? '' : `?schema=${encodeURIComponent(schema)}`}`,
};
