/** Messages between the main thread and the embedded-database worker. */
export type WorkerRequest =
  | { id: number; type: 'query'; sql: string; params: unknown[]; blob?: Uint8Array }
  | { id: number; type: 'exec'; sql: string }
  | { id: number; type: 'dump' }
  | { id: number; type: 'close' };

export interface DbErrorInfo {
  message: string;
  code?: string;
  detail?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: DbErrorInfo };
