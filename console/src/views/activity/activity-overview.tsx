import { readActivity } from '../../api/activity';
import type { TenantContext } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { ErrorNote, Loading } from '../common/states';
import { ActivityChart } from './activity-chart';
import { FAMILIES, barsOf, countsText, hourLabel, summaryOf, type HourBar } from './chart-model';

/** The last 7 days, hour by hour: the chart, what it says in sentences, and the same as a table. */
export function ActivityOverview({ ctx }: { ctx: TenantContext }) {
  const loaded = useLoad(() => readActivity(ctx.session.token, ctx.admin, 168).then((report) => barsOf(report.hours)), [ctx.admin, ctx.session.token]);
  return (
    <section class="card" aria-labelledby="activity-chart-title">
      <div class="section-head">
        <h2 id="activity-chart-title">Provisioning activity, last 7 days</h2>
        <button type="button" onClick={loaded.reload} disabled={loaded.loading}>Refresh</button>
      </div>
      <ErrorNote error={loaded.error} />
      {loaded.data ? <Overview bars={loaded.data} /> : loaded.loading ? <Loading what="Counting the hours" /> : null}
    </section>
  );
}

function Overview({ bars }: { bars: readonly HourBar[] }) {
  const active = bars.filter((bar) => bar.total > 0).reverse();
  return (
    <>
      <ul class="activity-summary" data-testid="activity-summary">
        {summaryOf(bars).map((sentence) => <li key={sentence}>{sentence}</li>)}
      </ul>
      <ActivityChart bars={bars} />
      <details class="chart-table">
        <summary>Show the hours as a table</summary>
        {active.length ? (
          <table>
            <caption>Activity per hour, newest first (silent hours left out)</caption>
            <thead>
              <tr><th scope="col">Hour</th>{FAMILIES.map((f) => <th scope="col" key={f.id}>{f.label}</th>)}<th scope="col">By type</th></tr>
            </thead>
            <tbody>
              {active.map((bar) => (
                <tr key={bar.hour}>
                  <th scope="row">{hourLabel(bar.hour)}</th>
                  {bar.byFamily.map((n, i) => <td key={FAMILIES[i].id}>{n.toLocaleString('en')}</td>)}
                  <td>{countsText(bar.counts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : <p>Every hour of the last 7 days was silent.</p>}
      </details>
    </>
  );
}
