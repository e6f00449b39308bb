// `kernelLogLens/reportView` over real JSON-RPC: the report view's model for a synced document
// (the report under the cursor's line, or the one clicked by index) and for a file read from disk
// (kernelLogLens/analyzeFile), whose reading keeps it until the file is forgotten.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  ANALYZE_FILE_REQUEST,
  FORGET_FILE_NOTIFICATION,
  REPORT_VIEW_REQUEST,
  type AnalyzeFileResult,
  type ReportViewModel,
  type ReportViewParams,
} from '../../shared/protocol';
import { fileUri, fixture, TestClient } from './harness';

test('a synced log: the timeline and the detail of the report at the cursor', async () => {
  const client = await TestClient.start();
  try {
    const uri = 'file:///logs/004.log';
    await client.open(uri, fixture('004-bare-slub-interleaved-iommu-iova.log'));
    const atCursor = await client.request<ReportViewModel | null>(REPORT_VIEW_REQUEST, {
      uri,
      line: 57,
    } satisfies ReportViewParams);
    assert.equal(atCursor?.source, 'document');
    assert.equal(atCursor?.reports, 11);
    assert.equal(atCursor?.suppressed, 162);
    assert.equal(atCursor?.timeline.points.length, 11);
    assert.equal(atCursor?.selected, 9);
    assert.equal(atCursor?.detail?.line, 56);
    assert.equal(atCursor?.detail?.kind, 'page_alloc_failure');
    const clicked = await client.request<ReportViewModel | null>(REPORT_VIEW_REQUEST, { uri, index: 2 });
    assert.equal(clicked?.selected, 2);
    assert.equal(clicked?.detail?.line, 19);
    const unknown = await client.request<ReportViewModel | null>(REPORT_VIEW_REQUEST, {
      uri: 'file:///not-open.log',
    });
    assert.equal(unknown, null);
  } finally {
    await client.stop();
  }
  assert.equal(client.errorOutput, '');
});

test('a file read from disk: its view until it is forgotten', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klens-view-'));
  const client = await TestClient.start();
  try {
    const file = path.join(dir, 'kern.log');
    fs.writeFileSync(file, fixture('000-seed.log') + fixture('000-seed.log'));
    const uri = fileUri(file);
    const result = await client.request<AnalyzeFileResult>(ANALYZE_FILE_REQUEST, {
      uri,
      reason: { kind: 'picked' },
    });
    assert.equal(result.files[0]?.reports, 2);
    const second = await client.request<ReportViewModel | null>(REPORT_VIEW_REQUEST, { uri, index: 1 });
    assert.equal(second?.source, 'disk');
    assert.equal(second?.reports, 2);
    assert.deepEqual(
      second?.timeline.points.map((p) => [p.line, p.group, p.occurrence, p.groupCount]),
      [
        [0, 0, 1, 2],
        [44, 0, 2, 2],
      ],
    );
    // the repeat is explained once: its group's first report's detail, said so
    assert.deepEqual(second?.detail?.sameAs, { index: 0, line: 0 });
    assert.equal(second?.detail?.zones.length, 4);
    await client.connection.sendNotification(FORGET_FILE_NOTIFICATION, { uri });
    assert.equal(await client.request<ReportViewModel | null>(REPORT_VIEW_REQUEST, { uri }), null);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
