import type { KeyboardEvent, ReactNode } from 'react';

/**
 * The frame the modal dialogs share: the backdrop, a titled header with a
 * close button (`close`: usable, shown but disabled while the dialog is
 * busy, or hidden), the dialog's own content, and its error line.
 */
export function Modal({
  id,
  title,
  className,
  onClose,
  onKeyDown,
  close = 'enabled',
  error,
  children,
}: {
  id: string;
  title: string;
  className: string;
  onClose: () => void;
  onKeyDown: (e: KeyboardEvent) => void;
  close?: 'enabled' | 'disabled' | 'hidden';
  error: string | null;
  children: ReactNode;
}) {
  return (
    <div className="modal-backdrop" role="presentation" onKeyDown={onKeyDown}>
      <section className={`modal ${className}`} role="dialog" aria-modal="true" aria-labelledby={`${id}-title`}>
        <header className="dialog-header">
          <h2 id={`${id}-title`}>{title}</h2>
          {close !== 'hidden' && (
            <button className="link close" onClick={onClose} aria-label="Close" disabled={close === 'disabled'}>
              ×
            </button>
          )}
        </header>
        {children}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
    </div>
  );
}
