// The one client for the Rowan server API. Every request from the UI goes through `request`.
//
// - Bodies are sent and read as JSON; cookies are always included (the session is a cookie).
// - State-changing requests (POST/PUT/PATCH/DELETE) carry the X-CSRF-Token header once a
//   token is known (it arrives with setup, login and session answers).
// - Any answer outside 2xx becomes an ApiError carrying the problem+json fields.

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  hint?: string;
}

export class ApiError extends Error implements Problem {
  readonly type?: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly code?: string;
  readonly hint?: string;
  /** Seconds from a Retry-After header, when the server sent one. */
  readonly retryAfter?: number;
  /** The problem's other members (e.g. `checks` of a failed connection test), as sent. */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(problem: Problem, retryAfter?: number, extensions: Record<string, unknown> = {}) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.type = problem.type;
    this.title = problem.title;
    this.status = problem.status;
    this.detail = problem.detail;
    this.code = problem.code;
    this.hint = problem.hint;
    this.retryAfter = retryAfter;
    this.extensions = extensions;
  }
}

/** Status used for errors where no HTTP answer arrived at all. */
export const NETWORK_ERROR_STATUS = 0;

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'code', 'hint', 'instance']);

/** Sends a request to the Rowan API; a FormData body goes as multipart/form-data, anything else as JSON. */
export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (UNSAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'include',
      cache: 'no-store',
      body: body === undefined ? undefined : form ? (body as FormData) : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({
      status: NETWORK_ERROR_STATUS,
      code: 'network_error',
      title: 'Cannot reach the Rowan server',
      detail: 'The request did not get an answer.',
      hint: 'Check that Rowan is running and that your network connection works, then try again.',
    });
  }

  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;

  const text = await response.text();
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError({
      status: response.status,
      code: 'invalid_response',
      title: 'Unexpected answer from the server',
      detail: 'The server sent something that is not JSON.',
    });
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let parsed: Partial<Problem> = {};
  try {
    const value: unknown = await response.json();
    if (value && typeof value === 'object') parsed = value as Partial<Problem>;
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): fall back to the status line.
  }
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  const extensions = Object.fromEntries(Object.entries(parsed).filter(([key]) => !PROBLEM_MEMBERS.has(key)));
  return new ApiError(
    {
      type: str(parsed.type),
      title: str(parsed.title) ?? fallbackTitle(response.status),
      status: typeof parsed.status === 'number' ? parsed.status : response.status,
      detail: str(parsed.detail),
      code: str(parsed.code),
      hint: str(parsed.hint),
    },
    retryAfter,
    extensions,
  );
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function fallbackTitle(status: number): string {
  if (status >= 500) return 'The server ran into a problem';
  if (status === 404) return 'Not found';
  if (status === 401) return 'Not signed in';
  if (status === 403) return 'Not allowed';
  return `Request failed (HTTP ${status})`;
}

// ---- Endpoints ----------------------------------------------------------------------------

export interface SetupStatus {
  setupRequired: boolean;
}

export interface Session {
  username: string;
  csrfToken: string;
  /** Whether the account may see and change Rowan's own settings. */
  admin: boolean;
}

export interface ServerInfo {
  version: string;
}

export function getSetupStatus(): Promise<SetupStatus> {
  return request<SetupStatus>('GET', '/api/v1/setup');
}

