// The VS Code client (stub: being written).
export function activate(): void {}
export function deactivate(): void {}
