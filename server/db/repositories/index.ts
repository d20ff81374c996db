import type { Secrets } from '../../security/secrets';
import type { Database } from '../database';
import { AuditRepository } from './audit';
import { CameraRepository } from './cameras';
import { CatalogueRepository } from './catalogue';
import { DiscoveryRepository } from './discovery';
import { HealthRepository } from './health';
import { DangerRepository } from './dangers';
import { DangerStatsRepository } from './dangers-stats';
import { EventRepository } from './events';
import { LayoutPushRepository } from './layout-pushes';
import { LayoutRepository } from './layouts';
import { MaintenanceRepository } from './maintenance';
import { AvailabilityRepository } from './availability';
import { MapRepository } from './map';
import { NetworkRepository } from './networks';
import { OrgUnitRepository } from './org-units';
import { PatrolRepository } from './patrol';
import { ResidentReportRepository } from './resident-reports';
import { PtzTourRepository } from './ptz-tours';
import { PushKeyRepository } from './push-keys';
import { RecordingRepository } from './recordings';
import { SessionRepository } from './sessions';
import { ShareLinkRepository } from './share-links';
import { TaskRepository } from './tasks';
import { UserRepository } from './users';

export interface Repositories {
  orgUnits: OrgUnitRepository;
  cameras: CameraRepository;
  networks: NetworkRepository;
  users: UserRepository;
  sessions: SessionRepository;
  audit: AuditRepository;
  events: EventRepository;
  catalogue: CatalogueRepository;
  discovery: DiscoveryRepository;
  health: HealthRepository;
  tasks: TaskRepository;
  dangers: DangerRepository;
  dangerStats: DangerStatsRepository;
  layoutPushes: LayoutPushRepository;
  layouts: LayoutRepository;
  shareLinks: ShareLinkRepository;
  maintenance: MaintenanceRepository;
  availability: AvailabilityRepository;
  patrol: PatrolRepository;
  residentReports: ResidentReportRepository;
  ptzTours: PtzTourRepository;
  recordings: RecordingRepository;
  map: MapRepository;
  pushKeys: PushKeyRepository;
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
    catalogue: new CatalogueRepository(db, orgUnits, secrets),
    discovery: new DiscoveryRepository(db, secrets),
    health: new HealthRepository(db, secrets),
    tasks: new TaskRepository(db),
    dangers: new DangerRepository(db),
    dangerStats: new DangerStatsRepository(db),
    layoutPushes: new LayoutPushRepository(db),
    layouts: new LayoutRepository(db),
    shareLinks: new ShareLinkRepository(db),
    maintenance: new MaintenanceRepository(db),
    availability: new AvailabilityRepository(db),
    patrol: new PatrolRepository(db),
    residentReports: new ResidentReportRepository(db),
    ptzTours: new PtzTourRepository(db),
    recordings: new RecordingRepository(db),
    map: new MapRepository(db),
    pushKeys: new PushKeyRepository(db),
  };
}
