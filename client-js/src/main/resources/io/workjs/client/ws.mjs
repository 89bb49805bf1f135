// worksocket as an ES module: ws.js stays the single source (a classic script that sets
// globalThis.worksocket); this only re-exports what it defines. Served at /_workjs/ws.mjs.
import './ws.js';
const worksocket = globalThis.worksocket;
export default worksocket;
export { worksocket };
