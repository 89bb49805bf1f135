// Types of /_workjs/ws.mjs: it exports the global worksocket class of ws.d.ts, as the default
// export and by name. The option, state and error types stay global (WorksocketOptions, ...).
/// <reference path="./ws.d.ts" />
declare const ws: WorksocketConstructor;
type ws = worksocket;
export { ws as default, ws as worksocket };
