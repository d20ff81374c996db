// The socket.io event map, shared by server (Server<ClientToServerEvents, ServerToClientEvents>)
// and web (Socket<ServerToClientEvents, ClientToServerEvents>). Types only: no runtime code here.
//
// Durable events carry `seq`, a number from the server's event log. A client remembers the last seq it handled
// and, after a reconnect, asks `events:since` for everything after it, so nothing is lost across reconnects.
import type { CameraStatus, User } from './api';
import type { DiscoveryJobState, DiscoveryResult } from './catalogue';
import type { DangerStatus, Severity, TaskAction, TaskStatus } from './dispatch';
import type { TicketAction, TicketOrigin, TicketState } from './maintenance';
import type { PatrolRunAction, PatrolRunState } from '../domain/patrol-rules';
import type { PtzHolderInfo } from './ptz';

export interface Sequenced {
  seq: number;
}

export interface CameraStatusEvent extends Sequenced {
  cameraId: number;
  orgUnitId: number;
  /** The camera's unit and its ancestors, root first: lets a tree adjust every open node's online count. */
  orgUnitPath: number[];
  previousStatus: CameraStatus;
  status: CameraStatus;
  reason: string | null;
  lastSeenAt: string | null;
}

/** A hidden danger was tagged; goes to the danger's unit (where the camera is) and every unit above it. */
export interface DangerCreatedEvent extends Sequenced {
  dangerId: number;
  cameraId: number;
  cameraName: string;
  orgUnitId: number;
  category: string;
  severity: Severity;
  capturedAt: string;
  createdBy: string;
  /** resident: a resident's report through a share link (随手拍); absent in events logged before #21 = staff. */
  origin?: 'staff' | 'resident';
}

/** 复查: a danger's re-check came due (to the re-checking unit and above), or was passed or failed (to everyone who
 * sees the danger; a failed one is reopened: `dangerStatus` returned). */
export interface DangerRecheckEvent extends Sequenced {
  dangerId: number;
  stage: 'due' | 'passed' | 'failed';
  recheckUnitId: number;
  cameraName: string;
  category: string;
  dueAt: string;
  dangerStatus: DangerStatus;
  /** Who gave the verdict; null for the scanner's "due". */
  actor: string | null;
  at: string;
}

/** A task arrived at `toUnitId` (派单 or 转派): the receiving wall shows a toast with sound and bumps its badge. */
export interface TaskReceivedEvent extends Sequenced {
  taskId: number;
  dangerId: number;
  parentTaskId: number | null;
  fromUnitId: number;
  fromUnitName: string;
  toUnitId: number;
  toUnitName: string;
  category: string;
  severity: Severity;
  deadline: string;
  note: string;
  sentBy: string;
}

/** A task changed state; `action` is 'cascade' when it followed from its parent's or child's change. */
export interface TaskStatusEvent extends Sequenced {
  taskId: number;
  dangerId: number;
  fromUnitId: number;
  toUnitId: number;
  action: TaskAction | 'cascade';
  status: TaskStatus;
  dangerStatus: DangerStatus;
  actor: string;
  at: string;
  note: string;
}

/** An open task passed its deadline (marked once by the overdue scanner). */
export interface TaskOverdueEvent extends Sequenced {
  taskId: number;
  dangerId: number;
  fromUnitId: number;
  toUnitId: number;
  toUnitName: string;
  status: TaskStatus;
  deadline: string;
}

/** 视频调度: cameras pushed to `toUnitId`'s wall, with who sent them and why. */
export interface LayoutPushedEvent extends Sequenced {
  pushId: number;
  fromUnitId: number;
  fromUnitName: string;
  toUnitId: number;
  toUnitName: string;
  sentBy: string;
  cameraIds: number[];
  note: string;
}

/** A catalogue import was committed: cameras and org units under the unit changed (refresh tree and lists). */
export interface CatalogueImportedEvent extends Sequenced {
  orgUnitId: number;
  added: number;
  updated: number;
  orgUnitsCreated: number;
  by: string;
}

/** Progress of an ONVIF discovery job; sent to the owner's unit a few times a second at most, and at the end. */
export interface DiscoveryProgressEvent extends Sequenced {
  jobId: number;
  orgUnitId: number;
  state: DiscoveryJobState;
  probed: number;
  total: number;
  found: number;
  failed: number;
}

/** One device of a discovery job, found and interrogated (or failed, with the reason). */
export interface DiscoveryResultEvent extends Sequenced {
  jobId: number;
  orgUnitId: number;
  result: DiscoveryResult;
}

/**
 * The org tree changed (组织机构): an open tree re-reads the units it shows, pickers forget what they cached. Sent to
 * the unit concerned and every unit above it; a move is sent twice, from the old parent up and from the unit's
 * new place up, so both sides of the tree hear it.
 */
export interface OrgChangedEvent extends Sequenced {
  action: 'create' | 'update' | 'move' | 'delete';
  orgUnitId: number;
  /** The unit's parent now (for a delete: the parent it had). */
  parentId: number | null;
  /** A move's previous parent. */
  previousParentId?: number;
  by: string;
}

