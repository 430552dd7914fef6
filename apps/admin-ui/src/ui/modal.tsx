import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react';
import { useI18n } from '../i18n/use-i18n';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface ModalProps {
  title: string;
  /** Escape and the close button call this; omit it for a dialog that must be answered. */
  onClose?: () => void;
  children: ReactNode;
  /** The buttons row; rendered at the top right as in Magento's modals. */
  actions: ReactNode;
  className?: string;
  /** Selector of the element to focus first (default: the first focusable element). */
  initialFocus?: string;
}

/**
 * A modal built on <dialog>.showModal(): the page behind is inert. Tab and Shift+Tab also wrap
 * inside the dialog instead of escaping to the browser's toolbar, and focus returns to where it was
 * when the dialog closes.
 */
export function Modal({ title, onClose, children, actions, className, initialFocus }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  const { t } = useI18n();
  closeRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current!;
    const previous = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    const first = (initialFocus && dialog.querySelector<HTMLElement>(initialFocus)) || focusables(dialog)[0];
    first?.focus();
    const cancel = (event: Event) => {
      event.preventDefault();
      closeRef.current?.();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      if (previous && document.contains(previous)) previous.focus();
    };
    // Mount/unmount only: the dialog's identity is the component's lifetime.
  }, []);

  const trapTab = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab') return;
    const items = focusables(ref.current!);
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !ref.current!.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !ref.current!.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog ref={ref} className={`modal ${className ?? ''}`} aria-labelledby={titleId} onKeyDown={trapTab}>
      <header className="modal-header">
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
        <div className="modal-actions">{actions}</div>
        {onClose && (
          <button type="button" className="modal-close" aria-label={t('common.close')} onClick={() => onClose()}>
            ×
          </button>
        )}
      </header>
      <div className="modal-body">{children}</div>
    </dialog>
  );
}

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
}
