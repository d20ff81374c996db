// Catalogue import/export through the real API on the demo county (安澜县 → 城关镇 001, 东城街道 002 → 团结社区 002001).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraPage, OrgUnit } from '../../server/contracts/api';
import type { ImportResult } from '../../server/contracts/catalogue';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

let t: TestApp;
let admin: Login;
let dongcheng: Login;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await login(t.app, ...DEMO.admin);
  dongcheng = await login(t.app, ...DEMO.dongcheng);
});
afterAll(() => t.close());

async function importFile(who: Login, body: Record<string, unknown>) {
  const res = await t.app.inject({ method: 'POST', url: '/api/catalogue/import', headers: who.headers, payload: { format: 'csv', ...body } });
  return { status: res.statusCode, body: res.json() as ImportResult & { field?: string; message?: string } };
}

async function cameras(who: Login, q: string) {
  const res = await t.app.inject({ url: `/api/cameras?q=${encodeURIComponent(q)}&limit=500`, headers: { cookie: who.cookie } });
  return res.json<CameraPage>();
}

const HEADER = '设备编码,设备名称,所属网络,组织路径,纬度,经度,安装地址,取流地址,ONVIF地址,用户名,密码,公共区域';
const GOOD = [
  HEADER,
  'IMP-0001,东风社区北口,雪亮,安澜县/东城街道/团结社区,29.2101,119.4702,东风路1号,rtsp://10.9.0.1:554/h264,,admin,pw-1,是',
  'IMP-0002,"东风社区南口, 二号",天网,安澜县/东城街道/团结社区,,,,,http://10.9.0.2/onvif/device_service,admin,pw-2,否',
  'IMP-0003,城关镇菜场,xueliang,安澜县/城关镇,29.1,119.4,,rtsp://cam:secret@10.9.0.3/live,,,,0',
].join('\r\n');

