// ffprobe (Debian) as the independent validator of what we produce.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FFPROBE = '/usr/bin/ffprobe';
export const HAVE_FFPROBE = existsSync(FFPROBE);
export const SKIP_FFPROBE_MSG = 'skipped: /usr/bin/ffprobe missing (apt-get install ffmpeg)';

export interface ProbePacket { codec_type: string; pts: number; dts: number; flags: string; stream_index: number }
export interface ProbeResult {
  streams: { index: number; codec_type: string; codec_name: string; codec_tag_string?: string; width?: number; height?: number; sample_rate?: string; channels?: number }[];
  packets: ProbePacket[];
  errors: string;
}

function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(FFPROBE, args, { maxBuffer: 64 << 20, timeout: 20_000 }, (err, stdout, stderr) => {
      if (err && !stdout) reject(Object.assign(err, { stderr })); else resolve({ stdout, stderr });
    });
  });
}

/** Probe one segment (or several concatenated MPEG-TS segments) and decode every frame, collecting errors. */
export async function probe(bytes: Uint8Array, ext = '.ts'): Promise<ProbeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'relay-probe-'));
  const file = join(dir, `seg${ext}`);
  writeFileSync(file, bytes);
  const { stdout } = await run(['-v', 'error', '-show_streams', '-show_packets', '-of', 'json', file]);
  const parsed = JSON.parse(stdout) as { streams: ProbeResult['streams']; packets?: { codec_type: string; pts: string; dts: string; flags: string; stream_index: number }[] };
  // Full decode: ffprobe -show_frames decodes, and decoder errors land on stderr at -v error.
  const decoded = await run(['-v', 'error', '-show_frames', '-of', 'compact', file]);
  return {
    streams: parsed.streams,
    packets: (parsed.packets ?? []).map((p) => ({ ...p, pts: Number(p.pts), dts: Number(p.dts) })),
    errors: decoded.stderr.trim(),
  };
}
