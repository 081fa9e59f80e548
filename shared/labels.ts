/** The label set every new database starts with. */
export interface LabelDefinition {
  /** Stable identifier stored on annotations. */
  id: string;
  name: string;
  /** CSS colour, `#rrggbb`. */
  color: string;
  /** Single key that applies the label to the selection. */
  shortcut: string;
  description: string;
}

export const DEFAULT_LABELS: readonly LabelDefinition[] = [
  { id: 'claim', name: 'Claim', color: '#d9822b', shortcut: '1', description: 'A statement presented as fact that could be checked.' },
  { id: 'source', name: 'Source', color: '#2b7bd9', shortcut: '2', description: 'Who or what a claim is attributed to.' },
  { id: 'opinion', name: 'Opinion', color: '#9c4dcc', shortcut: '3', description: 'Evaluation, stance or loaded wording around a claim.' },
];

/** Labels a source can be linked to: a claim (who it is attributed to) and an opinion (who holds it). */
export const ATTRIBUTABLE_LABELS: readonly string[] = ['claim', 'opinion'];
