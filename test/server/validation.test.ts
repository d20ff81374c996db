// The validator compiler: params and querystrings converted by a plan made once per route, with the same
// outcomes as TypeBox's own conversion for the shapes routes use; other shapes still go through Value.Convert.
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { planConversion, validatorCompiler } from '../../server/validation';

const compile = (schema: Parameters<typeof validatorCompiler>[0]['schema'], httpPart: string) =>
  validatorCompiler({ schema, httpPart, method: 'GET', url: '/x' }) as (v: unknown) => { value?: unknown; error?: Array<{ instancePath?: string }> };

describe('validatorCompiler', () => {
  const Params = Type.Object({ cameraId: Type.Integer({ minimum: 1 }), segment: Type.String({ pattern: '^s\\d+\\.ts$' }) });
  const Query = Type.Object({
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    lat: Type.Optional(Type.Number()),
    online: Type.Optional(Type.Boolean()),
    status: Type.Optional(Type.Union([Type.Literal('online'), Type.Literal('offline')])),
  });

  it('plans objects of scalars and refuses other shapes', () => {
    expect(planConversion(Params)).not.toBeNull();
    expect(planConversion(Query)).not.toBeNull();
    expect(planConversion(Type.Object({ ids: Type.Array(Type.Integer()) }))).toBeNull();
    expect(planConversion(Type.String())).toBeNull();
  });

  it('converts integers, numbers and booleans from strings and keeps strings', () => {
    expect(compile(Params, 'params')({ cameraId: '42', segment: 's7.ts' })).toEqual({ value: { cameraId: 42, segment: 's7.ts' } });
    expect(compile(Query, 'querystring')({ limit: '50', lat: '-30.25', online: 'false', status: 'online' }))
      .toEqual({ value: { limit: 50, lat: -30.25, online: false, status: 'online' } });
    expect(compile(Query, 'querystring')({})).toEqual({ value: {} });
  });

  it('rejects what is not a decimal number, out of range or not in the union, naming the field', () => {
    for (const bad of ['abc', '', ' 7', '0x10', '1e3', '-1', '0', '3.5']) {
      const result = compile(Params, 'params')({ cameraId: bad, segment: 's1.ts' });
      expect(result.error, bad).toBeDefined();
      expect(result.error!.map((e) => e.instancePath).join(' '), bad).toContain('cameraId');
    }
    expect(compile(Query, 'querystring')({ status: 'gone' }).error).toBeDefined();
    expect(compile(Query, 'querystring')({ online: 'yes' }).error).toBeDefined();
    expect(compile(Params, 'params')({ cameraId: '1', segment: '../etc/passwd' }).error).toBeDefined();
  });

  it('does not change the request object it was given', () => {
    const params = { cameraId: '9', segment: 's1.ts' };
    compile(Params, 'params')(params);
    expect(params.cameraId).toBe('9');
  });

  it('checks bodies as they are: JSON already has types', () => {
    const Body = Type.Object({ n: Type.Integer() });
    expect(compile(Body, 'body')({ n: 3 })).toEqual({ value: { n: 3 } });
    expect(compile(Body, 'body')({ n: '3' }).error).toBeDefined();
  });

  it('falls back to TypeBox conversion for other shapes', () => {
    const Ids = Type.Object({ ids: Type.Array(Type.Integer()) });
    expect(compile(Ids, 'querystring')({ ids: ['1', '2'] })).toEqual({ value: { ids: [1, 2] } });
  });
});
