import { useState } from 'preact/hooks';
import { FAMILIES, compact, countsText, hourLabel, logScale, type HourBar } from './chart-model';

/** The drawing's own units (the SVG scales to the page's width). */
const WIDTH = 1120;
const HEIGHT = 210;
const LEFT = 40;
const RIGHT = 10;
const TOP = 16;
const BOTTOM = 30;
const PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;
/** A non-zero count is never thinner than this: one failed request must show. */
const MIN_SEGMENT = 2;
/** A day's label needs this much room before the right edge. */
const DAY_LABEL_WIDTH = 70;

const isLocalMidnight = (iso: string) => new Date(iso).getHours() === 0;
const dayLabel = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });

/**
 * Events per hour, stacked by family, drawn as plain SVG (no chart library), on a log scale.
 * Hovering a column, or moving along the chart with the arrow keys, reads that hour out below
 * it; silent hours stay empty, so a gap is where an identity provider stopped pushing.
 */
export function ActivityChart({ bars }: { bars: readonly HourBar[] }) {
  /** The keyboard's hour (the current one at first); the pointer's, while it is over the chart, wins. */
  const [selected, setSelected] = useState(bars.length - 1);
  const [hovered, setHovered] = useState<number | undefined>();
  const slot = (WIDTH - LEFT - RIGHT) / Math.max(bars.length, 1);
  const scale = logScale(Math.max(0, ...bars.map((b) => b.total)));
  const height = (n: number) => scale.fraction(n) * PLOT_HEIGHT;
  const base = TOP + PLOT_HEIGHT;
  const shown = hovered ?? selected;
  const current = bars[Math.min(shown, bars.length - 1)];

  const onKeyDown = (e: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowLeft: selected - 1, ArrowRight: selected + 1, Home: 0, End: bars.length - 1, PageUp: selected - 24, PageDown: selected + 24 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    setHovered(undefined);
    setSelected(Math.max(0, Math.min(bars.length - 1, moves[e.key])));
  };

  return (
    <figure class="activity-chart">
      <div class="chart-frame" role="group" tabIndex={0} onKeyDown={onKeyDown} aria-describedby="chart-readout"
        aria-label="Activity per hour: use the left and right arrow keys to read one hour (Page Up/Down: a day)">
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="presentation" data-testid="activity-chart" onMouseLeave={() => setHovered(undefined)}>
          <text class="chart-axis-title" x={2} y={9}>per hour</text>
          <g class="chart-grid">
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={base} y2={base} />
          </g>
          {scale.ticks.map((n) => (
            <g key={n} class="chart-grid">
              <line x1={LEFT} x2={WIDTH - RIGHT} y1={base - height(n)} y2={base - height(n)} />
              <text x={LEFT - 6} y={base - height(n) + 4} text-anchor="end">{compact(n)}</text>
            </g>
          ))}
          {bars.map((bar, i) => (isLocalMidnight(bar.hour) ? (
            <g key={`day-${bar.hour}`} class="chart-day">
              <line x1={LEFT + i * slot} x2={LEFT + i * slot} y1={TOP} y2={base + 6} />
              {LEFT + i * slot + DAY_LABEL_WIDTH < WIDTH ? <text x={LEFT + i * slot + 3} y={HEIGHT - 8}>{dayLabel(bar.hour)}</text> : null}
            </g>
          ) : null))}
          <text class="chart-now" x={WIDTH - RIGHT} y={9} text-anchor="end">now ↓</text>
          {bars.map((bar, i) => <Column key={bar.hour} bar={bar} x={LEFT + i * slot} slot={slot} base={base} height={height(bar.total)} selected={i === shown} onHover={() => setHovered(i)} />)}
        </svg>
      </div>
      <figcaption>
        <ul class="chart-legend" aria-label="Legend">
          {FAMILIES.map((f) => <li key={f.id}><span class="swatch" style={{ background: f.color }} aria-hidden="true" />{f.label}</li>)}
          <li class="hint">Log scale: an hour of 10 and an hour of 100,000 both show.</li>
        </ul>
        <p id="chart-readout" class="chart-readout" aria-live="polite" data-testid="chart-readout">
          {current ? <><strong>{hourLabel(current.hour)}</strong>: {countsText(current.counts)}</> : null}
        </p>
      </figcaption>
    </figure>
  );
}

/** One hour: its total's height on the log scale, shared among the families in proportion. */
function Column({ bar, x, slot, base, height, selected, onHover }: {
  bar: HourBar; x: number; slot: number; base: number; height: number; selected: boolean; onHover: () => void;
}) {
  const width = Math.max(slot * 0.78, 1);
  let bottom = base;
  const segments = bar.byFamily.map((n, f) => {
    if (n === 0) return null;
    const part = Math.max((height * n) / bar.total, MIN_SEGMENT);
    bottom -= part;
    return <rect key={FAMILIES[f].id} x={x + (slot - width) / 2} y={bottom} width={width} height={part} fill={FAMILIES[f].color} />;
  });
  return (
    <g class={selected ? 'chart-hour selected' : 'chart-hour'} data-hour={bar.hour} data-total={bar.total} onMouseEnter={onHover}>
      <title>{`${hourLabel(bar.hour)}: ${countsText(bar.counts)}`}</title>
      <rect class="chart-hit" x={x} y={TOP} width={slot} height={base - TOP} />
      {segments}
    </g>
  );
}
