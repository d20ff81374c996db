// The weekly plan as a 7×24 grid of hours (周一 first, China time): click a cell to toggle it, a day's label to
// toggle the whole day, an hour's label to toggle that hour every day. Ranges come and go through the same pure
// functions the server validates with (server/domain/recording-plan.ts).
import { gridToPlan, planToGrid, type WeeklyPlan } from '../../../../server/domain/recording-plan';
import { useI18n } from '../../hooks/use-i18n';

interface Props {
  plan: WeeklyPlan;
  onChange: (plan: WeeklyPlan) => void;
  disabled?: boolean;
}

const HOURS = Array.from({ length: 24 }, (_, h) => h);

export function WeekGrid({ plan, onChange, disabled }: Props) {
  const { t } = useI18n();
  const grid = planToGrid(plan);
  const set = (next: boolean[][]) => onChange(gridToPlan(next));
  const toggle = (d: number, h: number) => set(grid.map((row, i) => (i === d ? row.map((v, j) => (j === h ? !v : v)) : row)));
  const toggleDay = (d: number) => {
    const on = !grid[d]!.every(Boolean);
    set(grid.map((row, i) => (i === d ? row.map(() => on) : row)));
  };
  const toggleHour = (h: number) => {
    const on = !grid.every((row) => row[h]);
    set(grid.map((row) => row.map((v, j) => (j === h ? on : v))));
  };
  return (
    <table className="week-grid" data-testid="week-grid" aria-label={t('recplan.grid')}>
      <thead>
        <tr>
          <th />
          {HOURS.map((h) => (
            <th key={h}>
              <button type="button" className="week-hour" disabled={disabled} onClick={() => toggleHour(h)} title={t('recplan.toggleHour', { hour: h })}>
                {h}
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {grid.map((row, d) => (
          <tr key={d} data-day={d}>
            <th>
              <button type="button" className="week-day" disabled={disabled} onClick={() => toggleDay(d)}>
                {t(`recplan.day${d}` as 'recplan.day0')}
              </button>
            </th>
            {row.map((on, h) => (
              <td key={h}>
                <button
                  type="button"
                  className={`week-cell${on ? ' on' : ''}`}
                  data-hour={h}
                  aria-pressed={on}
                  disabled={disabled}
                  aria-label={`${t(`recplan.day${d}` as 'recplan.day0')} ${h}:00`}
                  onClick={() => toggle(d, h)}
                />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