export async function completeSetup(token: string, username: string, password: string): Promise<Session> {
  const session = await request<Session>('POST', '/api/v1/setup', { token, username, password });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function login(username: string, password: string): Promise<Session> {
  const session = await request<Session>('POST', '/api/v1/auth/login', { username, password });
  setCsrfToken(session.csrfToken);
  return session;
}

/** The current session, or null when nobody is signed in (401 not_signed_in). */
export async function getSession(): Promise<Session | null> {
  try {
    const session = await request<Session>('GET', '/api/v1/auth/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export async function logout(): Promise<void> {
  await request<void>('POST', '/api/v1/auth/logout');
  setCsrfToken(null);
}

export function getServerInfo(): Promise<ServerInfo> {
  return request<ServerInfo>('GET', '/api/v1/server');
}

// ---- Databases ----------------------------------------------------------------------------

export type DatabaseStatus =
  | 'ready'
  | 'needs_newer_rowan'
  | 'restarting'
  | 'unreachable'
  | 'credentials_unreadable'
  | 'upgrade_failed';

/** Why a connected database is not ready. */
export interface DatabaseProblem {
  title: string;
  detail?: string | null;
  hint?: string | null;
}

export interface Database {
  id: number;
  name: string;
  status: DatabaseStatus;
  /** The Rowan schema version installed in the database; null when unknown. */
  schemaVersion: number | null;
  builtin: boolean;
  /** e.g. `alice@db.example.org:5432/sales` or `built-in server`. */
  location: string;
  problem: DatabaseProblem | null;
}

export type SslMode = 'prefer' | 'require' | 'verify-full' | 'disable';

/** Where a database is: one postgres:// URL, or the separate fields. */
export type ConnectionTarget =
  | { url: string }
  | { host: string; port: number; database: string; username: string; password: string; sslMode: SslMode };

/** One step of a connection test; `ok` is null when the test did not get that far. */
export interface ConnectionCheck {
  name: string;
  label: string;
  ok: boolean | null;
  message?: string | null;
}

export interface ConnectionTestResult {
  ok: true;
  serverVersion: string;
  checks?: ConnectionCheck[];
}

/** The extra members of a failed connection test's problem (422). */
export interface ConnectionFailure {
  checks: ConnectionCheck[];
  canCreateDatabase: boolean;
}

export interface CreatedDatabase {
  id: number;
  name: string;
  schemaVersion: number | null;
  status: DatabaseStatus;
}

export interface RemovalPreviewColumn {
  schema: string;
  table: string;
  column: string;
  type: string;
  /** The type the column becomes, when the server says so (e.g. `text`). */
  convertsTo?: string | null;
}

export interface RemovalPreview {
  columns: RemovalPreviewColumn[];
}

export function listDatabases(): Promise<Database[]> {
  return request<Database[]>('GET', '/api/v1/databases');
}

/** Checks reachability, sign-in and privileges without saving; a failure is an ApiError (422). */
export function testConnection(target: ConnectionTarget): Promise<ConnectionTestResult> {
  return request<ConnectionTestResult>('POST', '/api/v1/databases/test', target);
}

/** Connects an existing database (the server runs the same checks first) and installs the Rowan schemas. */
/** Connects an existing database; with createDatabase, one that does not exist yet is created first (when the user may). */
export function connectDatabase(name: string, target: ConnectionTarget, createDatabase = false): Promise<CreatedDatabase> {
  return request<CreatedDatabase>('POST', '/api/v1/databases', { name, ...target, createDatabase });
}

/** Creates a new database on Rowan's built-in PostgreSQL server, optionally with the sample bookshop. */
export function createBuiltinDatabase(name: string, sample: boolean): Promise<CreatedDatabase> {
  return request<CreatedDatabase>('POST', '/api/v1/databases', { name, builtin: true, sample });
}

export function getRemovalPreview(id: number): Promise<RemovalPreview> {
  return request<RemovalPreview>('GET', `/api/v1/databases/${encodeURIComponent(id)}/removal-preview`);
}

export function removeDatabase(id: number, keepSchemas: boolean): Promise<void> {
  return request<void>('DELETE', `/api/v1/databases/${encodeURIComponent(id)}?keepSchemas=${keepSchemas}`);
}

/** The checks (and whether the database could be created) that come with a failed connection test. */
export function connectionFailure(error: ApiError): ConnectionFailure {
  const raw = error.extensions.checks;
  const checks = Array.isArray(raw)
    ? raw
        .filter((c): c is Record<string, unknown> => !!c && typeof c === 'object')
        .map((c) => ({
          name: String(c.name ?? ''),
          label: String(c.label ?? c.name ?? ''),
          ok: typeof c.ok === 'boolean' ? c.ok : null,
          message: typeof c.message === 'string' ? c.message : null,
        }))
    : [];
  return { checks, canCreateDatabase: error.extensions.canCreateDatabase === true };
}

/** Turns anything thrown into a problem that ProblemMessage can show. */
export function toProblem(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({
    status: NETWORK_ERROR_STATUS,
    code: 'client_error',
    title: 'Something went wrong',
    detail: error instanceof Error ? error.message : String(error),
  });
}
