// 设备管理 (admin, county operator, township officer): the camera catalogue of the user's area, ONVIF discovery,
// catalogue import, RTSP cameras by URL, push (RTMP) devices for administrators and the org units (组织机构: read by all three, changed by administrators),
// as sub-tabs. Loaded lazily from the console page.
import { useState, type ReactNode } from 'react';
import type { User } from '../api/http';
import { CameraList } from '../components/devices/camera-list';
import { DiscoveryPanel } from '../components/devices/discovery-panel';
import { ImportPanel } from '../components/devices/import-panel';
import { PushPanel } from '../components/devices/push-panel';
import { RtspPanel } from '../components/devices/rtsp-panel';
import { OrgPanel } from '../components/org/org-panel';
import { useI18n } from '../hooks/use-i18n';
import '../styles/stats.css';
import '../styles/devices.css';
import '../styles/org.css';
import '../styles/share-links.css';

const TABS = ['cameras', 'discovery', 'import', 'rtsp', 'mobile', 'org'] as const;
type Tab = (typeof TABS)[number];
/** 移动视频 keys are an administrator's business (the API says so too). */
const ADMIN_TABS: ReadonlySet<Tab> = new Set(['mobile']);

export function DevicesView({ role }: { role: User['role'] }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('cameras');
  return (
    <section className="page-view devices-view" data-testid="devices-view" aria-label={t('nav.devices')}>
      <nav className="devices-tabs" role="tablist">
        {TABS.filter((k) => role === 'admin' || !ADMIN_TABS.has(k)).map((k) => (
          <button key={k} type="button" role="tab" className="devices-tab" data-tab={k} aria-selected={tab === k} onClick={() => setTab(k)}>
            {t(`devices.tab.${k}`)}
          </button>
        ))}
      </nav>
      {/* Panels stay mounted once opened, so a running discovery keeps its progress across tab switches. */}
      <Panel show={tab === 'cameras'}><CameraList canEditRecording={role !== 'village_officer'} /></Panel>
      <Lazy show={tab === 'discovery'}><DiscoveryPanel /></Lazy>
      <Lazy show={tab === 'import'}><ImportPanel /></Lazy>
      <Lazy show={tab === 'rtsp'}><RtspPanel /></Lazy>
      {role === 'admin' && <Lazy show={tab === 'mobile'}><PushPanel /></Lazy>}
      <Lazy show={tab === 'org'}><OrgPanel canEdit={role === 'admin'} /></Lazy>
    </section>
  );
}

function Panel({ show, children }: { show: boolean; children: ReactNode }) {
  return <div className="devices-panel" hidden={!show}>{children}</div>;
}

function Lazy({ show, children }: { show: boolean; children: ReactNode }) {
  const [opened, setOpened] = useState(show);
  if (show && !opened) setOpened(true);
  return opened ? <Panel show={show}>{children}</Panel> : null;
}
