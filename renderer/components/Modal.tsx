import { useRef, type ReactNode } from 'react';
import { useDialog } from './useDialog.js';

/**
 * The frame the modal dialogs share: the backdrop, a titled header with a
 * close button (`close`: usable, shown but disabled while the dialog is
 * busy, or hidden), the dialog's own content, and its error line. It takes
 * the keyboard while open (see `useDialog`); Esc closes it when the close
 * button is usable.
 */
export function Modal({
  id,
  title,
  className,
  onClose,
  close = 'enabled',
  error,
  children,
}: {
  id: string;
  title: string;
  className: string;
  onClose: () => void;
  close?: 'enabled' | 'disabled' | 'hidden';
  error: string | null;
  children: ReactNode;
}) {
  const ref = useRef<HTMLElement>(null);
  useDialog(ref, close === 'enabled' ? onClose : undefined);
  return (
    <div className="modal-backdrop" role="presentation">
      <section ref={ref} tabIndex={-1} className={`modal ${className}`} role="dialog" aria-modal="true" aria-labelledby={`${id}-title`}>
        {/* A div, not a header: the dialog's title bar is not a second banner of the page. */}
        <div className="dialog-header">
          <h2 id={`${id}-title`}>{title}</h2>
          {close !== 'hidden' && (
            <button className="link close" onClick={onClose} aria-label="Close" disabled={close === 'disabled'}>
              ×
            </button>
          )}
        </div>
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