describe('catalogue import', () => {
  it('dry run reports what would happen and writes nothing', async () => {
    const before = await t.app.repos.cameras.count();
    const { status, body } = await importFile(admin, { content: GOOD, dryRun: true });
    expect(status).toBe(200);
    expect(body).toMatchObject({ dryRun: true, committed: false, summary: { total: 3, added: 3, updated: 0, unchanged: 0, rejected: 0 } });
    expect(body.columns).toMatchObject({ 设备编码: 'externalId', 所属网络: 'network', 组织路径: 'orgUnitPath', 取流地址: 'rtspUrl' });
    expect(await t.app.repos.cameras.count()).toBe(before);
  });

  it('imports a valid CSV with Chinese headers; credentials are stored apart and stripped from URLs', async () => {
    const { body } = await importFile(admin, { content: GOOD });
    expect(body).toMatchObject({ committed: true, summary: { added: 3, rejected: 0 }, errors: [] });
    const page = await cameras(admin, 'IMP-000');
    expect(page.total).toBe(3);
    const byId = Object.fromEntries(page.items.map((c) => [c.externalId, c]));
    expect(byId['IMP-0001']).toMatchObject({ name: '东风社区北口', network: 'xueliang', sourceKind: 'rtsp', publicArea: true, hasCredentials: true, lat: 29.2101 });
    expect(byId['IMP-0002']).toMatchObject({ name: '东风社区南口, 二号', network: 'skynet', sourceKind: 'onvif', publicArea: false, lat: null });
    expect(byId['IMP-0003'].endpoint).toBe('rtsp://10.9.0.3/live');
    const src = await t.app.repos.cameras.source(byId['IMP-0003'].id);
    expect(src).toMatchObject({ username: 'cam', password: 'secret' });
    expect(JSON.stringify(page)).not.toMatch(/secret|pw-1/);
    const audit = await t.app.repos.audit.recent(1, 'catalogue.import');
    expect(audit[0].detail).toContain('"added":3');
  });

  it('re-importing the same file changes nothing; a changed row is an update', async () => {
    const again = await importFile(admin, { content: GOOD });
    expect(again.body.summary).toMatchObject({ added: 0, updated: 0, unchanged: 3, rejected: 0 });
    const changed = await importFile(admin, { content: GOOD.replace('城关镇菜场', '城关镇农贸市场') });
    expect(changed.body.summary).toMatchObject({ added: 0, updated: 1, unchanged: 2 });
    expect((await cameras(admin, '城关镇农贸市场')).items.map((c) => c.externalId)).toEqual(['IMP-0003']);
  });

  it('reports malformed rows with row, line and field, and imports the good ones', async () => {
    const content = [
      'externalId,name,network,orgUnitPath,lat,lng,rtspUrl,publicArea',
      'BAD-1,ok one,skynet,安澜县/城关镇,29,119,rtsp://10.9.1.1/a,no',
      'BAD-2,bad lat,skynet,安澜县/城关镇,95,119,rtsp://10.9.1.2/a,no',
      'BAD-3,bad network,天上,安澜县/城关镇,,,rtsp://10.9.1.3/a,no',
      ',no id,skynet,安澜县/城关镇,,,rtsp://10.9.1.4/a,no',
      'BAD-5,"multi',
      'line name",skynet,安澜县/城关镇,,,http://10.9.1.5/a,maybe',
      'BAD-6,no unit,skynet,安澜县/不存在镇,,,rtsp://10.9.1.6/a,',
      'BAD-7,no source,skynet,安澜县/城关镇,,,,',
    ].join('\n');
    const { body } = await importFile(admin, { content });
    expect(body.summary).toMatchObject({ total: 7, added: 1, rejected: 6 });
    const at = (row: number) => body.errors.filter((e) => e.row === row).map((e) => e.field);
    expect(at(2)).toEqual(['lat']);
    expect(at(3)).toEqual(['network']);
    expect(at(4)).toEqual(['externalId']);
    expect(at(5).sort()).toEqual(['name', 'publicArea', 'rtspUrl']); // a line break in a name is a control character
    expect(body.errors.find((e) => e.row === 5)).toMatchObject({ line: 6 });
    expect(at(6)).toEqual(['orgUnitPath']);
    expect(body.errors.find((e) => e.row === 6)!.message).toMatch(/createOrgUnits/);
    expect(at(7)).toEqual(['rtspUrl']);
    expect(body.errors.find((e) => e.row === 2)!.message).toMatch(/between -90 and 90/);
  });

  it('an atomic import with a bad row writes nothing', async () => {
    const content = 'externalId,name,network,orgUnitPath,rtspUrl\nATOM-1,a,skynet,安澜县/城关镇,rtsp://10.9.2.1/a\nATOM-2,b,skynet,安澜县/城关镇,ftp://x\n';
    const { body } = await importFile(admin, { content, atomic: true });
    expect(body).toMatchObject({ committed: false, summary: { added: 1, rejected: 1 } });
    expect((await cameras(admin, 'ATOM-')).total).toBe(0);
  });

  it('rejects a duplicated (network, externalId) inside one file, naming the first row', async () => {
    const content = 'externalId,name,network,orgUnitPath,rtspUrl\nDUP-1,a,skynet,安澜县/城关镇,rtsp://10.9.3.1/a\nDUP-1,b,天网,安澜县/城关镇,rtsp://10.9.3.2/a\nDUP-1,c,huiyan,安澜县/城关镇,rtsp://10.9.3.3/a\n';
    const { body } = await importFile(admin, { content });
    expect(body.summary).toMatchObject({ added: 2, rejected: 1 });
    expect(body.errors).toEqual([{ row: 2, line: 3, field: 'externalId', message: 'duplicates row 1 (same network and externalId)' }]);
  });

  it('a file without an externalId column is a 400 naming the field, and nothing is written', async () => {
    const before = await t.app.repos.cameras.count();
    const { status, body } = await importFile(admin, { content: 'name,network\na,skynet\n' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ field: 'externalId' });
    const badMapping = await importFile(admin, { content: 'x,network\n1,skynet\n', mapping: { nope: 'externalId' } });
    expect(badMapping).toMatchObject({ status: 400, body: { field: 'mapping.nope' } });
    const badField = await importFile(admin, { content: 'x,network\n1,skynet\n', mapping: { x: 'colour' } });
    expect(badField.status).toBe(400);
    expect(await t.app.repos.cameras.count()).toBe(before);
  });

  it('creates org units from paths when asked, with codes under the parent and the right level', async () => {
    const content = 'id,name,network,orgUnit,rtsp\nNEW-1,新村口,huiyan,安澜县/东城街道/新建村/新建小区,rtsp://10.9.4.1/a\nNEW-2,新村二,huiyan,安澜县/东城街道/新建村,rtsp://10.9.4.2/a\n';
    const dry = await importFile(admin, { content, createOrgUnits: true, dryRun: true });
    expect(dry.body.createdOrgUnits).toEqual(['安澜县/东城街道/新建村', '安澜县/东城街道/新建村/新建小区']);
    const { body } = await importFile(admin, { content, createOrgUnits: true });
    expect(body.summary).toMatchObject({ added: 2, orgUnitsCreated: 2 });
    const dongchengUnit = await t.app.repos.orgUnits.findByCode('339901002');
    const children = await t.app.repos.orgUnits.children(dongchengUnit!.id);
    const village = children.find((u) => u.name === '新建村')!;
    expect(village).toMatchObject({ level: 'village', cameraCount: 2, childCount: 1 });
    expect(village.code).toMatch(/^339901002\d{3}$/);
    // A second import finds the units it created instead of creating them again.
    const again = await importFile(admin, { content, createOrgUnits: true });
    expect(again.body.summary).toMatchObject({ unchanged: 2, orgUnitsCreated: 0 });
  });

  it('keeps a township officer inside its subtree', async () => {
    const content = [
      'externalId,name,network,orgUnitPath,rtspUrl',
      'TWN-1,mine,skynet,安澜县/东城街道/团结社区,rtsp://10.9.5.1/a',
      'TWN-2,not mine,skynet,安澜县/城关镇,rtsp://10.9.5.2/a',
      'IMP-0003,steal,xueliang,安澜县/东城街道,rtsp://10.9.5.3/a',
      'TWN-4,new township,skynet,安澜县/新乡镇,rtsp://10.9.5.4/a',
    ].join('\n');
    const { body } = await importFile(dongcheng, { content, createOrgUnits: true });
    expect(body.summary).toMatchObject({ added: 1, rejected: 3, orgUnitsCreated: 0 });
    expect(body.errors.map((e) => [e.row, e.field])).toEqual([[2, 'orgUnitPath'], [3, 'externalId'], [4, 'orgUnitPath']]);
    expect(body.errors[0].message).toMatch(/not in your area/);
    expect((await cameras(admin, 'IMP-0003')).items[0].name).toBe('城关镇农贸市场');
    const village = await login(t.app, ...DEMO.village);
    const refused = await importFile(village, { content });
    expect(refused.status).toBe(403);
  });

  it('imports JSON with a custom mapping and credential profiles', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/api/catalogue/credentials/hik-xl', headers: admin.headers, payload: { username: 'svc', password: 'profile-pw' } });
    expect(put.statusCode).toBe(204);
    const content = JSON.stringify([
      { code: 'JS-1', title: '慧眼一号', net: 'Huiyan', unit: '339901002001', url: 'rtsp://10.9.6.1/s', cred: 'hik-xl', pub: true, lat: 29.1, lng: 119.2 },
      { code: 'JS-2', title: '慧眼二号', net: 'huiyan', unit: '339901002001', url: 'rtsp://10.9.6.2/s', cred: 'missing' },
      'not an object',
    ]);
    const mapping = { code: 'externalId', title: 'name', net: 'network', unit: 'orgUnitCode', url: 'rtspUrl', cred: 'credentialRef', pub: 'publicArea' };
    const { body } = await importFile(admin, { format: 'json', content, mapping });
    expect(body.summary).toMatchObject({ total: 3, added: 1, rejected: 2 });
    expect(body.errors.map((e) => [e.row, e.field])).toEqual([[2, 'credentialRef'], [3, '(row)']]);
    const cam = (await cameras(admin, 'JS-1')).items[0];
    expect(cam).toMatchObject({ publicArea: true, hasCredentials: true, lat: 29.1 });
    expect(await t.app.repos.cameras.source(cam.id)).toMatchObject({ username: 'svc', password: 'profile-pw' });
    const list = await t.app.inject({ url: '/api/catalogue/credentials', headers: { cookie: admin.cookie } });
    expect(list.json()).toEqual([expect.objectContaining({ name: 'hik-xl', cameras: 1 })]);
    expect(list.body).not.toMatch(/profile-pw|svc/);
    const del = await t.app.inject({ method: 'DELETE', url: '/api/catalogue/credentials/hik-xl', headers: admin.headers });
    expect(del.statusCode).toBe(409);
  });

  it('exports in the import format without passwords; re-importing the export changes nothing', async () => {
    // A name and an address that Excel would run as formulas: guarded in the file, read back as typed.
    const formula = await importFile(admin, {
      content: `${HEADER}\r\nIMP-F1,"=HYPERLINK(""http://x"",""点我"")",雪亮,安澜县/城关镇,,,-1楼 @东门,rtsp://10.9.0.9/live,,,,否`,
    });
    expect(formula.body.summary).toMatchObject({ added: 1, rejected: 0 });
    const csv = await t.app.inject({ url: '/api/catalogue/export', headers: { cookie: admin.cookie } });
    expect(csv.body).toContain(`IMP-F1,"'=HYPERLINK(""http://x"",""点我"")"`);
    expect(csv.body).toContain(",'-1楼 @东门,");
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).not.toMatch(/secret|pw-1|profile-pw/);
    expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM for Excel
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('externalId,name,network,orgUnitCode,orgUnitPath,lat,lng,address,rtspUrl,subStreamUrl,onvifUrl,credentialRef,publicArea,ptz');
    expect(lines.length - 1).toBe(await t.app.repos.cameras.count());
    const { body } = await importFile(admin, { content: csv.body });
    expect(body.summary).toMatchObject({ added: 0, updated: 0, rejected: 0, unchanged: lines.length - 1 });

    const json = await t.app.inject({ url: '/api/catalogue/export?format=json&network=huiyan', headers: { cookie: dongcheng.cookie } });
    const rows = json.json() as Array<{ network: string; orgUnitPath: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.network === 'huiyan' && r.orgUnitPath.startsWith('安澜县/东城街道'))).toBe(true);
    const round = await importFile(dongcheng, { format: 'json', content: json.body });
    expect(round.body.summary).toMatchObject({ unchanged: rows.length, rejected: 0 });
  });

  it('search finds 1-, 2- and 3+-character substrings; tree counts follow imports', async () => {
    expect((await cameras(admin, '东风社区北')).items.map((c) => c.externalId)).toEqual(['IMP-0001']);
    expect((await cameras(admin, 'imp-000')).total).toBe(3); // ASCII case-insensitive
    const two = await cameras(admin, '北口');
    expect(two.items.map((c) => c.externalId)).toContain('IMP-0001');
    expect((await cameras(dongcheng, '菜场')).total).toBe(0); // scope still applies
    expect((await cameras(admin, '东风路1号')).total).toBe(1); // address
    const root = (await t.app.inject({ url: '/api/org/units', headers: { cookie: admin.cookie } })).json<OrgUnit[]>()[0];
    expect(root.cameraCount).toBe(await t.app.repos.cameras.count());
  });
});

