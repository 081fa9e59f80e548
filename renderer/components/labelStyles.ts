import type { Label } from '../../shared/schemas.js';

let sheet: CSSStyleSheet | null = null;

/**
 * Gives every label its colour as the CSS variable `--c` on anything carrying
 * `data-label`. A constructed stylesheet, so the strict CSP (no inline styles)
 * holds.
 */
export function applyLabelStyles(labels: readonly Label[]): void {
  const rules = labels
    .filter((l) => /^[a-z0-9_-]+$/.test(l.id) && /^#[0-9a-fA-F]{6}$/.test(l.color))
    .map((l) => `[data-label="${l.id}"] { --c: ${l.color}; }`)
    .join('\n');
  if (!sheet) {
    sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  sheet.replaceSync(rules);
}
