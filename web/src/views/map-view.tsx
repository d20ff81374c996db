// 电子地图: the area's cameras (server-side grid clusters zoomed out, points zoomed in), open dangers and unit
// boundaries with counts on an offline map. Leaflet draws everything on one canvas (preferCanvas); without a tile
// server configured nothing is fetched but the gateway's own API (unit shapes, roads and water as GeoJSON).
// Its own lazy chunk: Leaflet loads the first time the map is opened.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Network } from '../api/http';
import { mapApi, type MapCameras, type MapConfig, type MapDanger, type MapSearchHit, type MapUnit } from '../api/map-api';
import { dispatchApi } from '../api/dispatch-api';
import { describeError } from '../api/http';
import { CAMERA_MIME, readCamera } from '../components/tree/drag';
import type { TileCamera } from '../components/wall/wall-state';
import { useI18n } from '../hooks/use-i18n';
import {
  boxToStored, clampBox, clusterColor, clusterRadius, percent, pointInPolygon, SEVERITY_COLORS, SEVERITY_WEIGHT, STATUS_COLORS, toDisplay, toStored,
} from '../lib/map-logic';
import '../styles/map.css';
import { heatLayer, type HeatLayer } from './map-heat';

/** Cameras a box selection opens on the wall at most (the largest wall layout). */
export const MAX_OPEN = 16;
const DANGER_DAYS = [7, 30, 90] as const;

interface Props {
  networks: Network[];
  /** An administrator may drop a camera from the tree onto the map to put it there (audited camera.place). */
  canPlace: boolean;
  /** A camera to fly to and open (the tree's double-click). */
  focus: TileCamera | null;
  /** The tree's network chip (null: all): the map filters on the same state, it has no network select of its own. */
  network: string | null;
  /** The unit selected in the tree: the map filters to it and shows it. */
  treeUnit: { id: number; name: string } | null;
  onOpen: (camera: TileCamera) => void;
  onOpenMany: (cameras: TileCamera[]) => void;
  onPush: (cameraIds: number[]) => void;
  /** A danger clicked on the map: its drawer opens. */
  onDanger: (dangerId: number) => void;
}

type Status = 'online' | 'offline' | 'unknown';

interface Filters {
  status: '' | Status;
  unitId: number | null;
}

/**
 * Leaflet's canvas renderer, also writing a circle's `label` (a cluster's count) in its middle. Counts as DOM
 * tooltips cost a forced layout each when hundreds are re-added after a move (zoom fell to ~12 fps in bench:map).
 */
const LabelledCanvas = L.Canvas.extend({
  _updateCircle(this: { _ctx: CanvasRenderingContext2D }, layer: L.CircleMarker & { _point: L.Point; _empty(): boolean }) {
    (L.Canvas.prototype as unknown as { _updateCircle(l: unknown): void })._updateCircle.call(this, layer);
    const label = (layer.options as { label?: string }).label;
    if (!label || layer._empty()) return;
    const ctx = this._ctx;
    ctx.save();
    ctx.fillStyle = '#fff';
    ctx.font = '600 11px sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(label, layer._point.x, layer._point.y);
    ctx.restore();
  },
}) as unknown as new (options?: L.RendererOptions) => L.Canvas;

declare global {
  interface Window {
    /** The map instance, for the e2e test and bench:map to drive (pan, project a point to pixels). */
    __cvcMap?: L.Map;
  }
}