/**
 * A maintenance ticket (运维工单) opened or changed: sent to the camera's unit and every unit above it, so whoever
 * can see the camera sees its ticket. `action` 'online' is the health checks seeing the camera again.
 */
export interface TicketChangedEvent extends Sequenced {
  ticketId: number;
  cameraId: number;
  cameraName: string;
  orgUnitId: number;
  network: string;
  state: TicketState;
  origin: TicketOrigin;
  action: TicketAction | 'open';
  unitName: string;
  actor: string;
  at: string;
}

/** 视频巡查: a run of a patrol plan fell due; the unit that runs it (and every unit above) hears it: toast and badge. */
export interface PatrolDueEvent extends Sequenced {
  runId: number;
  planId: number;
  planName: string;
  orgUnitId: number;
  dueAt: string;
  deadline: string;
  cameraCount: number;
}

/** A patrol run changed: started, paused, resumed, handed over, completed, or a camera was marked ('mark'). */
export interface PatrolStatusEvent extends Sequenced {
  runId: number;
  planId: number;
  orgUnitId: number;
  action: PatrolRunAction | 'mark';
  state: PatrolRunState;
  operator: string | null;
  marked: number;
  cameraCount: number;
  actor: string;
  at: string;
}

/** An open patrol run passed its deadline (flagged once, up the chain like an overdue task). */
export interface PatrolOverdueEvent extends Sequenced {
  runId: number;
  planId: number;
  planName: string;
  orgUnitId: number;
  orgUnitName: string;
  state: PatrolRunState;
  deadline: string;
}

/**
 * Who steers a PTZ camera (云台控制权) changed: every wall showing the camera shows "being steered by …"; the
 * previous holder of a take-over learns who took it. Sent to the camera's unit and every unit above it.
 */
export interface PtzLockEvent extends Sequenced {
  cameraId: number;
  orgUnitId: number;
  holder: PtzHolderInfo | null;
  reason: 'take' | 'release' | 'take-over' | 'idle';
  /** Who held it before a take-over or an idle expiry (null otherwise). */
  previous: { userId: number; name: string } | null;
}

/** Events that go through the event log (every server → client event but the session greeting). */
export interface DurableEvents {
  'camera:status': (payload: CameraStatusEvent) => void;
  'catalogue:imported': (payload: CatalogueImportedEvent) => void;
  'discovery:progress': (payload: DiscoveryProgressEvent) => void;
  'discovery:result': (payload: DiscoveryResultEvent) => void;
  'danger:created': (payload: DangerCreatedEvent) => void;
  'danger:recheck': (payload: DangerRecheckEvent) => void;
  'task:received': (payload: TaskReceivedEvent) => void;
  'task:status': (payload: TaskStatusEvent) => void;
  'task:overdue': (payload: TaskOverdueEvent) => void;
  'layout:pushed': (payload: LayoutPushedEvent) => void;
  'org:changed': (payload: OrgChangedEvent) => void;
  'ticket:changed': (payload: TicketChangedEvent) => void;
  'patrol:due': (payload: PatrolDueEvent) => void;
  'patrol:status': (payload: PatrolStatusEvent) => void;
  'patrol:overdue': (payload: PatrolOverdueEvent) => void;
  'ptz:lock': (payload: PtzLockEvent) => void;
}

export interface ServerToClientEvents extends DurableEvents {
  /** Sent once after connecting: who the server thinks you are, and the newest seq at that moment. */
  'session:ready': (payload: { user: User; lastSeq: number }) => void;
}

export type DurableEventName = keyof DurableEvents;
export type EventPayload<E extends DurableEventName> = Parameters<DurableEvents[E]>[0];
export type DurableEvent = { [E in DurableEventName]: { event: E; payload: EventPayload<E> } }[DurableEventName];

export interface ReplayResult {
  events: DurableEvent[];
  /** True when more than one page was missed: call again with the last seq received. */
  more: boolean;
}

export interface ClientToServerEvents {
  /** Liveness check with acknowledgement; also used by tests to measure round trips. */
  ping: (ack: (payload: { serverTime: string }) => void) => void;
  /** Everything visible to this user with seq greater than `since`, oldest first, at most 500 per call. */
  'events:since': (since: number, ack: (result: ReplayResult) => void) => void;
}

/**
 * Between gateway nodes on one PostgreSQL (server/db/socket-adapter.ts): an event that one node committed and
 * delivered to its own sockets, for every other node to deliver to theirs.
 */
export interface InterServerEvents {
  'cluster:event': (orgPath: string, event: DurableEventName, payload: unknown) => void;
}

export interface SocketData {
  user: User;
  /** Path of the user's org unit, e.g. "/1/3/": a socket may only hear about units at or below it. */
  scopePath: string;
  /** The public id of the session the socket signed in with: ending that session disconnects it. */
  sessionId: string;
}
