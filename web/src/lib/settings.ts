// Rowan's own configuration, as the server was started with it (GET /api/v1/settings, administrators
// only). Read-only: every setting is read at start, so changing one means a restart.

import { request } from './api';

export interface ServerSetting {
  /** Config-file key, e.g. `http.port`. */
  key: string;
  /** The value in effect; null when unset; `(set)` for a secret that is set (secrets are never sent). */
  value: string | null;
  /** Where it came from, e.g. `default`, `command-line flag --http-port`, `environment variable ROWAN_HTTP_PORT`. */
  source: string;
  /** The default as the configuration reference describes it, or null. */
  default: string | null;
  restartRequired: boolean;
  secret: boolean;
  description: string;
  category: string;
  /** e.g. `--http-port` */
  flag: string;
  /** e.g. `ROWAN_HTTP_PORT` */
  env: string;
  /** Its section of the configuration reference, e.g. `docs/configuration.md#httpport`. */
  docs: string;
}

export interface ServerSettings {
  version: string;
  /** Rowan's own config file in the data directory. */
  configFile: string;
  settings: ServerSetting[];
}

export const getSettings = () => request<ServerSettings>('GET', '/api/v1/settings');

/** The settings grouped by category, in the order the server lists them. */
export function byCategory(settings: ServerSetting[]): { category: string; settings: ServerSetting[] }[] {
  const groups = new Map<string, ServerSetting[]>();
  for (const s of settings) {
    const group = groups.get(s.category);
    if (group) group.push(s);
    else groups.set(s.category, [s]);
  }
  return [...groups].map(([category, list]) => ({ category, settings: list }));
}
