// Starts the simulation worker's WebAssembly (Trunk builds it for
// `importScripts`, as workers load scripts).
importScripts("./tandem-worker.js");
wasm_bindgen({ module_or_path: "./tandem-worker_bg.wasm" });
