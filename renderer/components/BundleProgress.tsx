import { useEffect, useState } from 'react';
import { onApiEvent } from '../api/client.js';

/**
 * While a colleague's bundle is being imported: how many of its annotations
 * are placed, from the host's bundle.progress events. A big bundle takes a
 * while to place; without this the window looks as if nothing happens.
 */
export function BundleProgress({ fileName }: { fileName: string }) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  useEffect(
    () =>
      onApiEvent((e) => {
        if (e.name === 'bundle.progress' && e.bundle?.fileName === fileName) setProgress({ done: e.bundle.done, total: e.bundle.total });
      }),
    [fileName],
  );
  const line = !progress
    ? `Importing ${fileName}: reading the bundle…`
    : progress.done < progress.total
      ? `Importing ${fileName}: ${progress.done.toLocaleString('en')} of ${progress.total.toLocaleString('en')} annotations placed`
      : `Importing ${fileName}: all ${progress.total.toLocaleString('en')} annotations placed, saving…`;
  return (
    <div className="message info bundle-progress import-progress" role="status" aria-label="Bundle import progress">
      <p className="progress-label">{line}</p>
      <progress max={Math.max(progress?.total ?? 1, 1)} value={progress?.done ?? 0} aria-label="Annotations placed" />
    </div>
  );
}
