import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

/**
 * `npm run teams:icons`: draws the two icons of the Teams app package into teams/ (committed, so
 * packaging needs no drawing). The symbol is a circular "restore" arrow.
 * - color.png: 192×192, white symbol on the accent colour, the symbol inside the central 96×96
 *   area as the Teams icon guidelines ask.
 * - outline.png: 32×32, white symbol on a transparent background.
 */
const ACCENT = [0x0f, 0x6c, 0xbd] as const;
const SUPERSAMPLING = 4;

/** Whether a point of the symbol's unit square ([-1, 1]², y up) is inked. */
function inSymbol(x: number, y: number): boolean {
  const radius = 0.72;
  const halfStroke = 0.13;
  const gapFrom = (20 * Math.PI) / 180;
  const gapTo = (100 * Math.PI) / 180;
  const distance = Math.hypot(x, y);
  const angle = Math.atan2(y, x);
  const inRing = Math.abs(distance - radius) <= halfStroke && !(angle > gapFrom && angle < gapTo);
  return inRing || inArrowHead(x, y, radius, gapFrom);
}

/** A triangle at the ring's end, pointing along the direction of travel (anticlockwise). */
function inArrowHead(x: number, y: number, radius: number, at: number): boolean {
  const [cx, cy] = [radius * Math.cos(at), radius * Math.sin(at)];
  const radial = [Math.cos(at), Math.sin(at)] as const;
  const tangent = [-Math.sin(at), Math.cos(at)] as const;
  const halfWidth = 0.3;
  const length = 0.34;
  const corners: [number, number][] = [
    [cx + tangent[0] * length, cy + tangent[1] * length],
    [cx + radial[0] * halfWidth, cy + radial[1] * halfWidth],
    [cx - radial[0] * halfWidth, cy - radial[1] * halfWidth],
  ];
  const side = (a: [number, number], b: [number, number]) => (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
  const [p, q, r] = corners as [[number, number], [number, number], [number, number]];
  const signs = [side(p, q), side(q, r), side(r, p)];
  return signs.every((value) => value >= 0) || signs.every((value) => value <= 0);
}

/** Share of the pixel covered by the symbol, with the symbol scaled to `symbolSize` pixels. */
function coverage(px: number, py: number, size: number, symbolSize: number): number {
  let inked = 0;
  for (let sy = 0; sy < SUPERSAMPLING; sy++) {
    for (let sx = 0; sx < SUPERSAMPLING; sx++) {
      const x = ((px + (sx + 0.5) / SUPERSAMPLING - size / 2) / symbolSize) * 2;
      const y = -((py + (sy + 0.5) / SUPERSAMPLING - size / 2) / symbolSize) * 2;
      if (inSymbol(x, y)) inked++;
    }
  }
  return inked / SUPERSAMPLING ** 2;
}

function draw(size: number, symbolSize: number, background: readonly [number, number, number] | null): Buffer {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const ink = coverage(px, py, size, symbolSize);
      const offset = (py * size + px) * 4;
      if (background) {
        for (let channel = 0; channel < 3; channel++) png.data[offset + channel] = Math.round(background[channel]! * (1 - ink) + 255 * ink);
        png.data[offset + 3] = 255;
      } else {
        png.data.fill(255, offset, offset + 3);
        png.data[offset + 3] = Math.round(255 * ink);
      }
    }
  }
  return PNG.sync.write(png);
}

const folder = path.join(import.meta.dirname, '..', 'teams');
writeFileSync(path.join(folder, 'color.png'), draw(192, 96, ACCENT));
writeFileSync(path.join(folder, 'outline.png'), draw(32, 30, null));
console.log(`icons written to ${path.relative(process.cwd(), folder)}/`);
