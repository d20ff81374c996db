import { describe, expect, it } from 'vitest';
import type { DiscoveryResult, ImportResult } from '../../../server/contracts/catalogue';
import {
  addItems, canAdd, canCommit, decodeFileText, detectFormat, EMPTY_FILTERS, filtersToQuery, importBody, importKey, mergeResult, missingIds, pageCount,
  pageRange, parseTargets, progressPercent, splitUrlCredentials, subProfile, videoLabel, withFilter,
} from './devices-logic';

describe('camera list filters', () => {
  it('sends only the filters set, one page at a time', () => {
    expect(filtersToQuery(EMPTY_FILTERS)).toEqual({ limit: 50, offset: 0 });
    expect(filtersToQuery({ network: 'skynet', status: 'offline', orgUnitId: 7, q: '  东风 ', page: 3 })).toEqual({
      network: 'skynet', status: 'offline', orgUnitId: 7, q: '东风', limit: 50, offset: 150,
    });
    expect(filtersToQuery({ ...EMPTY_FILTERS, q: 'x'.repeat(150) }).q).toHaveLength(100);
  });

  it('goes back to the first page when a filter changes', () => {
    expect(withFilter({ ...EMPTY_FILTERS, page: 4 }, { status: 'online' })).toEqual({ ...EMPTY_FILTERS, status: 'online', page: 0 });
  });

  it('counts pages and the range shown', () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(188)).toBe(4);
    expect(pageRange(3, 188)).toEqual({ from: 151, to: 188, total: 188 });
    expect(pageRange(0, 0)).toEqual({ from: 0, to: 0, total: 0 });
  });

  it('labels codec and resolution when known', () => {
    expect(videoLabel({ codec: 'h265', width: 640, height: 360 })).toBe('H.265 · 640×360');
    expect(videoLabel({ codec: null, width: 1280, height: 720 })).toBe('1280×720');
    expect(videoLabel({ codec: null, width: null, height: null })).toBeNull();
  });

  it('asks for unit paths not cached yet, in chunks of at most 200', () => {
    const known = new Map([[1, 'a']]);
    expect(missingIds([1, 2, 2, 3], known)).toEqual([[2, 3]]);
    const chunks = missingIds(Array.from({ length: 450 }, (_, i) => i + 10), known);
    expect(chunks.map((c) => c.length)).toEqual([200, 200, 50]);
  });
});

describe('catalogue import', () => {
  const summary = { total: 3, added: 2, updated: 0, unchanged: 0, rejected: 1, orgUnitsCreated: 0 };
  const dry: ImportResult = {
    dryRun: true, committed: false, summary, errors: [{ row: 2, line: 3, field: 'network', message: 'unknown' }], errorsTruncated: false,
    columns: {}, ignoredColumns: [], createdOrgUnits: [], seconds: 0.01,
  };

  it('detects the format by name, else by content', () => {
    expect(detectFormat('cams.JSON', 'a,b')).toBe('json');
    expect(detectFormat('cams.csv', '[')).toBe('csv');
    expect(detectFormat('export', '\ufeff  [{"externalId":1}]')).toBe('json');
    expect(detectFormat('export', '设备编码,名称')).toBe('csv');
  });

  it('reads UTF-8, and a GBK file from Excel as GB18030', () => {
    expect(decodeFileText(new TextEncoder().encode('设备编码,名称'))).toEqual({ text: '设备编码,名称', encoding: 'utf-8' });
    // "设备" in GBK
    expect(decodeFileText(Uint8Array.from([0xc9, 0xe8, 0xb1, 0xb8, 0x2c, 0x41]))).toEqual({ text: '设备,A', encoding: 'gb18030' });
  });

  it('builds the request body the API expects', () => {
    expect(importBody({ name: 'a.csv', text: 'x' }, { createOrgUnits: true, atomic: false }, true)).toEqual({
      format: 'csv', content: 'x', dryRun: true, createOrgUnits: true, atomic: false,
    });
  });

  it('offers a commit only after a dry run that would write something', () => {
    expect(canCommit(null, { createOrgUnits: false, atomic: false })).toBe(false);
    expect(canCommit(dry, { createOrgUnits: false, atomic: false })).toBe(true);
    expect(canCommit(dry, { createOrgUnits: false, atomic: true })).toBe(false);
    expect(canCommit({ ...dry, summary: { ...summary, added: 0, rejected: 0, unchanged: 3 } }, { createOrgUnits: false, atomic: false })).toBe(false);
    expect(canCommit({ ...dry, dryRun: false }, { createOrgUnits: false, atomic: false })).toBe(false);
  });

  it('keys a dry run on the file content and the options', () => {
    const a = importKey({ name: 'a.csv', text: 'abc' }, { createOrgUnits: false, atomic: false });
    expect(importKey({ name: 'a.csv', text: 'abd' }, { createOrgUnits: false, atomic: false })).not.toBe(a);
    expect(importKey({ name: 'a.csv', text: 'abc' }, { createOrgUnits: true, atomic: false })).not.toBe(a);
    expect(importKey({ name: 'a.csv', text: 'abc' }, { createOrgUnits: false, atomic: false })).toBe(a);
  });
});

