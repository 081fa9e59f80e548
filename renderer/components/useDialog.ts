import { useEffect, useRef, type RefObject } from 'react';

const FOCUSABLE =
  'a[href], summary, button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  // checkVisibility also leaves out what a closed <details> holds (rendered, but skipped: offsetParent does not say so).
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.checkVisibility() || el === document.activeElement);
}

/**
 * What every modal dialog does with the keyboard: focus moves into it when it
 * opens (the element marked `data-autofocus`, else the first field or button
 * that is not the close button), Tab and Shift+Tab stay inside it, Esc closes
 * it (when `onEscape` is given: a busy dialog passes none), and focus goes
 * back where it was when it closes.
 */
export function useDialog(ref: RefObject<HTMLElement | null>, onEscape: (() => void) | undefined): void {
  const escape = useRef(onEscape);
  useEffect(() => {
    escape.current = onEscape;
  }, [onEscape]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.contains(document.activeElement)) {
      const all = focusables(dialog);
      const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? all.find((el) => !el.classList.contains('close')) ?? all[0];
      (first ?? dialog).focus();
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        // The dialog's own Esc (a picker's list, a field being edited) has had its turn by now.
        if (e.defaultPrevented) return;
        e.preventDefault();
        e.stopPropagation();
        escape.current?.();
        return;
      }
      if (e.key !== 'Tab') return;
      const all = focusables(dialog);
      if (all.length === 0) {
        e.preventDefault();
        dialog.focus();
        return;
      }
      const first = all[0] as HTMLElement;
      const last = all[all.length - 1] as HTMLElement;
      const inside = dialog.contains(document.activeElement);
      if (!inside || (e.shiftKey && document.activeElement === first) || (!e.shiftKey && document.activeElement === last)) {
        e.preventDefault();
        (e.shiftKey ? last : first).focus();
      }
    };
    // Bubbling on the document: the fields' own handlers run first, and the article's keys (on the window) never see these.
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      if (before?.isConnected) before.focus();
    };
  }, [ref]);
}
