import { type ClaimRow } from '../../shared/schemas.js';

/**
 * Who a row's claims are attributed to: each source entity by its name, with
 * the wordings the articles quote beside it ("Marco Rubio “Rubio”, “U.S.
 * Secretary of State Marco Rubio”"); a source in no entity by its wording.
 */
export function AttributedTo({ row }: { row: ClaimRow }) {
  const wordings = new Map(row.sourceEntities.map((e) => [e.name, e.wordings.filter((w) => w !== e.name)]));
  return (
    <>
      {row.sources.map((name, i) => {
        const quoted = wordings.get(name) ?? [];
        return (
          <span key={name} className="attributed" data-entity={wordings.has(name) ? 'yes' : undefined}>
            {i > 0 && ', '}
            {name}
            {quoted.length > 0 && <span className="muted small wordings"> ({quoted.map((w) => `“${w}”`).join(', ')})</span>}
          </span>
        );
      })}
    </>
  );
}
