// The heat view of open dangers: a Leaflet layer holding one canvas the size of the map, redrawn after every move
// from the points it was given (a kernel density in screen space, lib/map-logic.ts `density`). No plugin: the
// sum is a few hundred thousand additions for the 2,000 dangers an answer carries at most.
import L from 'leaflet';
import { density, heatColor, type XY } from '../lib/map-logic';

/** Kernel radius and sampling step in screen pixels (the same spread at every zoom, like a printed heat map). */
const RADIUS = 32;
const CELL = 4;

export interface HeatPoint {
  at: L.LatLng;
  weight: number;
}

export interface HeatLayer extends L.Layer {
  setPoints(points: HeatPoint[]): void;
}

export function heatLayer(): HeatLayer {
  let map: L.Map | null = null;
  let points: HeatPoint[] = [];
  const canvas = L.DomUtil.create('canvas', 'map-heat leaflet-zoom-hide');
  canvas.dataset.testid = 'map-heat';
  // The grid is coloured at one pixel per cell, then scaled up with smoothing (cheaper than a pixel per pixel).
  const small = document.createElement('canvas');

  const draw = () => {
    if (!map) return;
    const size = map.getSize();
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    canvas.width = size.x;
    canvas.height = size.y;
    const pts: Array<XY & { w: number }> = points.map((p) => {
      const c = map!.latLngToContainerPoint(p.at);
      return { x: c.x, y: c.y, w: p.weight };
    });
    canvas.dataset.points = String(points.length);
    const { grid, cols, rows, max } = density(pts, size.x, size.y, RADIUS, CELL);
    const ctx = canvas.getContext('2d')!;
    ctx.clearRect(0, 0, size.x, size.y);
    if (!max || !cols || !rows) return;
    small.width = cols;
    small.height = rows;
    const sctx = small.getContext('2d')!;
    const image = sctx.createImageData(cols, rows);
    for (let i = 0; i < grid.length; i++) image.data.set(heatColor(grid[i] / max), i * 4);
    sctx.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, cols * CELL, rows * CELL);
  };

  const Layer = L.Layer.extend({
    onAdd(this: L.Layer, m: L.Map) {
      map = m;
      // Its own pane under the overlay pane (z 400), where the one canvas renderer draws cameras, dangers, roads
      // and boundaries: the heat tints the ground beneath them and never hides a marker.
      let pane = m.getPane('heat');
      if (!pane) {
        pane = m.createPane('heat');
        pane.style.zIndex = '350';
        pane.style.pointerEvents = 'none';
      }
      pane.appendChild(canvas);
      m.on('moveend resize', draw);
      draw();
      return this;
    },
    onRemove(this: L.Layer, m: L.Map) {
      m.off('moveend resize', draw);
      canvas.remove();
      map = null;
      return this;
    },
    setPoints(next: HeatPoint[]) {
      points = next;
      draw();
    },
  }) as unknown as new () => HeatLayer;
  return new Layer();
}
