// fast-check arbitraries for the route fuzzer: values derived from a route's TypeBox (JSON Schema) request schemas,
// then mutated; hostile path segments and query strings; and raw bodies a JSON parser must survive.
import fc from 'fast-check';

type Schema = Record<string, unknown> & {
  type?: string; const?: unknown; anyOf?: Schema[]; enum?: unknown[]; properties?: Record<string, Schema>; required?: string[];
  patternProperties?: Record<string, Schema>; items?: Schema; minimum?: number; maximum?: number; minLength?: number;
  maxLength?: number; format?: string;
};

/** A tiny complete JPEG (SOI … EOI): some generated uploads pass the magic-byte check and reach the handler. */
const TINY_JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex').toString('base64');

const hostileString = fc.oneof(
  fc.constantFrom('', ' ', '../', '..%2f..%2f', '%00', '\u0000', 'null', 'undefined', 'NaN', '-1', '1e309', '__proto__',
    'constructor', '<script>alert(1)</script>', "' OR 1=1 --", '😀', '安澜县', '\u202e', 'a'.repeat(300)),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/**
 * Realistic values for fields whose schema alone rarely yields one the handler accepts (a taxonomy key, a network,
 * an id that exists, a loopback URL): half the time the field gets one of these, so fuzzing reaches past validation
 * into handlers and state machines.
 */
const HINTS: Record<string, fc.Arbitrary<unknown>> = {
  category: fc.constantFrom('fire', 'road', 'public-order', 'environment'),
  network: fc.constantFrom('skynet', 'xueliang', 'huiyan', 'traffic', 'city-management', 'mobile'),
  cameraId: fc.integer({ min: 1, max: 200 }),
  cameraIds: fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 4 }),
  orgUnitId: fc.integer({ min: 1, max: 40 }),
  toUnitId: fc.integer({ min: 1, max: 40 }),
  resultId: fc.integer({ min: 1, max: 5 }),
  url: fc.constantFrom('rtsp://127.0.0.1:9/stream1', 'rtsp://127.0.0.1:9/', 'rtsps://127.0.0.1:9/x'),
  subStreamUrl: fc.constantFrom('rtsp://127.0.0.1:9/stream2', 'rtsp://user:pw@127.0.0.1:9/stream2'),
  targets: fc.constant(['127.0.0.1']),
  deadline: fc.integer({ min: 60, max: 86400 * 30 }).map((s) => new Date(Date.now() + s * 1000).toISOString()),
  capturedAt: fc.integer({ min: 1, max: 86400 }).map((s) => new Date(Date.now() - s * 1000).toISOString()),
  content: fc.constantFrom('externalId,network,name,orgUnitCode\nF-1,skynet,模糊,339901002', '[{"externalId":"F-2","network":"skynet","name":"x","orgUnitCode":"339901"}]', 'a,b\n"unterminated'),
};

