// Diagnostic for issue 18 (not a test, not a bench): one simulated camera → a RelayManager → a bare page with the
// wall's hls.js settings and hls.js debug logging, in Chromium; prints the server's playlist/segment timeline
// (blocking reloads and what each answered) and the page's (hls.js logs, FRAG_BUFFERED, 'waiting', stalls).
//   npx tsx scripts/diag/hls-timeline.ts [h264|h264-gop2] [camera index, default 6001] [parts|noparts]
// Loopback only (camera on 127.77.x.x, page server on 127.0.0.1); everything started here is closed at the end.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { planCamera, rtspUrl, startCamera } from '../simulator';
import { RelayManager } from '../../server/media/relay-manager';
import { launchBrowser } from '../../test/helpers/browser';

const fixture = (process.argv[2] ?? 'h264') as 'h264' | 'h264-gop2';
const index = Number(process.argv[3] ?? 6001);
const parts = process.argv[4] === 'parts';
const spec = { ...planCamera({ index, name: 'diag', network: 'x', orgUnitCode: 'x' }, 77), fixture };
const cam = await startCamera(spec);
const t0 = performance.now();
const T = () => ((performance.now() - t0) / 1000).toFixed(3);
const mgr = new RelayManager({ resolveSource: async () => ({ url: rtspUrl(spec), username: spec.username, password: spec.password }), workers: 1, parts, windowSize: Number(process.env.WIN ?? 4) });
// Timeline clock: seconds since start on the server side; the page logs on its own clock (performance.now()).
const hlsJs = readFileSync(new URL('../../node_modules/hls.js/dist/hls.js', import.meta.url));
const page = `<!doctype html><html><body><video id=v muted autoplay playsinline></video><script src="/hls.js"></script><script>
const logs=[];const t0=performance.now();const L=(s)=>logs.push(((performance.now())/1000).toFixed(3)+' '+s);window.__logs=logs;
const v=document.getElementById('v');
for (const e of ['waiting','playing','stalled','loadeddata']) v.addEventListener(e,()=>{const b=v.buffered;L('VIDEO '+e+' ct='+v.currentTime.toFixed(3)+' buf='+(b.length?b.start(0).toFixed(3)+'-'+b.end(b.length-1).toFixed(3):'none'))});
v.requestVideoFrameCallback(()=>L('FIRST FRAME'));
const hls=new Hls({lowLatencyMode:true,liveSyncDurationCount:2,liveMaxLatencyDurationCount:6,maxLiveSyncPlaybackRate:1.5,backBufferLength:10,maxBufferLength:10,enableWorker:true,
 debug:{log:(...a)=>L('log '+a.join(' ')),info:(...a)=>L('info '+a.join(' ')),warn:(...a)=>L('WARN '+a.join(' ')),error:(...a)=>L('ERR '+a.join(' ')),debug:()=>{}}});
hls.on(Hls.Events.LEVEL_UPDATED,(e,d)=>{const x=d.details;L('LEVEL frags '+x.fragments.map(f=>f.sn+'@'+f.start.toFixed(2)+(Number.isFinite(f.startPTS)?'P'+f.startPTS.toFixed(2)+'-'+f.endPTS.toFixed(2):'')).join(' ')+' | parts '+(x.partList||[]).map(p=>p.fragment.sn+'.'+p.index+'@'+p.start.toFixed(2)).join(' ')+' | hint '+(x.fragmentHint?x.fragmentHint.sn+'@'+x.fragmentHint.start.toFixed(2):'-')+' PTSKnown='+x.PTSKnown)});
hls.on(Hls.Events.ERROR,(e,d)=>L('HLSERROR '+d.details+' fatal='+d.fatal));
hls.on(Hls.Events.FRAG_BUFFERED,(e,d)=>{const b=v.buffered;L('FRAG_BUFFERED sn='+d.frag.sn+' part='+(d.part?d.part.index:'-')+' ct='+v.currentTime.toFixed(3)+' bufEnd='+(b.length?b.end(b.length-1).toFixed(3):'none'))});
setInterval(()=>{const b=v.buffered;L('TICK ct='+v.currentTime.toFixed(3)+' bufEnd='+(b.length?b.end(b.length-1).toFixed(3):'none')+' rate='+v.playbackRate)},250);
hls.loadSource(${JSON.stringify(process.env.MASTER ? '/master.m3u8' : '/index.m3u8')});hls.attachMedia(v);
</script></body></html>`;
const server = createServer(async (req, res) => {
  const url = new URL(req.url!, 'http://x');
  if (url.pathname === '/') { res.setHeader('content-type', 'text/html'); res.end(page); return; }
  if (url.pathname === '/master.m3u8') {
    res.setHeader('content-type', 'application/vnd.apple.mpegurl');
    res.end('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=2000000,CODECS="avc1.4d401f"\nindex.m3u8\n');
    return;
  }
  if (url.pathname === '/hls.js') { res.setHeader('content-type', 'text/javascript'); res.end(hlsJs); return; }
  if (url.pathname === '/index.m3u8') {
    const msn = url.searchParams.get('_HLS_msn');
    const part = url.searchParams.get('_HLS_part');
    const start = T();
    const text = await mgr.playlist(1, 'v', msn === null ? undefined : { msn: Number(msn), part: part === null ? undefined : Number(part) });
    const lines = text.split('\n');
    const tail = lines.filter((l) => l && (!l.startsWith('#') || l.startsWith('#EXT-X-PART:'))).slice(-3).map((l) => l.replace(/#EXT-X-PART:DURATION=/, 'P')).join(' | ');
    if (process.env.FULL) console.log(text);
    console.log(`${T()} PLAYLIST asked ${start} msn=${msn} part=${part} → ${tail}`);
    res.setHeader('content-type', 'application/vnd.apple.mpegurl');
    res.end(text);
    return;
  }
  const f = mgr.segment(1, url.pathname.slice(1));
  console.log(`${T()} GET ${url.pathname} ${f ? f.body.byteLength : 404}`);
  if (!f) { res.statusCode = 404; res.end(); return; }
  res.setHeader('content-type', f.contentType);
  res.end(Buffer.from(f.body));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;
const browser = await launchBrowser();
const pg = await browser.newPage();
const pageT0 = Date.now();
await pg.goto(`http://127.0.0.1:${port}/`);
console.log(`${T()} page loaded (page clock offset ~ ${(Date.now() - pageT0) / 1000})`);
await new Promise((r) => setTimeout(r, 9000));
const logs = await pg.evaluate(() => (window as unknown as { __logs: string[] }).__logs);
console.log('---- PAGE LOG (page clock)');
for (const l of logs) if (!/TICK/.test(l) || process.env.TICKS) console.log(l);
await browser.close();
server.close();
mgr.close();
await cam.close();
process.exit(0);
