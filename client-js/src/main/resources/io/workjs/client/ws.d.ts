// Types of the worksocket browser client (ws.js): the global `worksocket` class that
// /_workjs/ws.js defines. The ES module /_workjs/ws.mjs is typed by ws.d.mts. See docs/CLIENT.md.

/** `'connecting'` (first connection or waiting to reconnect), `'open'`, or `'closed'` for good. */
type WorksocketState = 'connecting' | 'open' | 'closed';

/** Codes the client itself produces. */
type WorksocketClientErrorCode =
  | 'TIMEOUT' | 'DISCONNECTED' | 'QUEUE_FULL' | 'CLOSED'
  | 'DENIED' | 'SERVER_ERROR' | 'CONNECTION_ERROR' | 'SESSION_FAILED';

/** Codes the server sends (docs/PROTOCOL.md); a controller may throw its own `A-Z0-9_` codes. */
type WorksocketServerErrorCode =
  | 'BAD_JSON' | 'BAD_FRAME' | 'NO_SUCH_FUNCTION' | 'CALL_FAILED' | 'BAD_RESULT'
  | 'EVENTS_LOST' | 'NODE_LOST';

/** Every error the client hands out: an `Error` with a stable `code`. */
interface WorksocketError extends Error {
  code: WorksocketClientErrorCode | WorksocketServerErrorCode | (string & {});
  /** Set on the `DENIED` error after which the client stops reconnecting for good. */
  final?: boolean;
}

/** The param of an `_error` event from the server. */
interface WorksocketServerError {
  code: string;
  message: string;
}

/** The param of a `_reload` event: a server in development mode saw these site files change. */
interface WorksocketReload {
  files: string[];
}

/** What onopen is told about the connection that just opened. */
interface WorksocketOpenInfo {
  /** True when the server gave back the same connection after a drop: nothing was lost, and there is nothing to join again. */
  resumed: boolean;
  /** Why a drop could not be resumed (WINDOW_OVER, BUFFER_OVERFLOW, SERVER_RESTARTED, ...); absent on a first connection. */
  reason?: string;
  /** True when the connection came back on another node of a cluster than the one it was on. */
  moved?: boolean;
}

interface WorksocketOptions {
  /** Runs on every (re)connection, before anything queued is sent. Default: none. */
  onopen?: ((info: WorksocketOpenInfo) => void) | null;
  /** The WebSocket's close event, each time a connection closes. Default: none. */
  onclose?: ((ev: CloseEvent) => void) | null;
  /** DENIED, SERVER_ERROR, CONNECTION_ERROR, or the code of an `_error` event. Default: none. */
  onerror?: ((err: WorksocketError) => void) | null;
  /** After each change of `state`. Default: none. */
  onstatechange?: ((state: WorksocketState) => void) | null;
  /** Default: the page's own URL with ws:/wss: for http:/https:, same host, path and query. */
  url?: string | null;
  /** Longest wait before the first reconnect, in ms; it doubles after each failed attempt. Default 500. */
  minDelay?: number;
  /** Longest wait before reconnecting, in ms; also the wait after a 1008 or 1011 close. Default 10000. */
  maxDelay?: number;
  /** Default per-call timeout in ms, counted from rpc() (time queued included); 0 = none. Default 30000. */
  timeout?: number;
  /** Frames kept while offline; when full, new sends are refused with QUEUE_FULL. Default 1000. */
  queueSize?: number;
  /** Consecutive denials (1008 closes) after which the client stops for good. Default 3. */
  maxDenials?: number;
  /** Ask the server to keep the connection across drops (resumable connections). Default true. */
  resume?: boolean;
  /** Log swallowed errors and protocol oddities with console.warn. Default false. */
  debug?: boolean;
}

interface WorksocketRpcOptions {
  /** This call's timeout in ms, counted from rpc(); 0 = none. Default: the `timeout` option. */
  timeout?: number;
}

/** `cb(result)` on success; `cb(null, err)` on failure. */
type WorksocketCallback<T> = (result: T | null, err?: WorksocketError) => void;

/** A worksocket instance (the class is declared lib.dom-style, so `globalThis.worksocket` is typed too). */
interface worksocket {
  /** Sends `JSON.stringify(value)` as a frame, or queues it while offline. False if refused (queue full, closed). */
  sendJSON(value: unknown): boolean;
  /** Calls a controller function; the Promise resolves with its result or rejects with a WorksocketError. */
  rpc<T = any>(name: string, param?: unknown, options?: WorksocketRpcOptions): Promise<T>;
  /** Calls a controller function; `cb(result)` on success, `cb(null, err)` on failure. */
  rpc<T = any>(name: string, param: unknown, cb: WorksocketCallback<T>, options?: WorksocketRpcOptions): void;
  /** Sets the one handler of an event (replacing any before); a handler that throws is ignored. */
  on(name: '_error', fn: (param: WorksocketServerError) => void): this;
  /** Development mode: without a handler the page reloads itself. */
  on(name: '_reload', fn: (param: WorksocketReload) => void): this;
  on<T = any>(name: string, fn: (param: T) => void): this;
  /** Removes the handler of an event. */
  off(name: string): this;
  /** Closes for good: no more reconnects; queued and pending calls fail with CLOSED. */
  close(): void;
  /** The connection state. */
  readonly state: WorksocketState;
  /** As WebSocket.readyState: 0 connecting (also between reconnects), 1 open, 2 closing, 3 closed. */
  readonly readyState: 0 | 1 | 2 | 3;
}

interface WorksocketConstructor {
  /** Connects at once (to the page's own URL unless `url` is given) and keeps reconnecting. */
  new (options?: WorksocketOptions): worksocket;
  /** Calling without `new` works the same. */
  (options?: WorksocketOptions): worksocket;
  readonly prototype: worksocket;
}

/** The client class; ws.js sets it on globalThis. */
declare var worksocket: WorksocketConstructor;