/** A value the schema accepts more often than not: bounds respected loosely, strings short. */
export function fromSchema(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => fromSchema(s, depth + 1)));
  switch (schema.type) {
    case 'integer': {
      const min = schema.minimum ?? -1000;
      const max = schema.maximum ?? 1_000_000;
      // Small ids exist in the demo county (units, cameras): those reach the handlers, not only the validator.
      return fc.oneof(fc.integer({ min: Math.max(min, 1), max: Math.max(Math.min(max, 300), Math.max(min, 1)) }), fc.integer({ min, max }));
    }
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'string': {
      if (schema.format === 'date-time') {
        return fc.date({ min: new Date('2020-01-01'), max: new Date(Date.now() + 30 * 86400_000), noInvalidDate: true }).map((d) => d.toISOString());
      }
      const min = schema.minLength ?? 0;
      const max = Math.max(min, Math.min(schema.maxLength ?? 40, 40));
      const base = fc.string({ minLength: min, maxLength: max });
      // Image fields: sometimes a real (tiny) JPEG, so the decoder and the store run too.
      return min >= 8 ? fc.oneof(base, fc.constant(TINY_JPEG), fc.constant(`data:image/jpeg;base64,${TINY_JPEG}`)) : base;
    }
    case 'array':
      return fc.array(fromSchema(schema.items, depth + 1), { maxLength: 4 });
    case 'object': {
      if (schema.patternProperties) {
        const value = Object.values(schema.patternProperties)[0];
        return fc.dictionary(fc.string({ maxLength: 12 }), fromSchema(value, depth + 1), { maxKeys: 4 });
      }
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(props)) shape[k] = HINTS[k] ? fc.oneof(HINTS[k], fromSchema(s, depth + 1)) : fromSchema(s, depth + 1);
      return fc.record(shape, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** One mutation of a (valid-ish) object: a field of the wrong type, a missing field, an unknown one, or left alone. */
export function mutated(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(value, fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('keep', 'keep', 'retype', 'drop', 'extra', 'proto'))
    .map(([v, pick, junk, how]) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return how === 'keep' ? v : junk;
      const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
      const keys = Object.keys(copy);
      const key = keys.length ? keys[pick % keys.length] : 'x';
      if (how === 'retype') copy[key] = junk;
      else if (how === 'drop') delete copy[key];
      else if (how === 'extra') copy[`unknown_${pick % 7}`] = junk;
      else if (how === 'proto') return JSON.parse(`{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},${JSON.stringify(copy).slice(1)}`.replace(',}', '}'));
      return copy;
    });
}

/** Nested arrays/objects far deeper than any schema, as raw JSON text. */
const deepJson = fc.integer({ min: 100, max: 5000 }).chain((n) =>
  fc.constantFrom('['.repeat(n) + ']'.repeat(n), '{"a":'.repeat(n) + '1' + '}'.repeat(n)));

export interface RawBody {
  payload?: string | Buffer;
  contentType?: string;
}

/** A request body as it arrives on the wire: JSON of the schema (mutated), arbitrary JSON, broken JSON, other types. */
export function bodyFor(schema: Schema | undefined): fc.Arbitrary<RawBody> {
  const schemaJson = mutated(fromSchema(schema)).map((v) => JSON.stringify(v) ?? 'null');
  return fc.oneof(
    { weight: 6, arbitrary: schemaJson.map((payload) => ({ payload, contentType: 'application/json' })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ payload: JSON.stringify(v) ?? 'null', contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.tuple(schemaJson, fc.nat()).map(([s, n]) => ({ payload: s.slice(0, n % Math.max(1, s.length)), contentType: 'application/json' })) },
    { weight: 1, arbitrary: deepJson.map((payload) => ({ payload, contentType: 'application/json' })) },
    {
      weight: 1,
      arbitrary: fc.tuple(schemaJson, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', 'application/json-patch+json', ''))
        .map(([payload, contentType]) => ({ payload, contentType })),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => ({ payload: Buffer.from(b), contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.constant<RawBody>({ contentType: 'application/json' }) },
  );
}

/** A path parameter: plausible ids, numbers outside every range, and strings meant to escape or confuse routing. */
export const pathParam: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 5 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 300 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('0', '-1', '-99999999999', '9007199254740993', '99999999999999999999999', '1e3', '0x10', '1.5', ' 1', '1 ') },
  { weight: 1, arbitrary: fc.constantFrom('../', '..%2F..%2Fetc%2Fpasswd', '%00', '%2e%2e', 'x'.repeat(2000), 's0-0.ts', 'index.m3u8', 'a.b.c') },
  { weight: 2, arbitrary: hostileString.map(encodeURIComponent) },
);

/** A query string: the route's own keys with wrong types, unknown keys, repeated keys (arrays), very long values. */
export function queryFor(schema: Schema | undefined): fc.Arbitrary<string> {
  const known = Object.keys(schema?.properties ?? {});
  const key = fc.oneof(known.length ? fc.constantFrom(...known) : fc.constant('q'), fc.constantFrom('unknown', '__proto__', 'a[b]', 'v', 'limit'));
  const value = fc.oneof(
    known.length ? fromSchema(schema).map((o) => String(Object.values(o as object)[0] ?? '')) : fc.constant(''),
    pathParam,
    fc.constantFrom('true', 'null', '[]', '{}', '-1', '1e999', 'a'.repeat(5000)),
  );
  const pair = fc.tuple(key, value).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 4, arbitrary: fc.array(pair, { minLength: 1, maxLength: 4 }).map((p) => `?${p.join('&')}`) },
    { weight: 1, arbitrary: fc.constantFrom('?&&&', '?=', '?a=%', '?%zz=1', '?' + 'x=1&'.repeat(500)) },
  );
}
