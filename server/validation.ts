// Request validation from the TypeBox schemas (the one schema per shape that also gives types and OpenAPI).
// Bodies are checked as they arrive: JSON has types. Params, querystrings and headers arrive as strings and must be
// converted first. TypeBox's Value.Convert walks the schema on every request (interpreted; ~5 % of the serving
// thread at 2,000 resident viewers polling /live), so the common shape — an object whose properties are scalars —
// gets its conversion planned once per route. Any other shape falls back to Value.Convert.
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

type Converter = (raw: string) => unknown;
type Plan = (value: Record<string, unknown>) => Record<string, unknown>;

/** Decimal numbers only: anything else stays a string and fails the type check with the field named. */
const DECIMAL = /^-?\d+(\.\d+)?$/;
const toNumber: Converter = (raw) => (DECIMAL.test(raw) ? Number(raw) : raw);
const toBoolean: Converter = (raw) => (raw === 'true' ? true : raw === 'false' ? false : raw);
const asIs: Converter = (raw) => raw;

interface SchemaLike {
  type?: unknown;
  anyOf?: SchemaLike[];
  properties?: Record<string, SchemaLike>;
}

function scalarConverter(schema: SchemaLike): Converter | null {
  if (schema.type === 'integer' || schema.type === 'number') return toNumber;
  if (schema.type === 'boolean') return toBoolean;
  if (schema.type === 'string') return asIs;
  // Unions of string literals (enums written with Type.Union): nothing to convert.
  if (Array.isArray(schema.anyOf) && schema.anyOf.every((s) => s.type === 'string')) return asIs;
  return null;
}

/** A conversion planned once for an object of scalar properties; null when the schema is another shape. */
export function planConversion(schema: SchemaLike): Plan | null {
  if (schema.type !== 'object' || !schema.properties) return null;
  const steps: Array<[string, Converter]> = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    const convert = scalarConverter(property);
    if (!convert) return null;
    if (convert !== asIs) steps.push([name, convert]);
  }
  return (value) => {
    if (steps.length === 0) return value;
    const out = { ...value };
    for (const [name, convert] of steps) {
      const raw = out[name];
      if (typeof raw === 'string') out[name] = convert(raw);
    }
    return out;
  };
}

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  const plan = httpPart === 'body' ? null : planConversion(schema as SchemaLike);
  const convert = (value: unknown): unknown => {
    if (httpPart === 'body') return value;
    if (plan && value !== null && typeof value === 'object' && !Array.isArray(value)) return plan(value as Record<string, unknown>);
    return Value.Convert(schema, value);
  };
  return (value: unknown) => {
    const converted = convert(value);
    if (check.Check(converted)) return { value: converted };
    return { error: check.Errors(converted) as unknown as FastifySchemaValidationError[] };
  };
};
