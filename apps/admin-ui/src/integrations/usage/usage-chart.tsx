import type { IntegrationUsage } from '../../api/types';
import { useI18n } from '../../i18n/use-i18n';

type Day = IntegrationUsage['daily'][number];

const WIDTH = 720;
const HEIGHT = 190;
const PAD = { top: 14, right: 10, bottom: 26, left: 44 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;

/** The smallest of 1, 2, 5 × 10^n at or above `value`: gridlines at round numbers. */
export function niceMax(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= value)!;
}

/**
 * Calls per day as stacked bars (accepted below, refused on top), in plain SVG: a small chart needs
 * no library. Every text is a catalogue message or a number; day labels are numeric (01/12, 12/01)
 * so that no month name needs translating. The summary is the image's accessible name; each bar
 * says its day's figures on hover.
 */
export function UsageChart({ daily, summary }: { daily: Day[]; summary: string }) {
  const { t, intl } = useI18n();
  const max = niceMax(Math.max(...daily.map((day) => day.calls)));
  const step = PLOT_W / daily.length;
  const barWidth = Math.max(2, step * 0.7);
  const y = (value: number) => PAD.top + PLOT_H - (value / max) * PLOT_H;
  const dayLabel = (date: string) =>
    intl.formatDate(new Date(`${date}T00:00:00Z`), { day: '2-digit', month: '2-digit', timeZone: 'UTC' });
  // Labels under the last day and every seventh before it, so today is always named.
  const labelled = new Set(daily.map((_, i) => i).filter((i) => (daily.length - 1 - i) % 7 === 0));

  return (
    <svg
      className="usage-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={summary}
      xmlns="http://www.w3.org/2000/svg"
    >
      {[0, max / 2, max].map((value) => (
        <g key={value} className="usage-grid">
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(value)} y2={y(value)} />
          <text x={PAD.left - 6} y={y(value)} dy="0.32em" textAnchor="end">
            {intl.formatNumber(value)}
          </text>
        </g>
      ))}
      {daily.map((day, i) => {
        const x = PAD.left + i * step + (step - barWidth) / 2;
        return (
          <g key={day.date} className="usage-day">
            <title>{t('usage.chart.day', { date: dayLabel(day.date), calls: day.calls, refused: day.refused })}</title>
            <rect
              className="usage-bar-accepted"
              x={x}
              y={y(day.accepted)}
              width={barWidth}
              height={y(0) - y(day.accepted)}
            />
            <rect
              className="usage-bar-refused"
              x={x}
              y={y(day.calls)}
              width={barWidth}
              height={y(day.accepted) - y(day.calls)}
            />
            {labelled.has(i) && (
              <text className="usage-axis" x={x + barWidth / 2} y={HEIGHT - 8} textAnchor="middle">
                {dayLabel(day.date)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
