// A use case's writes, its audit row and its events in one transaction. Each event is appended to the event log
// inside the transaction (so a reconnecting client can replay it) and pushed to sockets only after COMMIT, so no
// client ever hears about a change that was rolled back. Every service that writes and publishes goes through here.
import type { DurableEventName, EventPayload } from '../contracts/events';
import type { Database, Queryable } from './database';

/** The event log and the push (the realtime plugin implements it). */
export interface Publisher {
  record<E extends DurableEventName>(tx: Queryable, orgPath: string, event: E, payload: Omit<EventPayload<E>, 'seq'>): Promise<EventPayload<E>>;
  emit<E extends DurableEventName>(orgPath: string, event: E, payload: EventPayload<E>): void;
}

/** Logs an event in the current transaction; it is pushed to everyone who may see `orgPath` after the commit. */
export type Publish = <E extends DurableEventName>(orgPath: string, event: E, payload: Omit<EventPayload<E>, 'seq'>) => Promise<EventPayload<E>>;

export async function atomically<T>(db: Database, publisher: Publisher, work: (tx: Queryable, publish: Publish) => Promise<T>): Promise<T> {
  const pushes: Array<() => void> = [];
  const result = await db.transaction((tx) =>
    work(tx, async (orgPath, event, payload) => {
      const stamped = await publisher.record(tx, orgPath, event, payload);
      pushes.push(() => publisher.emit(orgPath, event, stamped));
      return stamped;
    }),
  );
  for (const push of pushes) push();
  return result;
}
