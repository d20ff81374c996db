// Records as the API shows them. The repositories return rows with the paths and file hashes that decide who
// sees what; this drops those, adds what is derived from workflow rules (`overdue`) and the addresses of the
// routes serving the images — the one place those URLs are written.
import type { Danger, DangerClip, TaskSummary, TaskWithDanger } from '../contracts/dispatch';
import type { DangerRecord } from '../db/repositories/dangers';
import type { DangerClipRow } from '../db/repositories/recordings';
import type { TaskHeadlineRecord, TaskRecord } from '../db/repositories/tasks';
import { isOpen } from '../domain/task-workflow';

export const evidenceUrl = (dangerId: number): string => `/api/dangers/${dangerId}/evidence`;
export const feedbackPhotoUrl = (taskId: number): string => `/api/dispatch/tasks/${taskId}/photo`;
export const closureFrameUrl = (taskId: number): string => `/api/dispatch/tasks/${taskId}/closure-frame`;

/** Marked by the overdue scanner and still someone's job. */
export function isOverdue(task: Pick<TaskRecord, 'overdueAt' | 'status'>): boolean {
  return task.overdueAt !== null && isOpen(task.status);
}

export function taskSummary({ fromPath: _f, toPath: _t, feedbackPhotoSha256: photo, closureFrameSha256: frame, ...task }: TaskRecord): TaskSummary {
  return {
    ...task,
    overdue: isOverdue(task),
    feedbackPhotoUrl: photo ? feedbackPhotoUrl(task.id) : null,
    closureFrameUrl: frame ? closureFrameUrl(task.id) : null,
  };
}

export function publicDanger(
  { orgPath: _p, ownerUnitId: _o, ownerPath: _op, ownerUnitName: _on, currentTaskId: _c, ...danger }: DangerRecord,
  task: TaskSummary | null,
): Danger {
  return { ...danger, evidenceUrl: evidenceUrl(danger.id), task };
}

/** A task with its danger's headline, as task lists show it. */
export function taskWithDanger({ category, severity, cameraId, cameraName, address, ...task }: TaskHeadlineRecord): TaskWithDanger {
  return { ...taskSummary(task), category, severity, cameraId, cameraName, address, evidenceUrl: evidenceUrl(task.dangerId) };
}

/** A tag's video clip as the API shows it: played through the playback route, which checks the camera's scope. */
export function presentClip(c: DangerClipRow | undefined): DangerClip | null {
  if (!c) return null;
  const from = new Date(c.startMs).toISOString();
  const to = new Date(c.endMs).toISOString();
  return {
    cameraId: c.cameraId, from, to, state: c.state, sha256: c.sha256, bytes: c.bytes,
    playlistUrl: `/playback/${c.cameraId}/index.m3u8?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
  };
}
