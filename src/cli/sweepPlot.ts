import { PNG } from 'pngjs';
import type { SweepPoint } from '../nlu-eval/evaluate.js';

const WIDTH = 640;
const HEIGHT = 400;
const MARGIN = 40;
type Rgb = readonly [number, number, number];

/** Curves of the threshold sweep, in the colours the markdown report names. */
export const SERIES: readonly { key: keyof SweepPoint; label: string; colour: Rgb; name: string }[] = [
  { key: 'inScopeAccuracy', label: 'in-scope accuracy', colour: [0, 102, 204], name: 'blue' },
  { key: 'outOfScopeRecall', label: 'out-of-scope recall', colour: [204, 85, 0], name: 'orange' },
  { key: 'coverage', label: 'coverage', colour: [26, 127, 55], name: 'green' },
  { key: 'precision', label: 'precision of answers', colour: [128, 128, 128], name: 'grey' },
];

/** A PNG of the sweep: threshold 0-1 across, rate 0-1 up, a grid every 0.1, a red line at the chosen threshold. */
export function sweepPng(points: readonly SweepPoint[], chosen: number): Buffer {
  const png = new PNG({ width: WIDTH, height: HEIGHT });
  png.data.fill(255);
  const x = (value: number) => Math.round(MARGIN + value * (WIDTH - 2 * MARGIN));
  const y = (value: number) => Math.round(HEIGHT - MARGIN - value * (HEIGHT - 2 * MARGIN));
  const plot = (px: number, py: number, [r, g, b]: Rgb) => {
    if (px < 0 || py < 0 || px >= WIDTH || py >= HEIGHT) return;
    const offset = (py * WIDTH + px) * 4;
    png.data[offset] = r;
    png.data[offset + 1] = g;
    png.data[offset + 2] = b;
    png.data[offset + 3] = 255;
  };
  const line = (x0: number, y0: number, x1: number, y1: number, colour: Rgb, thick = 1) => {
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    for (let step = 0; step <= steps; step += 1) {
      const px = Math.round(x0 + ((x1 - x0) * step) / steps);
      const py = Math.round(y0 + ((y1 - y0) * step) / steps);
      for (let dx = 0; dx < thick; dx += 1) for (let dy = 0; dy < thick; dy += 1) plot(px + dx, py + dy, colour);
    }
  };
  for (let tick = 0; tick <= 10; tick += 1) {
    line(x(tick / 10), y(0), x(tick / 10), y(1), [230, 230, 230]);
    line(x(0), y(tick / 10), x(1), y(tick / 10), [230, 230, 230]);
  }
  line(x(0), y(0), x(1), y(0), [0, 0, 0]);
  line(x(0), y(0), x(0), y(1), [0, 0, 0]);
  line(x(chosen), y(0), x(chosen), y(1), [220, 0, 0]);
  for (const { key, colour } of SERIES) {
    for (let index = 1; index < points.length; index += 1) {
      const previous = points[index - 1];
      const point = points[index];
      if (!previous || !point) continue;
      line(x(previous.threshold), y(Number(previous[key])), x(point.threshold), y(Number(point[key])), colour, 2);
    }
  }
  return PNG.sync.write(png);
}
