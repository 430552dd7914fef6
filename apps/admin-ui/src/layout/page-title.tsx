import { createContext, type ReactNode, useContext, useEffect } from 'react';

/**
 * A page names itself (its h1, e.g. "Edit Integration 'Orders Sync'" once loaded); the shell puts
 * that name at the end of the breadcrumbs and in the document title.
 */
const PageTitleContext = createContext<(title: string | null) => void>(() => undefined);

export function PageTitleProvider({
  onTitle,
  children,
}: {
  onTitle: (title: string | null) => void;
  children: ReactNode;
}) {
  return <PageTitleContext.Provider value={onTitle}>{children}</PageTitleContext.Provider>;
}

export function usePageTitle(title: string | null): void {
  const report = useContext(PageTitleContext);
  useEffect(() => report(title), [report, title]);
}