describe('catalogue import: coordinate systems (电子地图 stores WGS-84)', () => {
  it('a 坐标系 column converts GCJ-02 and BD-09 rows to WGS-84; rows without it use the request default', async () => {
    const { convert, distanceMetres } = await import('../../server/domain/coords');
    const wgs = { lat: 29.2101, lng: 119.4702 };
    const gcj = convert(wgs, 'wgs84', 'gcj02');
    const bd = convert(wgs, 'wgs84', 'bd09');
    const content = [
      '设备编码,设备名称,所属网络,组织路径,纬度,经度,坐标系,取流地址',
      `CRS-1,坐标一,雪亮,安澜县/城关镇,${wgs.lat},${wgs.lng},WGS84,rtsp://10.9.7.1/a`,
      `CRS-2,坐标二,雪亮,安澜县/城关镇,${gcj.lat.toFixed(7)},${gcj.lng.toFixed(7)},GCJ-02,rtsp://10.9.7.2/a`,
      `CRS-3,坐标三,雪亮,安澜县/城关镇,${bd.lat.toFixed(7)},${bd.lng.toFixed(7)},百度,rtsp://10.9.7.3/a`,
      `CRS-4,坐标四,雪亮,安澜县/城关镇,${gcj.lat.toFixed(7)},${gcj.lng.toFixed(7)},,rtsp://10.9.7.4/a`,
      'CRS-5,坐标五,雪亮,安澜县/城关镇,29.2,119.4,墨卡托,rtsp://10.9.7.5/a',
    ].join('\n');
    const { body } = await importFile(admin, { content, coordSystem: 'gcj02' });
    expect(body.columns).toMatchObject({ 坐标系: 'coordSystem' });
    expect(body.summary).toMatchObject({ added: 4, rejected: 1 });
    expect(body.errors).toEqual([expect.objectContaining({ row: 5, field: 'coordSystem' })]);
    const byId = Object.fromEntries((await cameras(admin, 'CRS-')).items.map((c) => [c.externalId, c]));
    for (const id of ['CRS-1', 'CRS-2', 'CRS-3', 'CRS-4']) {
      expect(distanceMetres(wgs, { lat: byId[id].lat!, lng: byId[id].lng! }), id).toBeLessThan(1);
    }
    // Re-importing the same file is unchanged: the conversion is deterministic and rounded.
    const again = await importFile(admin, { content, coordSystem: 'gcj02' });
    expect(again.body.summary).toMatchObject({ added: 0, updated: 0, unchanged: 4, rejected: 1 });
  });

  it('an unknown request coordSystem is a 400 naming the field', async () => {
    const res = await importFile(admin, { content: GOOD, coordSystem: 'mercator', dryRun: true });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('coordSystem');
  });
});
