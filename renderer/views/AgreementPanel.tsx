/** The agreement figures of two annotators: each with a line on what it counts, then per label and per article. */
import type { AgreementReport } from '../../shared/review.js';
import type { Label } from '../../shared/schemas.js';

const pct = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toFixed(2));

/** A horizontal bar for a figure in −1..1 (kappa, alpha) or 0..1 (F1). */
function Bar({ value, label }: { value: number | null; label: string }) {
  const width = value === null ? 0 : Math.max(0, Math.min(1, value)) * 100;
  return (
    <div className="bar-row" aria-label={`${label}: ${pct(value)}`}>
      <span className="bar-label">{label}</span>
      <span className="bar-track">
        <span className={`bar-fill${value !== null && value < 0.4 ? ' low' : ''}`} style={{ width: `${width}%` }} />
      </span>
      <span className="bar-value">{pct(value)}</span>
    </div>
  );
}

export function AgreementPanel({ report, labels }: { report: AgreementReport; labels: readonly Label[] }) {
  const o = report.overall;
  const name = (id: string) => labels.find((l) => l.id === id)?.name ?? id;
  const figures: [string, number | null, string][] = [
    ["Cohen's κ", o.cohen, report.explanations.cohen],
    ["Krippendorff's α", o.alpha, report.explanations.alpha],
    [
      "Fleiss' κ",
      o.fleiss,
      `${report.explanations.fleiss}${o.fleissAnnotators.length ? ` (${o.fleissAnnotators.join(', ')})` : ' Needs three or more annotators.'}`,
    ],
    ['Span F1 (exact)', o.spanExact.f1, report.explanations.spanExact],
    ['Span F1 (overlap)', o.spanOverlap.f1, report.explanations.spanOverlap],
    ['Grouping B³ F1', report.grouping.f1, `${report.explanations.grouping} (${report.grouping.items} claims matched)`],
  ];
  return (
    <section className="agreement" aria-label="Agreement">
      <h3>
        Agreement of {report.a} and {report.b}{' '}
        <span className="muted small">
          · {report.articles.length} article{report.articles.length === 1 ? '' : 's'}, {report.tokens} word tokens
        </span>
      </h3>
      <dl className="figures">
        {figures.map(([title, value, explanation]) => (
          <div key={title} className="figure">
            <dt>{title}</dt>
            <dd className="value">{pct(value)}</dd>
            <dd className="explain">{explanation}</dd>
          </div>
        ))}
      </dl>
      <div className="charts">
        <div>
          <h4>Per label (Cohen's κ, token level)</h4>
          {report.perLabel.map((l) => (
            <Bar key={l.label} label={name(l.label)} value={l.cohen} />
          ))}
        </div>
        <div>
          <h4>Per article (Cohen's κ)</h4>
          {report.articles.map((a) => (
            <Bar key={a.id} label={a.title.length > 40 ? `${a.title.slice(0, 40)}…` : a.title} value={a.cohen} />
          ))}
        </div>
      </div>
    </section>
  );
}
