// Keeps package.json's contributes.configuration and the server's defaults in sync.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  CLIENT_SETTING_DEFAULTS,
  DEFAULT_SETTINGS,
  normalizeSettings,
  SETTINGS_SECTION,
} from '../../server/src/features/settings';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default: unknown; type: string }> } };
};

test('package.json declares exactly the server settings, with the same defaults and types', () => {
  const declared = manifest.contributes.configuration.properties;
  const expected: Record<string, unknown> = { ...CLIENT_SETTING_DEFAULTS, ...DEFAULT_SETTINGS };
  assert.deepEqual(
    Object.keys(declared).sort(),
    Object.keys(expected)
      .map((k) => `${SETTINGS_SECTION}.${k}`)
      .sort(),
  );
  for (const [key, value] of Object.entries(expected)) {
    const property = declared[`${SETTINGS_SECTION}.${key}`];
    assert.deepEqual(property.default, value, key);
    assert.equal(property.type, typeof value, key);
  }
});

test('normalizeSettings fills defaults and refuses sysctl paths outside the folder', () => {
  assert.deepEqual(normalizeSettings(undefined), DEFAULT_SETTINGS);
  assert.deepEqual(normalizeSettings({ zoneDiagnostics: 'no', kernelRelease: 3 }), DEFAULT_SETTINGS);
  assert.equal(
    normalizeSettings({ sysctlFile: 'etc/sysctl.d/50-db.conf' }).sysctlFile,
    'etc/sysctl.d/50-db.conf',
  );
  for (const bad of [
    '/etc/sysctl.conf',
    '../sysctl.conf',
    'a/../../b.conf',
    'C:\\sysctl.conf',
    '.git/hooks/pre-commit',
    'x.sh',
    '',
  ]) {
    assert.equal(normalizeSettings({ sysctlFile: bad }).sysctlFile, DEFAULT_SETTINGS.sysctlFile, bad);
  }
  assert.equal(
    normalizeSettings({ kernelRelease: ' 3.10.0-693.el7.x86_64 ' }).kernelRelease,
    '3.10.0-693.el7.x86_64',
  );
});
