import { describe, expect, it } from 'vitest';
import type { TaskAction } from '../../server/contracts/dispatch';
import {
  authorizeDangerDispatch, authorizeSend, authorizeTaskAction, canSeeTask, checkTerritory, type Actor, type UnitRef,
} from '../../server/dispatch/permissions';
import { ACTION_SIDE } from '../../server/domain/task-workflow';

const county: UnitRef = { id: 1, name: '安澜县', level: 'county', path: '/1/', parentId: null };
const chengguan: UnitRef = { id: 2, name: '城关镇', level: 'township', path: '/1/2/', parentId: 1 };
const dongcheng: UnitRef = { id: 7, name: '东城街道', level: 'township', path: '/1/7/', parentId: 1 };
const dongfeng: UnitRef = { id: 8, name: '东风社区', level: 'village', path: '/1/7/8/', parentId: 7 };
const qianjin: UnitRef = { id: 9, name: '前进村', level: 'village', path: '/1/7/9/', parentId: 7 };
const compound: UnitRef = { id: 12, name: '东城小区', level: 'compound', path: '/1/7/8/12/', parentId: 8 };
const cgVillage: UnitRef = { id: 3, name: '城关某村', level: 'village', path: '/1/2/3/', parentId: 2 };

const actor = (unit: UnitRef): Actor => ({ userId: 1, username: 'u', unit });
const countyTask = { fromUnitId: 1, fromPath: '/1/', fromUnitName: '安澜县', toUnitId: 7, toPath: '/1/7/', toUnitName: '东城街道' };
const villageTask = { fromUnitId: 7, fromPath: '/1/7/', fromUnitName: '东城街道', toUnitId: 8, toPath: '/1/7/8/', toUnitName: '东风社区' };

describe('seeing tasks', () => {
  it('the receiving unit and every unit above it see a task; siblings and children do not', () => {
    expect(canSeeTask(county.path, countyTask)).toBe(true);
    expect(canSeeTask(dongcheng.path, countyTask)).toBe(true);
    expect(canSeeTask(chengguan.path, countyTask)).toBe(false);
    expect(canSeeTask(dongfeng.path, countyTask)).toBe(false);
    expect(canSeeTask(dongfeng.path, villageTask)).toBe(true);
    expect(canSeeTask(qianjin.path, villageTask)).toBe(false);
  });
});

describe('acting on tasks', () => {
  const receiverActions = (Object.keys(ACTION_SIDE) as TaskAction[]).filter((a) => ACTION_SIDE[a] === 'receiver');

  it('only the receiving unit accepts, handles, re-dispatches, resolves or returns', () => {
    for (const a of receiverActions) {
      expect(() => authorizeTaskAction(actor(dongcheng), a, countyTask)).not.toThrow();
      expect(() => authorizeTaskAction(actor(county), a, countyTask)).toThrow(/Only 东城街道/);
      expect(() => authorizeTaskAction(actor(dongfeng), a, countyTask)).toThrow(/Only 东城街道/);
    }
  });

  it('only the dispatching unit closes or rejects', () => {
    for (const a of ['close', 'reject'] as const) {
      expect(() => authorizeTaskAction(actor(county), a, countyTask)).not.toThrow();
      expect(() => authorizeTaskAction(actor(dongcheng), a, countyTask)).toThrow(/Only 安澜县, which dispatched/);
      expect(() => authorizeTaskAction(actor(dongcheng), a, villageTask)).not.toThrow();
      expect(() => authorizeTaskAction(actor(county), a, villageTask)).toThrow(/Only 东城街道/);
    }
  });

  it('escalation is for the dispatching unit or any unit above it', () => {
    expect(() => authorizeTaskAction(actor(dongcheng), 'escalate', villageTask)).not.toThrow();
    expect(() => authorizeTaskAction(actor(county), 'escalate', villageTask)).not.toThrow();
    expect(() => authorizeTaskAction(actor(dongfeng), 'escalate', villageTask)).toThrow(/or a unit above it/);
  });
});

describe('sending down the tree', () => {
  it('county to its townships, township to its villages', () => {
    expect(authorizeSend(county, dongcheng, 7)).toBe(dongcheng);
    expect(authorizeSend(dongcheng, dongfeng, 8)).toBe(dongfeng);
  });

  it('a village cannot dispatch at all (403)', () => {
    expect(() => authorizeSend(dongfeng, compound, 12)).toThrow(expect.objectContaining({ statusCode: 403 }));
  });

  it('skipping a level or sending to a compound is a 400 on toUnitId', () => {
    expect(() => authorizeSend(county, dongfeng, 8)).toThrow(expect.objectContaining({ statusCode: 400, field: 'toUnitId' }));
  });

  it('a unit outside the sender’s scope, or the sender itself, answers as absent (404)', () => {
    expect(() => authorizeSend(dongcheng, cgVillage, 3)).toThrow(expect.objectContaining({ statusCode: 404, field: 'toUnitId' }));
    expect(() => authorizeSend(dongcheng, chengguan, 2)).toThrow(expect.objectContaining({ statusCode: 404 }));
    expect(() => authorizeSend(dongcheng, dongcheng, 7)).toThrow(expect.objectContaining({ statusCode: 404 }));
    expect(() => authorizeSend(dongcheng, undefined, 999)).toThrow(expect.objectContaining({ statusCode: 404 }));
  });

  it('属地: the receiving unit must contain the danger', () => {
    expect(() => checkTerritory(dongcheng, '/1/7/8/12/', '东城小区')).not.toThrow();
    expect(() => checkTerritory(chengguan, '/1/7/8/12/', '东城小区')).toThrow(expect.objectContaining({ statusCode: 400, field: 'toUnitId' }));
  });

  it('a danger is dispatched by the unit that reported it or one above', () => {
    expect(() => authorizeDangerDispatch(actor(county), '/1/7/', '东城街道')).not.toThrow();
    expect(() => authorizeDangerDispatch(actor(dongcheng), '/1/7/', '东城街道')).not.toThrow();
    expect(() => authorizeDangerDispatch(actor(dongcheng), '/1/', '安澜县')).toThrow(expect.objectContaining({ statusCode: 403 }));
  });
});
