import type { Label } from '../../shared/schemas.js';

export function LabelChip({ label, count }: { label: Label | undefined; count?: number }) {
  if (!label) return null;
  return (
    <span className="label-chip" data-label={label.id} title={label.description}>
      <span className="dot" aria-hidden="true" />
      {label.name}
      {count !== undefined && <span className="count">{count}</span>}
    </span>
  );
}
