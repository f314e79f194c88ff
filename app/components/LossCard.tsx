import 'katex/dist/katex.min.css';
import type { Citation } from '../../src';
import { CATEGORIES, getLoss, intuitionOf, isImplemented } from '../../src';
import { advancedFromLocation } from '../param-range';
import { useStore } from '../store';
import { CodeSnippet } from './CodeSnippet';
import { CopyText } from './CopyText';
import { FitFormula } from './FitFormula';
import { ParamControls } from './ParamControls';
import { CATEGORY_COLOURS } from './TaxonomyTree';

function citationLink(c: Citation): string | null {
  if (c.arxiv) return `https://arxiv.org/abs/${c.arxiv}`;
  return c.url;
}

const NEED_LABELS: Record<string, string> = {
  'distance-map': 'distance map of the ground truth',
  'boundary-map': 'boundary map',
  sorting: 'sorting',
  'small-linear-algebra': 'small linear algebra',
  'pretrained-network': 'a pretrained network',
  features: 'feature maps',
};

export function LossCard() {
  const id = useStore((s) => s.focusedLoss);
  const setParam = useStore((s) => s.setParam);
  const def = getLoss(id);
  const c = def.citation;
  const link = citationLink(c);
  const cat = CATEGORIES.find((x) => x.id === def.category);
  return (
    <section className="panel loss-card" aria-labelledby="card-title" data-testid="loss-card" data-loss-id={def.id}>
      <h2 id="card-title">
        {def.name}{' '}
        <span className="cat" style={{ background: CATEGORY_COLOURS[def.category] }}>
          {cat?.name}
        </span>
        {!isImplemented(def) && <span className="coming"> coming</span>}
      </h2>
      <p className="intuition" data-testid="loss-intuition">
        {intuitionOf(def.id)}
      </p>
      <p>{def.summary}</p>
      {def.formula ? (
        <>
          <FitFormula latex={def.formula} />
          <CopyText text={def.formula} label="Copy LaTeX" what="LaTeX source of the formula" testId="formula-latex" />
        </>
      ) : (
        <p className="muted">Formula comes with the implementation.</p>
      )}
      <p className="citation">
        {c.authors.join(', ')}.{' '}
        {link ? (
          <a href={link} target="_blank" rel="noreferrer">
            {c.title}
          </a>
        ) : (
          c.title
        )}
        . {c.venue}
        {c.year ? `, ${c.year}` : ''}.{c.arxiv ? ` arXiv ${c.arxiv}.` : ''}
      </p>
      <dl className="facts">
        <dt>Needs</dt>
        <dd>
          {def.needs.length ? def.needs.map((n) => NEED_LABELS[n] ?? n).join(', ') : 'only the probabilities'}
          {def.binaryOnly ? '; binary problems only' : ''}
        </dd>
        <dt>Use when</dt>
        <dd>{def.useWhen}</dd>
        {def.reference.length > 0 && (
          <>
            <dt>Reference code</dt>
            <dd>
              {def.reference.map((r) => (
                <div key={`${r.repo}${r.path}${r.symbol}`}>
                  <a href={`https://github.com/${r.repo}`} target="_blank" rel="noreferrer">
                    {r.repo}
                  </a>
                  {r.commit ? `@${r.commit.slice(0, 7)}` : ''} <code>{r.path}</code>::{r.symbol}
                  {r.note ? <span className="muted"> ({r.note})</span> : null}
                </div>
              ))}
            </dd>
          </>
        )}
      </dl>
      {isImplemented(def) && (
        <>
          <h3>Parameters</h3>
          {advancedFromLocation() && (
            <p className="advanced-note" data-testid="advanced-mode">
              Advanced mode (?advanced=1): where a loss allows it, values outside the slider ranges are accepted.
            </p>
          )}
          <ParamControls def={def} />
          <CodeSnippet def={def} />
        </>
      )}
      {def.variants.length > 0 && (
        <>
          <h3>Variants</h3>
          <ul className="variants">
            {def.variants.map((v) => (
              <li key={`${v.param}-${JSON.stringify(v.value)}`}>
                <strong>{v.label}</strong>{' '}
                <span className="muted">
                  ({v.param} = {JSON.stringify(v.value)})
                </span>{' '}
                — {v.doc}{' '}
                {isImplemented(def) && (
                  <button type="button" className="link" onClick={() => setParam(def.id, v.param, v.value)}>
                    use
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {def.pitfalls.length > 0 && (
        <>
          <h3>Pitfalls of public implementations</h3>
          <ul className="pitfalls">
            {def.pitfalls.map((p) => (
              <li key={p.where + p.text}>
                <strong>{p.where}:</strong> {p.text}
              </li>
            ))}
          </ul>
        </>
      )}
      {def.notes.length > 0 && (
        <details>
          <summary>Implementation notes</summary>
          <ul>
            {def.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
