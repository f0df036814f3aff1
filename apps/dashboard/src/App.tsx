import { lazy, ReactNode, Suspense, useEffect } from 'react';
import { BrowserRouter, Navigate, NavLink, Outlet, Route, Routes, useLocation, useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { Loading, PageTitle } from './components/common';
import type { UnreadCountQuery, UnreadCountVariables } from './generated/graphql';
import { SessionProvider, useIdentity, useSession } from './components/session';
import { canSeeNetwork, canSeeTeam, hasRole, homePath, isNational, ROLE_LABELS } from './lib/session';
import { SignInPage, SignInReturnPage } from './pages/SignIn';

// Each view is its own chunk: the sign-in page and the national view load only what they use.
const NationalView = lazy(() => import('./pages/NationalView'));
const NetworkView = lazy(() => import('./pages/NetworkView'));
const MicrostructureAdmin = lazy(() => import('./pages/MicrostructureAdmin'));
const TeamView = lazy(() => import('./pages/TeamView'));
const PatientView = lazy(() => import('./pages/PatientView'));
const IndicatorsView = lazy(() => import('./pages/IndicatorsView'));
const TrainingsView = lazy(() => import('./pages/TrainingsView'));
const NotificationsView = lazy(() => import('./pages/NotificationsView'));

const UNREAD_COUNT = `query UnreadCount { myNotifications(unreadOnly: true, first: 1) { unreadCount } }`;

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          <Route path="/connexion" element={<SignInPage />} />
          <Route path="/connexion/retour" element={<SignInReturnPage />} />
          <Route element={<RequireSession />}>
            <Route element={<Layout />}>
              <Route index element={<Home />} />
              <Route path="national" element={<Only when={isNational}><NationalView /></Only>} />
              <Route path="reseaux/:networkId" element={<NetworkGuard><NetworkView /></NetworkGuard>} />
              <Route path="reseaux/:networkId/microstructures/:microstructureId" element={<NetworkGuard><MicrostructureAdmin /></NetworkGuard>} />
              <Route path="equipe/:microstructureId" element={<TeamGuard><TeamView /></TeamGuard>} />
              <Route path="equipe/:microstructureId/inclusions/:inclusionId" element={<TeamGuard><PatientView /></TeamGuard>} />
              <Route path="indicateurs" element={<Only when={(i) => isNational(i) || hasRole(i, 'funder', 'regional_coordinator')}><IndicatorsView /></Only>} />
              <Route path="formations" element={<TrainingsView />} />
              <Route path="notifications" element={<Only when={(i) => hasRole(i, 'professional')}><NotificationsView /></Only>} />
              <Route path="*" element={<NotFound />} />
            </Route>
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}

function RequireSession() {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/connexion" replace state={{ from: location.pathname }} />;
  return <Outlet />;
}

function Home() {
  return <Navigate to={homePath(useIdentity())} replace />;
}

function Forbidden({ what }: { what: string }) {
  return (
    <div data-testid="forbidden">
      <PageTitle title="Accès refusé">Accès refusé</PageTitle>
      <p className="error" role="alert">
        Vous n’avez pas accès à {what} avec votre rôle. Vos pages restent accessibles depuis le menu.
      </p>
    </div>
  );
}

function Only({ when, children }: { when: (identity: ReturnType<typeof useIdentity>) => boolean; children: ReactNode }) {
  return when(useIdentity()) ? <>{children}</> : <Forbidden what="cette vue" />;
}

function NetworkGuard({ children }: { children: ReactNode }) {
  const { networkId = '' } = useParams();
  return canSeeNetwork(useIdentity(), networkId) ? <>{children}</> : <Forbidden what="ce réseau" />;
}

function TeamGuard({ children }: { children: ReactNode }) {
  const { microstructureId = '' } = useParams();
  return canSeeTeam(useIdentity(), microstructureId) ? <>{children}</> : <Forbidden what="cette équipe" />;
}

function NotFound() {
  return (
    <>
      <PageTitle title="Page introuvable">Page introuvable</PageTitle>
      <p>Cette adresse ne correspond à aucune page du tableau de bord.</p>
    </>
  );
}

/** « Notifications » in the menu, with the number unread (read again every minute and on each page change). */
function NotificationsLink() {
  const location = useLocation();
  const [inbox, refetch] = useQuery<UnreadCountQuery, UnreadCountVariables>({ query: UNREAD_COUNT, requestPolicy: 'cache-and-network' });
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), 60_000);
    return () => clearInterval(timer);
  }, [refetch]);
  useEffect(() => refetch({ requestPolicy: 'network-only' }), [location.pathname, refetch]);
  const unread = inbox.data?.myNotifications.unreadCount ?? 0;
  return (
    <NavLink to="/notifications" aria-label={unread > 0 ? `Notifications, ${unread} non lue${unread > 1 ? 's' : ''}` : 'Notifications'}>
      Notifications{unread > 0 ? <span className="badge unread-count" data-testid="unread-count">{unread}</span> : null}
    </NavLink>
  );
}

function Layout() {
  const identity = useIdentity();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const links: { to: string; label: string }[] = [];
  if (isNational(identity)) links.push({ to: '/national', label: 'Vue nationale' });
  if (hasRole(identity, 'regional_coordinator')) for (const id of identity.networkIds) links.push({ to: `/reseaux/${id}`, label: 'Mon réseau' });
  if (hasRole(identity, 'professional')) for (const id of identity.microstructureIds) links.push({ to: `/equipe/${id}`, label: 'Mon équipe' });
  if (isNational(identity) || hasRole(identity, 'funder', 'regional_coordinator')) links.push({ to: '/indicateurs', label: 'Indicateurs' });
  links.push({ to: '/formations', label: 'Formations' });
  const professional = hasRole(identity, 'professional');
  return (
    <>
      <a className="skip-link" href="#contenu">
        Aller au contenu
      </a>
      <header className="top">
        <div className="brand">
          <span aria-hidden="true" className="logo">
            ◆
          </span>{' '}
          Microstructures médicales
        </div>
        <nav aria-label="Navigation principale">
          <ul>
            {links.map((link) => (
              <li key={link.to}>
                <NavLink to={link.to}>{link.label}</NavLink>
              </li>
            ))}
            {professional ? (
              <li>
                <NotificationsLink />
              </li>
            ) : null}
          </ul>
        </nav>
        <div className="who">
          <span data-testid="who">
            {identity.displayName ?? identity.userId} · {identity.roles.map((r) => ROLE_LABELS[r]).join(', ')}
          </span>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              signOut();
              navigate('/connexion');
            }}
          >
            Se déconnecter
          </button>
        </div>
      </header>
      <main id="contenu">
        <Suspense fallback={<Loading what="la page" />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
