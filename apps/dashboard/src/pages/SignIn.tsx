import { useEffect, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { ErrorMessage, Loading, PageTitle } from '../components/common';
import { useSession } from '../components/session';
import { authSettings, AuthSettings } from '../lib/auth-settings';
import { homePath } from '../lib/session';

interface DemoIdentity {
  key: string;
  label: string;
  role: string;
  detail?: string;
}

const ROLE_ORDER = ['Coordination nationale', 'Coordination régionale', 'Médecin généraliste', 'Psychologue', 'Travailleur social', 'Psychiatre', 'Professionnel', 'Financeur'];

export function SignInPage() {
  const { session, signIn } = useSession();
  const navigate = useNavigate();
  const [settings, setSettings] = useState<AuthSettings | null>(null);
  const [identities, setIdentities] = useState<DemoIdentity[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [expired] = useState(() => {
    const was = sessionStorage.getItem('cnrms.expired') === '1';
    sessionStorage.removeItem('cnrms.expired');
    return was;
  });

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const loaded = await authSettings();
        if (cancelled) return;
        setSettings(loaded);
        if (loaded.demoSignIn) {
          const response = await fetch('/auth/demo/identities');
          const body = (await response.json()) as { identities?: DemoIdentity[]; error?: string };
          if (cancelled) return;
          if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
          setIdentities(body.identities ?? []);
        }
      } catch (e) {
        if (!cancelled) setError(`La passerelle ne répond pas : ${(e as Error).message}`);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  if (session) return <Navigate to={homePath(session.identity)} replace />;

  const choose = async (key: string) => {
    setBusy(key);
    setError(null);
    try {
      const response = await fetch('/auth/demo/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
      const body = (await response.json()) as { token?: string; error?: string };
      if (!response.ok || !body.token) throw new Error(body.error ?? `HTTP ${response.status}`);
      navigate(homePath(signIn(body.token).identity), { replace: true });
    } catch (e) {
      setError(`Connexion impossible : ${(e as Error).message}`);
      setBusy(null);
    }
  };

  const groups = ROLE_ORDER.map((role) => ({ role, items: (identities ?? []).filter((i) => i.role === role) })).filter((g) => g.items.length);

  return (
    <main id="contenu" className="sign-in">
      <PageTitle title="Connexion">Tableau de bord des microstructures médicales</PageTitle>
      {expired && (
        <p className="unavailable" role="status">
          Votre session a expiré : reconnectez-vous.
        </p>
      )}
      {error && <ErrorMessage error={error} retry={() => (setError(null), setAttempt((n) => n + 1))} />}
      {!settings && !error && <Loading what="les modes de connexion" />}
      {settings?.oidc && (
        <section className="card">
          <h2>Connexion</h2>
          <p>Connectez-vous avec le compte de votre organisation.</p>
          <button type="button" onClick={() => void import('../lib/oidc').then(({ userManager }) => userManager(settings.oidc!).signinRedirect())}>
            Se connecter
          </button>
        </section>
      )}
      {settings?.demoSignIn && (
        <section className="card" aria-labelledby="demo-title">
          <h2 id="demo-title">Identités de démonstration</h2>
          <p className="hint">Mode de développement : choisissez qui vous êtes. Les données sont fictives.</p>
          {!identities && !error && <Loading what="les identités de démonstration" />}
          {groups.map((group) => (
            <div key={group.role} className="identity-group">
              <h3>{group.role}</h3>
              <ul className="identity-list">
                {group.items.map((identity) => (
                  <li key={identity.key}>
                    <button type="button" className="identity" onClick={() => void choose(identity.key)} disabled={busy !== null} data-key={identity.key}>
                      <strong>{identity.label}</strong>
                      {identity.detail && <span>{identity.detail}</span>}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      )}
      {settings && !settings.demoSignIn && !settings.oidc && <ErrorMessage error="Aucun mode de connexion n’est configuré sur la passerelle (OIDC_ISSUER et OIDC_CLIENT_ID)." />}
    </main>
  );
}

/** The identity provider sends the browser back here with a code; oidc-client-ts trades it (PKCE) for the tokens. */
export function SignInReturnPage() {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    (async () => {
      try {
        const settings = await authSettings();
        if (!settings.oidc) throw new Error('aucun fournisseur d’identité configuré');
        const { userManager } = await import('../lib/oidc');
        const user = await userManager(settings.oidc).signinRedirectCallback();
        // The gateway accepts the provider's access token once it verifies the provider's keys (see the README).
        navigate(homePath(signIn(user.access_token).identity), { replace: true });
      } catch (e) {
        setError(`Connexion impossible : ${(e as Error).message}`);
      }
    })();
  }, [navigate, signIn]);
  return <main id="contenu">{error ? <ErrorMessage error={error} /> : <Loading what="votre connexion" />}</main>;
}
