// A PMTiles v3 archive on the gateway's disk, read with the `pmtiles` package's reader (header, directories, tile
// lookup by Hilbert tile id) over a local file instead of HTTP range requests. Only raster archives: the page
// draws them with Leaflet's tile layer, which cannot draw vector tiles. No Fastify here (plugins/map.ts opens it).
import { open, type FileHandle } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { Compression, PMTiles, TileType, type RangeResponse, type Source } from 'pmtiles';

const gunzipAsync = promisify(gunzip);

const MIME: Partial<Record<TileType, string>> = {
  [TileType.Png]: 'image/png',
  [TileType.Jpeg]: 'image/jpeg',
  [TileType.Webp]: 'image/webp',
  [TileType.Avif]: 'image/avif',
};

/** The pmtiles `Source` over a file: its byte ranges read with positioned reads (no seek, safe in parallel). */
class FileRangeSource implements Source {
  constructor(private readonly file: FileHandle, private readonly key: string) {}
  getKey(): string {
    return this.key;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await this.file.read(buf, 0, length, offset);
    // An ArrayBuffer of exactly the bytes read (the header read asks for 16 KiB of a possibly smaller file).
    return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead) as ArrayBuffer };
  }
}

export interface TileArchive {
  /** The tiles' MIME type (image/png …). */
  mime: string;
  minZoom: number;
  maxZoom: number;
  /** A tile's bytes, or undefined when the archive has none there. */
  tile(z: number, x: number, y: number): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

/** Opens an archive and reads its header; throws (naming why) for a missing file, a bad magic, or vector tiles. */
export async function openTileArchive(path: string): Promise<TileArchive> {
  const file = await open(path, 'r');
  try {
    // Node's zlib, not the package's DecompressionStream/fflate choice: one known path on the server.
    const decompress = async (buf: ArrayBuffer, compression: Compression): Promise<ArrayBuffer> => {
      if (compression === Compression.None || compression === Compression.Unknown) return buf;
      if (compression !== Compression.Gzip) throw new Error(`PMTiles compression ${Compression[compression]} is not supported (gzip or none)`);
      const out = await gunzipAsync(Buffer.from(buf));
      return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
    };
    const archive = new PMTiles(new FileRangeSource(file, path), undefined, decompress);
    const header = await archive.getHeader();
    const mime = MIME[header.tileType as TileType];
    if (!mime) throw new Error(`PMTiles tile type ${TileType[header.tileType] ?? header.tileType} is not a raster image (png, jpeg, webp, avif)`);
    return {
      mime,
      minZoom: header.minZoom,
      maxZoom: header.maxZoom,
      async tile(z, x, y) {
        // The reader throws for x/y outside the zoom's grid; that is simply no tile.
        if (z > 26 || x >= 2 ** z || y >= 2 ** z) return undefined;
        const res = await archive.getZxy(z, x, y);
        return res ? Buffer.from(res.data) : undefined;
      },
      close: () => file.close(),
    };
  } catch (err) {
    await file.close();
    throw err;
  }
}
