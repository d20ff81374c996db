// The patrol being run on this wall: starting (or resuming) a run loads its next unmarked camera into a single
// tile, counts the seconds that camera's player actually plays, and marks it with the frame on screen; the wall
// moves on to the next camera. Pausing or completing hands the wall back.
import { useCallback, useEffect, useRef, useState, type Dispatch } from 'react';
import { describeError } from '../api/http';
import { patrolApi, type PatrolRunDetail } from '../api/patrol-api';
import type { WallAction } from '../components/wall/wall-state';
import type { Message } from '../i18n';
import { captureFrame } from '../lib/frame-capture';
import { nextUnmarked, startPlayedClock, tickPlayed, type PlayedClock } from '../lib/patrol-logic';
import { useI18n } from './use-i18n';

const POLL_MS = 250;

export interface PatrolRunControl {
  detail: PatrolRunDetail | null;
  /** The camera on the wall (index into detail.cameras), -1 once every camera is marked. */
  index: number;
  playedSec: number;
  busy: boolean;
  begin: (runId: number) => Promise<void>;
  select: (index: number) => void;
  mark: (result: 'normal' | 'abnormal', note?: string) => Promise<void>;
  /** A danger was tagged on the current camera (the tag dialog): record the mark that names it. */
  markDanger: (dangerId: number, frameJpeg: string | undefined) => Promise<void>;
  /** The frame on screen now, for the tag dialog. */
  currentFrame: () => string | undefined;
  pause: () => Promise<void>;
  complete: () => Promise<void>;
  /** 移交: a colleague takes the run over (paused, theirs to resume); this wall lets go of it. */
  handover: (toUserId: number, name: string) => Promise<void>;
}

const videoOf = (cameraId: number) => document.querySelector<HTMLVideoElement>(`video[data-camera-id="${cameraId}"]`);

export function usePatrolRun(dispatch: Dispatch<WallAction>, notify: (tone: 'alert' | 'warn' | 'info', message: Message) => void, onStarted: () => void): PatrolRunControl {
  const { t } = useI18n();
  const [detail, setDetail] = useState<PatrolRunDetail | null>(null);
  const [index, setIndex] = useState(-1);
  const [playedSec, setPlayedSec] = useState(0);
  const [busy, setBusy] = useState(false);
  const clock = useRef<PlayedClock>(startPlayedClock());
  const camera = detail && index >= 0 ? detail.cameras[index] : undefined;

  const fail = useCallback((err: unknown) => notify('warn', { key: 'patrol.error', params: { message: describeError(err, t) } }), [notify, t]);

  const show = useCallback((d: PatrolRunDetail, i: number) => {
    setIndex(i);
    clock.current = startPlayedClock();
    setPlayedSec(0);
    const cam = i >= 0 ? d.cameras[i] : undefined;
    if (cam) dispatch({ type: 'load', slots: [{ id: cam.id, name: cam.name, network: cam.network, orgUnitId: cam.orgUnitId }], layout: '1' });
  }, [dispatch]);

  const reload = useCallback(async (runId: number, move: boolean) => {
    const d = await patrolApi.run(runId);
    setDetail(d);
    if (move) show(d, nextUnmarked(d.cameras.map((c) => c.id), new Set(d.marks.map((m) => m.cameraId))));
    return d;
  }, [show]);

  // Seconds actually played, from the player's clock (proof of viewing).
  useEffect(() => {
    if (!camera) return;
    const timer = setInterval(() => {
      const video = videoOf(camera.id);
      if (!video) return;
      clock.current = tickPlayed(clock.current, video.currentTime, video.paused || video.readyState < 3);
      setPlayedSec(clock.current.played);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [camera]);

  const run = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }, [fail]);

  const begin = useCallback((runId: number) => run(async () => {
    const d = await patrolApi.run(runId);
    if (d.run.state === 'due') await patrolApi.act(runId, 'start');
    else if (d.run.state === 'paused') await patrolApi.act(runId, 'resume');
    await reload(runId, true);
    onStarted();
  }), [run, reload, onStarted]);

  const currentFrame = useCallback(() => {
    const video = camera && videoOf(camera.id);
    try {
      return video ? captureFrame(video, 1280) : undefined;
    } catch {
      return undefined; // a dark camera has no frame: the mark goes without one
    }
  }, [camera]);

  const send = useCallback((body: { result: 'normal' | 'abnormal' | 'danger'; note?: string; dangerId?: number; frameJpeg?: string }) => run(async () => {
    if (!detail || !camera) return;
    await patrolApi.mark(detail.run.id, { cameraId: camera.id, playedSec: Math.round(clock.current.played * 10) / 10, ...body });
    await reload(detail.run.id, true);
  }), [run, detail, camera, reload]);

  const mark = useCallback((result: 'normal' | 'abnormal', note?: string) => send({ result, note, frameJpeg: currentFrame() }), [send, currentFrame]);
  const markDanger = useCallback((dangerId: number, frameJpeg: string | undefined) => send({ result: 'danger', dangerId, frameJpeg }), [send]);

  const leave = useCallback((action: 'pause' | 'complete') => run(async () => {
    if (!detail) return;
    await patrolApi.act(detail.run.id, action);
    notify('info', { key: action === 'complete' ? 'patrol.completed' : 'patrol.paused', params: { plan: detail.run.planName } });
    setDetail(null);
    setIndex(-1);
  }), [run, detail, notify]);

  const handover = useCallback((toUserId: number, name: string) => run(async () => {
    if (!detail) return;
    await patrolApi.act(detail.run.id, 'handover', { toUserId });
    notify('info', { key: 'patrol.handedOver', params: { plan: detail.run.planName, name } });
    setDetail(null);
    setIndex(-1);
  }), [run, detail, notify]);

  return {
    detail, index, playedSec, busy, begin, currentFrame, mark, markDanger, handover,
    select: useCallback((i: number) => detail && show(detail, i), [detail, show]),
    pause: useCallback(() => leave('pause'), [leave]),
    complete: useCallback(() => leave('complete'), [leave]),
  };
}