export function MapView({ networks, canPlace, focus, treeUnit, network, onOpen, onOpenMany, onPush, onDanger }: Props) {
  const { t, lang } = useI18n();
  const el = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const layers = useRef<{ cameras: L.LayerGroup; dangers: L.LayerGroup; units: L.LayerGroup; base: L.LayerGroup; heat: HeatLayer } | null>(null);
  const [config, setConfig] = useState<MapConfig | null>(null);
  const [filters, setFilters] = useState<Filters>({ status: '', unitId: null });
  const [show, setShow] = useState({ boundaries: true, dangers: true, heat: false, roads: true });
  // 近 N 天, all time (null), or a chosen range of days ('custom': from/to as yyyy-mm-dd, both ends included).
  const [dangerDays, setDangerDays] = useState<number | 'custom' | null>(30);
  const [dangerRange, setDangerRange] = useState({ from: '', to: '' });
  const [units, setUnits] = useState<MapUnit[]>([]);
  const [view, setView] = useState(0);
  const [stats, setStats] = useState<{ mode: string; total: number; shown: number; truncated: boolean } | null>(null);
  /** Danger rings drawn from the last answer (the page and its tests know when they are there to click). */
  const [dangersDrawn, setDangersDrawn] = useState(0);
  const [tool, setTool] = useState<'box' | 'lasso' | null>(null);
  const [selection, setSelection] = useState<TileCamera[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<MapSearchHit[] | null>(null);
  const networkMap = useMemo(() => new Map(networks.map((n) => [n.key, n])), [networks]);
  const system = config?.coordSystem ?? 'wgs84';
  const ll = useCallback((lng: number, lat: number) => {
    const p = toDisplay({ lng, lat }, system);
    return L.latLng(p.lat, p.lng);
  }, [system]);

  useEffect(() => {
    const ctl = new AbortController();
    mapApi.config(ctl.signal).then(setConfig).catch(() => undefined);
    mapApi.units(undefined, ctl.signal).then((u) => setUnits(u.units)).catch(() => undefined);
    return () => ctl.abort();
  }, []);

  // The map itself, once the configuration is known.
  useEffect(() => {
    if (!config || !el.current) return;
    const map = L.map(el.current, { preferCanvas: true, renderer: new LabelledCanvas(), zoomControl: true, attributionControl: !!config.attribution, maxZoom: config.maxZoom, boxZoom: false });
    // An intranet tile server ('xyz') or the gateway's own PMTiles archive ('pmtiles', same origin): both are an
    // XYZ template; the archive's deepest zoom is scaled up beyond it rather than asked for.
    if (config.baseMap !== 'none' && config.tileUrl) {
      L.tileLayer(config.tileUrl, {
        maxZoom: config.maxZoom, attribution: config.attribution,
        ...(config.tileZooms ? { minNativeZoom: config.tileZooms[0], maxNativeZoom: config.tileZooms[1] } : {}),
      }).addTo(map);
    }
    const group = { base: L.layerGroup().addTo(map), units: L.layerGroup().addTo(map), dangers: L.layerGroup().addTo(map), cameras: L.layerGroup().addTo(map), heat: heatLayer() };
    layers.current = group;
    mapRef.current = map;
    window.__cvcMap = map;
    const [w, s, e, n] = config.extent ?? [73, 18, 135, 54];
    const sw = toDisplay({ lng: w, lat: s }, config.coordSystem);
    const ne = toDisplay({ lng: e, lat: n }, config.coordSystem);
    map.fitBounds(L.latLngBounds([sw.lat, sw.lng], [ne.lat, ne.lng]), { padding: [8, 8] });
    const moved = () => setView((v) => v + 1);
    map.on('moveend', moved);
    // Offline ground: roads and water from the gateway (never from elsewhere).
    for (const key of config.layers) {
      mapApi.layer(key).then((fc) => {
        L.geoJSON(fc, {
          interactive: false,
          coordsToLatLng: (c) => ll(c[0], c[1]),
          style: (f) => f?.properties?.kind === 'river'
            ? { color: '#5eb1ef', weight: 4, opacity: 0.7 }
            : f?.properties?.kind === 'highway' ? { color: '#c2a46b', weight: 3, opacity: 0.8 } : { color: '#b8a98a', weight: 1.5, opacity: 0.7 },
        }).addTo(group.base);
      }).catch(() => undefined);
    }
    return () => {
      map.off('moveend', moved);
      map.remove();
      mapRef.current = null;
      layers.current = null;
      if (window.__cvcMap === map) delete window.__cvcMap;
    };
  }, [config, ll]);

  // Layer toggles.
  useEffect(() => {
    const map = mapRef.current;
    const g = layers.current;
    if (!map || !g) return;
    for (const [on, layer] of [[show.roads, g.base], [show.boundaries, g.units], [show.dangers, g.dangers], [show.heat, g.heat]] as const) {
      if (on && !map.hasLayer(layer)) layer.addTo(map);
      if (!on && map.hasLayer(layer)) map.removeLayer(layer);
    }
  }, [show, config]);

  // Unit boundaries with counts on hover.
  useEffect(() => {
    const g = layers.current;
    if (!g) return;
    g.units.clearLayers();
    for (const u of units) {
      if (!u.geometry) continue;
      const name = lang === 'en' && u.nameEn ? u.nameEn : u.name;
      const tip = t('map.unitTip', { name, cameras: u.cameraCount, rate: percent(u.onlineCount, u.cameraCount), dangers: u.openDangers });
      const active = filters.unitId === u.id;
      L.geoJSON(u.geometry as GeoJSON.Geometry, {
        coordsToLatLng: (c) => ll(c[0], c[1]),
        style: { color: active ? '#3e63dd' : '#6f6e77', weight: active ? 2.5 : 1.2, fillColor: '#3e63dd', fillOpacity: active ? 0.08 : 0.02, dashArray: active ? undefined : '4 3' },
      }).bindTooltip(tip, { sticky: true, className: 'map-unit-tip' }).addTo(g.units);
      if (u.label) L.marker(ll(u.label[0], u.label[1]), { interactive: false, icon: L.divIcon({ className: 'map-unit-label', html: escapeHtml(name), iconSize: undefined }) }).addTo(g.units);
    }
  }, [units, filters.unitId, ll, lang, t, config]);

  const openCamera = useCallback(async (id: number, at: L.LatLng) => {
    const map = mapRef.current;
    if (!map) return;
    const div = document.createElement('div');
    div.className = 'map-popup';
    div.dataset.testid = 'map-popup';
    L.popup({ maxWidth: 280 }).setLatLng(at).setContent(div).openOn(map);
    try {
      const c = await dispatchApi.camera(id);
      const net = networkMap.get(c.network);
      div.innerHTML = `<div class="map-popup-title">${escapeHtml(c.name)}</div>
        <img class="map-popup-snap" alt="" src="/api/cameras/${c.id}/snapshot.jpg" />
        <div class="map-popup-row"><span class="map-dot" style="background:${STATUS_COLORS[c.status]}"></span>${escapeHtml(t(`map.status.${c.status}`))}
        · ${escapeHtml(net ? (lang === 'en' ? net.nameEn : net.name) : c.network)}</div>`;
      // A camera that gives no snapshot (offline, no snapshot URL): say so instead of a broken image.
      const img = div.querySelector('img')!;
      img.onerror = () => {
        const note = document.createElement('div');
        note.className = 'map-popup-snap muted';
        note.textContent = t('map.popup.noSnapshot');
        img.replaceWith(note);
      };
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'btn small primary';
      button.dataset.testid = 'map-open-on-wall';
      button.textContent = t('map.openOnWall');
      button.onclick = () => onOpen({ id: c.id, name: c.name, network: c.network, orgUnitId: c.orgUnitId });
      div.appendChild(button);
    } catch {
      div.textContent = t('error.notFound');
    }
  }, [lang, networkMap, onOpen, t]);

  // Cameras in view: clusters or points, refetched after every move and filter change.
  useEffect(() => {
    const map = mapRef.current;
    const g = layers.current;
    if (!map || !g || !config) return;
    const ctl = new AbortController();
    const b = map.getBounds();
    const box = clampBox(boxToStored([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], system));
    const zoom = Math.round(map.getZoom());
    mapApi.cameras({
      west: box[0], south: box[1], east: box[2], north: box[3], zoom,
      ...(network ? { network } : {}), ...(filters.status ? { status: filters.status } : {}),
      ...(filters.unitId ? { orgUnitId: filters.unitId } : {}),
    }, ctl.signal).then((res: MapCameras) => {
      g.cameras.clearLayers();
      const point = (id: number, lng: number, lat: number, network: string, status: Status) => {
        const m = L.circleMarker(ll(lng, lat), {
          radius: 6, weight: 2, color: STATUS_COLORS[status], fillColor: networkMap.get(network)?.color ?? '#888', fillOpacity: status === 'offline' ? 0.35 : 0.9,
        });
        m.on('click', (e) => void openCamera(id, e.latlng));
        m.addTo(g.cameras);
      };
      for (const c of res.clusters) {
        if (c.count === 1 && c.id) {
          point(c.id, c.lng, c.lat, c.network ?? '', c.status ?? 'unknown');
          continue;
        }
        // The count is drawn on the bubble by LabelledCanvas; the online share is its colour.
        const m = L.circleMarker(ll(c.lng, c.lat), {
          radius: clusterRadius(c.count), weight: 2, color: '#fff', fillColor: clusterColor(c.count, c.online), fillOpacity: 0.85, label: String(c.count),
        } as L.CircleMarkerOptions);
        m.on('click', () => map.flyTo(m.getLatLng(), Math.min(zoom + 2, config.maxZoom)));
        m.addTo(g.cameras);
      }
      for (const p of res.points) point(p.id, p.lng, p.lat, p.network, p.status);
      setStats({ mode: res.mode, total: res.total, shown: res.clusters.length + res.points.length, truncated: res.truncated });
    }).catch(() => undefined);
    return () => ctl.abort();
  }, [view, filters, network, config, system, ll, networkMap, openCamera, t]);

  // Dangers in view over the chosen range: rings by severity and/or the heat view (one answer feeds both).
  useEffect(() => {
    const map = mapRef.current;
    const g = layers.current;
    if (!map || !g || !config || (!show.dangers && !show.heat)) return;
    const ctl = new AbortController();
    // A little beyond the view, so dangers just outside still warm its edge.
    const b = map.getBounds().pad(0.15);
    const box = clampBox(boxToStored([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], system));
    const range = dangerSpan(dangerDays, dangerRange);
    mapApi.dangers({ west: box[0], south: box[1], east: box[2], north: box[3], ...range, ...(filters.unitId ? { orgUnitId: filters.unitId } : {}) }, ctl.signal)
      .then((res) => {
        g.dangers.clearLayers();
        const items = res.items as MapDanger[];
        for (const d of items) {
          // A thin fill keeps the ring clickable inside (a canvas path without fill is hit only on its stroke).
          L.circleMarker(ll(d.lng, d.lat), { radius: 9, weight: 3, color: SEVERITY_COLORS[d.severity], fillColor: SEVERITY_COLORS[d.severity], fillOpacity: 0.15 })
            .bindTooltip(t('map.dangerTip', { id: d.id, category: d.category, severity: t(`map.severity.${d.severity}`), status: d.status }))
            .on('click', () => onDanger(d.id))
            .addTo(g.dangers);
        }
        g.heat.setPoints(items.map((d) => ({ at: ll(d.lng, d.lat), weight: SEVERITY_WEIGHT[d.severity] })));
        setDangersDrawn(show.dangers ? items.length : 0);
      }).catch(() => undefined);
    return () => ctl.abort();
  }, [view, filters.unitId, dangerDays, dangerRange, show.dangers, show.heat, config, system, ll, t, onDanger]);

  // Selection tools. Box: drag a rectangle. Lasso: draw a ring (points every few pixels, closed on release).
  // Either asks the server for the points of the shape's box (zoom 22 always answers points); the lasso keeps
  // those inside its ring. The shape is drawn in display coordinates and tested there, so a GCJ-02 base map
  // selects what the operator sees.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !tool) return;
    map.dragging.disable();
    let shape: L.Rectangle | L.Polygon | null = null;
    let ring: L.LatLng[] = [];
    let last: L.Point | null = null;
    const down = (e: L.LeafletMouseEvent) => {
      // A press released outside the map never saw its mouseup: drop that shape before starting anew.
      shape?.remove();
      ring = [e.latlng];
      last = e.containerPoint;
      shape = tool === 'box'
        ? L.rectangle(L.latLngBounds(e.latlng, e.latlng), { color: '#3e63dd', weight: 1, dashArray: '4 3' }).addTo(map)
        : L.polygon([e.latlng], { color: '#3e63dd', weight: 1.5, dashArray: '4 3', fillOpacity: 0.08 }).addTo(map);
    };
    const move = (e: L.LeafletMouseEvent) => {
      if (!shape || !last) return;
      if (shape instanceof L.Rectangle) return shape.setBounds(L.latLngBounds(ring[0], e.latlng));
      // A vertex every 4 px keeps a hand-drawn ring light (a few hundred points at most).
      if (e.containerPoint.distanceTo(last) < 4) return;
      last = e.containerPoint;
      ring.push(e.latlng);
      shape.setLatLngs(ring);
    };
    const up = async () => {
      if (!shape) return;
      const lasso = tool === 'lasso' ? ring.map((p) => ({ x: p.lng, y: p.lat })) : null;
      const b = shape.getBounds();
      shape.remove();
      shape = null;
      last = null;
      if (lasso && lasso.length < 3) return;
      const box = clampBox(boxToStored([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], system));
      const res = await mapApi.cameras({
        west: box[0], south: box[1], east: box[2], north: box[3], zoom: 22,
        ...(network ? { network } : {}), ...(filters.status ? { status: filters.status } : {}),
        ...(filters.unitId ? { orgUnitId: filters.unitId } : {}),
      });
      const inside = lasso
        ? res.points.filter((p) => {
          const at = toDisplay({ lng: p.lng, lat: p.lat }, system);
          return pointInPolygon({ x: at.lng, y: at.lat }, lasso);
        })
        : res.points;
      setSelection(inside.map((p) => ({ id: p.id, name: p.name, network: p.network, orgUnitId: p.orgUnitId })));
      // More than the points answer carries: say the selection is partial rather than let it pass as whole.
      if (res.truncated) setNotice(t('map.selectionTruncated', { count: res.points.length }));
      setTool(null);
    };
    map.on('mousedown', down);
    map.on('mousemove', move);
    map.on('mouseup', up);
    return () => {
      map.off('mousedown', down);
      map.off('mousemove', move);
      map.off('mouseup', up);
      shape?.remove();
      map.dragging.enable();
    };
  }, [tool, filters, network, system, t]);

  // The selection bar and notices take height from the map: let Leaflet measure its container again, without
  // panning, so what the operator just circled stays where it was drawn.
  useEffect(() => {
    mapRef.current?.invalidateSize({ pan: false });
  }, [selection, notice]);

  // Search: debounced, then a hit flies there (a camera opens its popup).
  useEffect(() => {
    const q = query.trim();
    if (!q) return setHits(null);
    const ctl = new AbortController();
    const timer = setTimeout(() => mapApi.search(q, ctl.signal).then((r) => setHits(r.hits)).catch(() => undefined), 250);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [query]);

  // The tree's double-click: fly to the camera and open it (a camera without a point cannot be shown).
  useEffect(() => {
    const map = mapRef.current;
    if (!focus || !map) return;
    const ctl = new AbortController();
    dispatchApi.camera(focus.id, ctl.signal).then((c) => {
      if (c.lat === null || c.lng === null) return setNotice(t('map.noPoint', { name: c.name }));
      const at = ll(c.lng, c.lat);
      map.flyTo(at, Math.max(map.getZoom(), config?.pointZoom ?? 15));
      map.once('moveend', () => void openCamera(c.id, at));
    }).catch(() => undefined);
    return () => ctl.abort();
  }, [focus, ll, config, openCamera, t]);

  // The tree's unit is the map's unit filter too (one selection for both); its boundary's box is flown to.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    setFilters((f) => (f.unitId === (treeUnit?.id ?? null) ? f : { ...f, unitId: treeUnit?.id ?? null }));
    if (!treeUnit) return;
    const ctl = new AbortController();
    mapApi.units(treeUnit.id, ctl.signal).then(({ parent }) => {
      if (!parent.bbox) return;
      const [w, s, e, n] = parent.bbox;
      map.flyToBounds(L.latLngBounds(ll(w, s), ll(e, n)), { padding: [10, 10] });
    }).catch(() => undefined);
    return () => ctl.abort();
  }, [treeUnit, ll, config]);

  const [dropOver, setDropOver] = useState(false);
  const onDrop = async (e: React.DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDropOver(false);
    const map = mapRef.current;
    const camera = readCamera(e.dataTransfer);
    if (!map || !camera) return;
    const at = map.mouseEventToLatLng(e.nativeEvent);
    const stored = toStored({ lng: at.lng, lat: at.lat }, system);
    try {
      await mapApi.place(camera.id, { lng: +stored.lng.toFixed(7), lat: +stored.lat.toFixed(7) });
      setNotice(t('map.placed', { name: camera.name }));
      setView((v) => v + 1);
    } catch (err) {
      setNotice(describeError(err, t));
    }
  };

  const fly = (hit: MapSearchHit) => {
    const map = mapRef.current;
    if (!map) return;
    setHits(null);
    if (hit.bbox) {
      const [w, s, e, n] = hit.bbox;
      map.flyToBounds(L.latLngBounds(ll(w, s), ll(e, n)), { padding: [20, 20] });
    } else if (hit.lng !== null && hit.lat !== null) {
      const at = ll(hit.lng, hit.lat);
      map.flyTo(at, Math.max(map.getZoom(), config?.pointZoom ?? 15));
      if (hit.kind === 'camera') map.once('moveend', () => void openCamera(hit.id, at));
      if (hit.kind === 'danger') onDanger(hit.id);
    }
  };

  const focusUnit = (id: number | null) => {
    setFilters((f) => ({ ...f, unitId: id }));
    const u = units.find((x) => x.id === id);
    if (u?.bbox && mapRef.current) {
      const [w, s, e, n] = u.bbox;
      mapRef.current.flyToBounds(L.latLngBounds(ll(w, s), ll(e, n)), { padding: [10, 10] });
    }
  };

  return (
    <div className="map-view" data-testid="map-view">
      <div className="map-toolbar">
        <div className="map-search">
          <input type="search" value={query} placeholder={t('map.search')} aria-label={t('map.search')} data-testid="map-search" onChange={(e) => setQuery(e.target.value)} />
          {hits && (
            <ul className="map-hits" data-testid="map-hits">
              {hits.length === 0 && <li className="muted">{t('map.searchNone')}</li>}
              {hits.map((h) => (
                <li key={`${h.kind}-${h.id}`}>
                  <button type="button" onClick={() => fly(h)} data-kind={h.kind}>
                    <span className="map-hit-kind">{t(`map.hit.${h.kind}`)}</span> {h.label} <span className="muted">{h.detail}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <select aria-label={t('map.filter.status')} value={filters.status} onChange={(e) => setFilters((f) => ({ ...f, status: e.target.value as Filters['status'] }))}>
          <option value="">{t('map.filter.allStatus')}</option>
          {(['online', 'offline', 'unknown'] as const).map((s) => <option key={s} value={s}>{t(`map.status.${s}`)}</option>)}
        </select>
        <select aria-label={t('map.filter.unit')} value={filters.unitId ?? ''} data-testid="map-unit" onChange={(e) => focusUnit(e.target.value ? Number(e.target.value) : null)}>
          <option value="">{t('map.filter.allUnits')}</option>
          {units.map((u) => <option key={u.id} value={u.id}>{lang === 'en' && u.nameEn ? u.nameEn : u.name}</option>)}
        </select>
        <select aria-label={t('map.dangers.range')} data-testid="map-danger-range" value={dangerDays ?? ''} onChange={(e) => {
          const v = e.target.value;
          setDangerDays(v === 'custom' ? 'custom' : v ? Number(v) : null);
        }}>
          {DANGER_DAYS.map((d) => <option key={d} value={d}>{t('map.dangers.days', { days: d })}</option>)}
          <option value="">{t('map.dangers.all')}</option>
          <option value="custom">{t('map.dangers.custom')}</option>
        </select>
        {dangerDays === 'custom' && (
          <>
            <input type="date" aria-label={t('map.dangers.from')} data-testid="map-danger-from" value={dangerRange.from} max={dangerRange.to || undefined} onChange={(e) => setDangerRange((r) => ({ ...r, from: e.target.value }))} />
            <input type="date" aria-label={t('map.dangers.to')} data-testid="map-danger-to" value={dangerRange.to} min={dangerRange.from || undefined} onChange={(e) => setDangerRange((r) => ({ ...r, to: e.target.value }))} />
          </>
        )}
        {(['boundaries', 'dangers', 'heat', 'roads'] as const).map((k) => (
          <label key={k} className="map-toggle">
            <input type="checkbox" data-testid={`map-layer-${k}`} checked={show[k]} onChange={(e) => setShow((s) => ({ ...s, [k]: e.target.checked }))} /> {t(`map.layer.${k}`)}
          </label>
        ))}
        <button type="button" className="btn small" aria-pressed={tool === 'box'} data-testid="map-select" title={t('map.selectHint')} onClick={() => setTool((s) => (s === 'box' ? null : 'box'))}>
          {t('map.select')}
        </button>
        <button type="button" className="btn small" aria-pressed={tool === 'lasso'} data-testid="map-lasso" title={t('map.lassoHint')} onClick={() => setTool((s) => (s === 'lasso' ? null : 'lasso'))}>
          {t('map.lasso')}
        </button>
        {stats && (
          <span className="muted map-stats" data-testid="map-stats" data-dangers={dangersDrawn} data-mode={stats.mode} data-shown={stats.shown} data-total={stats.total}>
            {t('map.total', { count: stats.total })}{stats.truncated ? t('map.truncated') : ''}
          </span>
        )}
      </div>
      {selection && (
        <div className="map-selection" data-testid="map-selection" data-count={selection.length}>
          <span>{t('map.selected', { count: selection.length })}</span>
          <button type="button" className="btn small primary" disabled={!selection.length} data-testid="map-open-selected" onClick={() => onOpenMany(selection.slice(0, MAX_OPEN))}>
            {t('map.openSelected', { count: Math.min(MAX_OPEN, selection.length) })}
          </button>
          <button type="button" className="btn small" disabled={!selection.length} data-testid="map-push-selected" onClick={() => onPush(selection.map((c) => c.id))}>
            {t('map.pushSelected')}
          </button>
          <button type="button" className="btn small ghost" onClick={() => setSelection(null)}>{t('map.clearSelection')}</button>
        </div>
      )}
      {notice && (
        <div className="map-selection" data-testid="map-notice" role="status">
          <span>{notice}</span>
          <button type="button" className="btn small ghost" onClick={() => setNotice(null)}>×</button>
        </div>
      )}
      <div
        ref={el}
        className={`map-canvas${tool ? ' selecting' : ''}${dropOver ? ' drop-over' : ''}`}
        data-testid="map-canvas"
        onDragOver={canPlace ? (e) => {
          if (!e.dataTransfer.types.includes(CAMERA_MIME)) return;
          e.preventDefault();
          setDropOver(true);
        } : undefined}
        onDragLeave={() => setDropOver(false)}
        onDrop={canPlace ? (e) => void onDrop(e) : undefined}
      />
    </div>
  );
}

/** The dangers API's from/to for the range control; local days, the last one included (to is exclusive). */
function dangerSpan(days: number | 'custom' | null, range: { from: string; to: string }): { from?: string; to?: string } {
  if (days === null) return {};
  if (days !== 'custom') return { from: new Date(Date.now() - days * 86_400_000).toISOString() };
  const day = (text: string, plus = 0) => {
    const d = new Date(`${text}T00:00:00`);
    d.setDate(d.getDate() + plus);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  };
  const from = range.from ? day(range.from) : undefined;
  const to = range.to ? day(range.to, 1) : undefined;
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
