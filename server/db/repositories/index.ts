import type { Secrets } from '../../security/secrets';
import type { Database } from '../database';
import { AuditRepository } from './audit';
import { CameraRepository } from './cameras';
import { EventRepository } from './events';
import { NetworkRepository } from './networks';
import { OrgUnitRepository } from './org-units';
import { SessionRepository } from './sessions';
import { UserRepository } from './users';

export interface Repositories {
  orgUnits: OrgUnitRepository;
  cameras: CameraRepository;
  networks: NetworkRepository;
  users: UserRepository;
  sessions: SessionRepository;
  audit: AuditRepository;
  events: EventRepository;
}

export function createRepositories(db: Database, secrets: Secrets): Repositories {
  const orgUnits = new OrgUnitRepository(db);
  return {
    orgUnits,
    cameras: new CameraRepository(db, orgUnits, secrets),
    networks: new NetworkRepository(db),
    users: new UserRepository(db),
    sessions: new SessionRepository(db),
    audit: new AuditRepository(db),
    events: new EventRepository(db),
  };
}