describe('discovery', () => {
  it('labels the sub-stream profile as the server picks it: the first later one with fewer pixels', () => {
    const p = (token: string, width: number | null, height: number | null) => ({ token, width, height });
    expect(subProfile([p('a', 1280, 720), p('b', 1280, 720), p('c', 640, 360)])?.token).toBe('c');
    expect(subProfile([p('a', 640, 360), p('b', 640, 360)])).toBeUndefined();
    expect(subProfile([p('a', null, null), p('b', 640, 360)])).toBeUndefined();
  });

  const result = (id: number, over: Partial<DiscoveryResult> = {}): DiscoveryResult => ({
    id, jobId: 1, address: `10.0.0.${id}`, endpointRef: null, xaddr: `http://10.0.0.${id}/onvif/device_service`, state: 'found', failure: null,
    message: null, manufacturer: null, model: null, firmware: null, serial: null, profiles: [], streamUri: null, subStreamUri: null, snapshotUri: null, ptz: false,
    cameraId: null, suggestedName: `cam ${id}`, ...over,
  });

  it('parses address lists, ranges and CIDR blocks; lists what it cannot read', () => {
    expect(parseTargets('10.0.0.1\n10.0.0.3-5, 10.0.1.0/28；10.0.0.1 10.0.2.1-10.0.2.9 cam.local 300.1.1.1')).toEqual({
      targets: ['10.0.0.1', '10.0.0.3-5', '10.0.1.0/28', '10.0.2.1-10.0.2.9'],
      invalid: ['cam.local', '300.1.1.1'],
    });
  });

  it('shows progress as a percentage, full once the job ended', () => {
    expect(progressPercent({ probed: 0, total: 0, state: 'running' })).toBe(0);
    expect(progressPercent({ probed: 3, total: 12, state: 'running' })).toBe(25);
    expect(progressPercent({ probed: 3, total: 12, state: 'cancelled' })).toBe(100);
  });

  it('merges live results by id', () => {
    const list = mergeResult([result(1)], result(2));
    expect(list.map((r) => r.id)).toEqual([1, 2]);
    expect(mergeResult(list, result(1, { state: 'added' }))[0].state).toBe('added');
  });

  it('adds only the selected devices that answered, with edited names, network and unit', () => {
    const results = [result(1), result(2, { state: 'failed', xaddr: null, failure: 'not-authorized' }), result(3)];
    expect(canAdd(results[1])).toBe(false);
    const names = new Map([[3, '  北门  ']]);
    expect(addItems(results, new Set([1, 2, 3]), names, { network: 'xueliang', orgUnitId: 5, publicArea: true })).toEqual({
      items: [
        { resultId: 1, network: 'xueliang', orgUnitId: 5, publicArea: true, name: 'cam 1' },
        { resultId: 3, network: 'xueliang', orgUnitId: 5, publicArea: true, name: '北门' },
      ],
    });
    expect(addItems(results, new Set([1]), names, { network: '', orgUnitId: 5, publicArea: false })).toBeNull();
    expect(addItems(results, new Set([2]), names, { network: 'skynet', orgUnitId: 5, publicArea: false })).toBeNull();
  });
});

describe('RTSP URL credentials', () => {
  it('moves user:pass@ out of the URL into the fields', () => {
    expect(splitUrlCredentials(' rtsp://admin:p%40ss:x@10.0.0.1:554/Streaming/101 ')).toEqual({
      url: 'rtsp://10.0.0.1:554/Streaming/101', username: 'admin', password: 'p@ss:x',
    });
    expect(splitUrlCredentials('rtsp://10.0.0.1/a')).toEqual({ url: 'rtsp://10.0.0.1/a' });
  });
});
