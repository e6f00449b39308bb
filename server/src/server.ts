// The language server (stub: being written).
export {};
