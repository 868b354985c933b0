// Starts Tandem's WebAssembly. A plain module file rather than the inline
// script Trunk would inject, so the Content-Security-Policy can stay
// `script-src 'self'`.
import init from "./tandem.js";

init({ module_or_path: new URL("./tandem_bg.wasm", import.meta.url) });
