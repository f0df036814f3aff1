import { ReactNode, useEffect, useRef } from 'react';
import type { CombinedError } from 'urql';
import { frenchError } from '../lib/errors';

/** The page's title, in the tab and as its heading (focused on arrival, so screen readers announce the page). */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — microstructures médicales`;
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function Loading({ what = 'les données' }: { what?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Chargement de {what}…
    </p>
  );
}

export function ErrorMessage({ error, retry }: { error: CombinedError | Error | string; retry?: () => void }) {
  const text = typeof error === 'string' ? error : 'graphQLErrors' in error ? frenchError(error) : error.message;
  return (
    <div className="error" role="alert">
      <p>{text}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Réessayer
        </button>
      )}
    </div>
  );
}

/** A part of the platform that is not there yet (a service whose API has not landed): said, never faked. */
export function Unavailable({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="unavailable" role="status" data-testid="unavailable">
      <strong>{title}</strong>
      {children && <p>{children}</p>}
    </div>
  );
}

export function Check({ ok, label }: { ok: boolean; label: string }) {
  return (
    <span className={ok ? 'check ok' : 'check missing'} title={`${label} : ${ok ? 'présent' : 'absent'}`}>
      <span aria-hidden="true">{ok ? '✓' : '✗'}</span>
      <span className="visually-hidden">{ok ? 'présent' : 'absent'}</span>
    </span>
  );
}

export function Section({ title, children, actions, id }: { title: string; children: ReactNode; actions?: ReactNode; id?: string }) {
  return (
    <section className="card" aria-labelledby={id ? `${id}-title` : undefined}>
      <div className="card-head">
        <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** A mutation's outcome, announced. */
export function Outcome({ error, done }: { error?: CombinedError; done?: string | null }) {
  if (error) return <ErrorMessage error={error} />;
  if (done)
    return (
      <p className="success" role="status">
        {done}
      </p>
    );
  return null;
}

/** A choice among the codes of a label table (code → French label), for the forms' uncontrolled selects. */
export function CodeSelect({ name, labels, defaultValue }: { name: string; labels: Record<string, string>; defaultValue?: string }) {
  return (
    <select name={name} defaultValue={defaultValue}>
      {Object.entries(labels).map(([code, label]) => (
        <option key={code} value={code}>
          {label}
        </option>
      ))}
    </select>
  );
}
