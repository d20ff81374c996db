// Every CSV export answers the same way: UTF-8 text Excel opens (the body carries its BOM, server/csv/write.ts) as an
// attachment with a file name. A string or stream with a non-JSON type bypasses the serializer, hence the cast past
// the routes' `Type.String()` 200 schema.
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

export function sendCsv(reply: FastifyReply, filename: string, body: string | Readable): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(body as never);
}

/** "stats-unit-2026-11-07-2026-12-07.csv": what, grouped how, over which days. */
export const rangeFileName = (what: string, groupBy: string, range: { from: string; to: string }): string =>
  `${what}-${groupBy}-${range.from.slice(0, 10)}-${range.to.slice(0, 10)}.csv`;
