import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  baseName,
  isInsideFolders,
  isSysctlFile,
  joinUri,
  relativeLabel,
} from '../../server/src/features/workspace-paths';

const folders = ['file:///home/me/ops', 'file:///c%3A/work'];

test('a target must lie strictly inside a workspace folder', () => {
  assert.equal(isInsideFolders('file:///home/me/ops/sysctl.d/90-x.conf', folders), true);
  assert.equal(isInsideFolders('file:///home/me/ops', folders), false, 'the folder itself');
  assert.equal(
    isInsideFolders('file:///home/me/ops-other/sysctl.conf', folders),
    false,
    'a sibling with the same prefix',
  );
  assert.equal(
    isInsideFolders('file:///home/me/ops/../../../etc/sysctl.conf', folders),
    false,
    'dot-dot escapes',
  );
  assert.equal(
    isInsideFolders('file:///home/me/ops/%2e%2e/x/sysctl.conf', folders),
    false,
    'encoded dot-dot escapes',
  );
  assert.equal(isInsideFolders('file:///etc/sysctl.conf', folders), false);
  assert.equal(isInsideFolders('untitled:Untitled-1', folders), false);
  assert.equal(
    isInsideFolders('file:///C:/work/sysctl.conf', folders),
    true,
    'drive letters compare case-insensitively',
  );
});

test('joinUri encodes each segment; relativeLabel and baseName decode', () => {
  const uri = joinUri('file:///home/me/ops/', 'sysctl.d/90 kernel.conf');
  assert.equal(uri, 'file:///home/me/ops/sysctl.d/90%20kernel.conf');
  assert.equal(relativeLabel(uri, folders), 'sysctl.d/90 kernel.conf');
  assert.equal(baseName('file:///var/log/messages-20190428'), 'messages-20190428');
});

test('sysctl files are recognised by name', () => {
  assert.equal(isSysctlFile('file:///etc/sysctl.conf'), true);
  assert.equal(isSysctlFile('file:///etc/sysctl.d/99-net.conf'), true);
  assert.equal(isSysctlFile('file:///etc/sysctl.d/README'), false);
  assert.equal(isSysctlFile('file:///var/log/kern.log'), false);
  assert.equal(isSysctlFile('file:///etc/my.conf'), false);
});
