// The server's settings: the one place their defaults live. package.json's
// `contributes.configuration` must declare the same keys and defaults (test/features/settings
// keeps the two in sync). The client sends them under the `kernelLogLens` section.

export interface KernelLogLensSettings {
  /** Workspace-relative path of the sysctl file a quick fix creates when none is open. */
  sysctlFile: string;
  /** Zone-level hints/information on zones below their min/low watermark. */
  zoneDiagnostics: boolean;
  /** Kernel release to assume for logs that print none (e.g. "3.10.0-1160.el7.x86_64"); "" = infer. */
  kernelRelease: string;
}

export const SETTINGS_SECTION = 'kernelLogLens';

export const DEFAULT_SETTINGS: Readonly<KernelLogLensSettings> = Object.freeze({
  sysctlFile: 'sysctl.d/90-kernel-log-lens.conf',
  zoneDiagnostics: true,
  kernelRelease: '',
});

/** Defaults of the settings only the client reads, declared here so the sync test sees every key. */
export const CLIENT_SETTING_DEFAULTS = Object.freeze({ 'trace.server': 'off', showReportCodeLens: false });

/**
 * Whatever the client sent (possibly nothing, possibly wrong types) → complete settings. A
 * `sysctlFile` must be a relative `.conf` path that stays inside its folder: anything else (an
 * absolute path, `..`, a `.git/hooks/…` script from an untrusted workspace) falls back to the
 * default, so a quick fix can never be pointed at a file outside the workspace or a non-sysctl file.
 */
export function normalizeSettings(raw: unknown): KernelLogLensSettings {
  const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    sysctlFile: isSafeSysctlPath(value.sysctlFile) ? value.sysctlFile.trim() : DEFAULT_SETTINGS.sysctlFile,
    zoneDiagnostics:
      typeof value.zoneDiagnostics === 'boolean' ? value.zoneDiagnostics : DEFAULT_SETTINGS.zoneDiagnostics,
    kernelRelease:
      typeof value.kernelRelease === 'string' ? value.kernelRelease.trim() : DEFAULT_SETTINGS.kernelRelease,
  };
}

function isSafeSysctlPath(path: unknown): path is string {
  if (typeof path !== 'string') return false;
  const p = path.trim().replace(/\\/g, '/');
  if (p === '' || p.startsWith('/') || /^[a-zA-Z]:/.test(p) || !p.endsWith('.conf')) return false;
  return p.split('/').every((segment) => segment !== '..' && !segment.startsWith('.git'));
}
