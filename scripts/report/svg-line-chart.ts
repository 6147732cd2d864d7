/** A dependency-free SVG line chart: a few series of (x, y) points, linear or log axes. */

export interface ChartSeries {
  readonly name: string;
  readonly points: readonly { readonly x: number; readonly y: number; readonly label?: string }[];
}

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  readonly xLog?: boolean;
  readonly yLog?: boolean;
  /** Draw a dashed horizontal reference line, e.g. ratio 1. */
  readonly yReference?: { readonly value: number; readonly label: string };
}

const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { left: 80, right: 180, top: 40, bottom: 56 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf'];

export class ChartInputError extends Error {
  override readonly name = 'ChartInputError';
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Short tick labels: 1200 -> 1.2k, 0.0042 -> 0.0042. */
export function formatTick(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${+(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e3) return `${+(value / 1e3).toPrecision(3)}k`;
  return `${+value.toPrecision(3)}`;
}

interface Axis {
  readonly toPixel: (value: number) => number;
  readonly ticks: number[];
}

function axis(values: number[], log: boolean, from: number, to: number, name: string): Axis {
  if (log && values.some((v) => v <= 0)) {
    throw new ChartInputError(`${name}: a log axis needs positive values`);
  }
  const f = log ? Math.log10 : (v: number) => v;
  let lo = Math.min(...values.map(f));
  let hi = Math.max(...values.map(f));
  if (!log) lo = Math.min(lo, 0);
  if (hi === lo) hi = lo + 1;
  let ticks: number[];
  if (log) {
    lo = Math.floor(lo);
    hi = Math.ceil(hi);
    ticks = Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
  } else {
    const step = 10 ** Math.floor(Math.log10((hi - lo) / 5));
    const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (hi - lo) / s <= 6) ?? step * 10;
    hi = Math.ceil(hi / nice) * nice;
    ticks = Array.from({ length: Math.round((hi - lo) / nice) + 1 }, (_, i) => lo + i * nice);
  }
  return { toPixel: (v) => from + ((f(v) - lo) / (hi - lo)) * (to - from), ticks };
}

/** The chart as a standalone SVG document. */
export function renderLineChart(chart: LineChart): string {
  const points = chart.series.flatMap((s) => s.points);
  if (points.length === 0) throw new ChartInputError(`chart '${chart.title}': no points`);
  const ys = points.map((p) => p.y).concat(chart.yReference ? [chart.yReference.value] : []);
  const x = axis(
    points.map((p) => p.x),
    chart.xLog ?? false,
    MARGIN.left,
    WIDTH - MARGIN.right,
    `chart '${chart.title}' x`,
  );
  const y = axis(
    ys,
    chart.yLog ?? false,
    HEIGHT - MARGIN.bottom,
    MARGIN.top,
    `chart '${chart.title}' y`,
  );
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(chart.title)}</text>`,
  ];
  for (const t of x.ticks) {
    const px = x.toPixel(t).toFixed(1);
    out.push(
      `<line x1="${px}" x2="${px}" y1="${MARGIN.top}" y2="${HEIGHT - MARGIN.bottom}" stroke="#eee"/>`,
      `<text x="${px}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${formatTick(t)}</text>`,
    );
  }
  for (const t of y.ticks) {
    const py = y.toPixel(t).toFixed(1);
    out.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${py}" y2="${py}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${formatTick(t)}</text>`,
    );
  }
  out.push(
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${HEIGHT - MARGIN.bottom}" y2="${HEIGHT - MARGIN.bottom}" stroke="black"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${HEIGHT - MARGIN.bottom}" stroke="black"/>`,
    `<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 14}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text transform="translate(18 ${(MARGIN.top + HEIGHT - MARGIN.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
  );
  if (chart.yReference) {
    const py = y.toPixel(chart.yReference.value).toFixed(1);
    out.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${py}" y2="${py}" stroke="#555" stroke-dasharray="6 4"/>`,
      `<text x="${WIDTH - MARGIN.right - 4}" y="${Number(py) - 5}" text-anchor="end" fill="#555">${escapeXml(chart.yReference.label)}</text>`,
    );
  }
  chart.series.forEach((series, index) => {
    const colour = COLOURS[index % COLOURS.length];
    const coords = series.points.map(
      (p) => `${x.toPixel(p.x).toFixed(1)},${y.toPixel(p.y).toFixed(1)}`,
    );
    out.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${coords.join(' ')}"/>`,
    );
    series.points.forEach((p, i) => {
      const [cx, cy] = coords[i].split(',');
      out.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="${colour}"/>`);
      if (p.label !== undefined) {
        out.push(
          // Alternate above and below so labels of close points do not overprint.
          `<text x="${Number(cx) + 5}" y="${Number(cy) + (i % 2 === 0 ? -6 : 14)}" font-size="10" fill="${colour}">${escapeXml(p.label)}</text>`,
        );
      }
    });
    const ly = MARGIN.top + 10 + index * 20;
    out.push(
      `<line x1="${WIDTH - MARGIN.right + 14}" x2="${WIDTH - MARGIN.right + 34}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${WIDTH - MARGIN.right + 40}" y="${ly}" dominant-baseline="middle">${escapeXml(series.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
