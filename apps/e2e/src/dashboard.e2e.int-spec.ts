import { Identity } from '@cnrms/auth';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { readFileSync } from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { LAPTOP, launchChromium, screenshot, signInAs, TABLET } from './dashboard-browser';
import { Platform, tokenFor } from './platform';

/**
 * The dashboard end to end, in a real headless Chromium (playwright-core, Debian's chromium): the
 * platform started as `npm start` does (embedded mode, demo data, the dashboard built and served by the
 * gateway at /), each role signing in on the demo sign-in page and using its view. Screenshots of each
 * main view are written to apps/e2e/screenshots/ (git-ignored).
 */

const admin: Identity = { userId: 'u-e2e-admin', roles: ['admin'], networkIds: [], microstructureIds: [] };
type Directory = { networks: { nodes: { id: string; name: string; microstructures: { nodes: { id: string; name: string }[] } }[] } };

describe('dashboard in a browser', () => {
  let database: TestDatabase;
  let platform: Platform;
  let browser: Browser;
  let directory: Directory['networks']['nodes'];
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  const networkNamed = (name: string) => directory.find((n) => n.name === name)!;
  const microstructureNamed = (name: string) => directory.flatMap((n) => n.microstructures.nodes).find((m) => m.name === name)!;

  /** A fresh browser context (its own session storage) at a laptop width, in French. */
  async function newPage(viewport = LAPTOP): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris', acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
    return page;
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_dashboard');
    platform = await Platform.start({ databaseUrl: database.url, portOffset: 6000, demoData: true, timeoutMs: 170_000 });
    // The figures and caseloads below count the demo's generated year, which loads after the platform is ready.
    await platform.demoLoaded();
    browser = await launchChromium();
    const answer = await platform.data<Directory>(admin, '{ networks(page: { first: 100 }) { nodes { id name microstructures(page: { first: 100 }) { nodes { id name } } } } }');
    directory = answer.networks.nodes;
    // A bound for Jest only: the waits above give up when the start or the demo year stops making progress.
  }, 600_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
    await database?.drop();
  }, 60_000);

  afterEach(() => {
    // No uncaught exception in any page.
    expect(errors).toEqual([]);
  });

  it('is served by the gateway beside /graphql, and the sign-in page lists the demo identities', async () => {
    const index = await fetch(`${platform.gatewayUrl}/reseaux/inconnu`, { headers: { accept: 'text/html' } });
    expect(index.status).toBe(200);
    expect(await index.text()).toMatch(/<div id="root">/);
    const page = await newPage();
    await page.goto(`${platform.gatewayUrl}/`);
    await page.waitForURL(/\/connexion$/);
    await page.locator('button.identity').first().waitFor();
    for (const role of ['Coordination nationale', 'Coordination régionale', 'Médecin généraliste', 'Psychologue', 'Travailleur social', 'Financeur']) {
      await expect(page.getByRole('heading', { name: role, exact: true }).count()).resolves.toBe(1);
    }
    await screenshot(page, 'sign-in');
  }, 60_000);

  it('sends a user whose token the gateway refuses back to the sign-in page, saying why', async () => {
    const page = await newPage();
    const [head, payload] = tokenFor({ userId: 'u-e2e-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] }).split('.');
    await page.addInitScript({ content: `sessionStorage.setItem('cnrms.session', ${JSON.stringify(`${head}.${payload}.not-the-signature`)})` });
    await page.goto(`${platform.gatewayUrl}/national`);
    await page.waitForURL(/\/connexion$/, { timeout: 15_000 });
    await page.getByText('Votre session a expiré : reconnectez-vous.').waitFor();
  }, 60_000);

  it('the national coordination sees the national map, the networks with their sparklines and trends, and drills down to a network', async () => {
    const page = await newPage();
    await signInAs(page, platform.gatewayUrl, /^Coordination nationale/);
    await page.waitForURL(/\/national$/);
    const rows = page.locator('[data-testid="national-table"] tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(3);
    // Thirteen regions drawn; the three demo regions are links to their network.
    expect(await page.locator('.region-map path').count()).toBe(13);
    expect(await page.locator('.region-map a').count()).toBe(3);
    expect(await page.locator('[data-testid="national-table"] .recharts-surface').count()).toBe(3);
    const kind = page.getByRole('form', { name: 'Filtres' }).locator('select').nth(1);
    await kind.selectOption('MENTAL_HEALTH');
    await expect(rows.first().locator('td').nth(1).textContent()).resolves.toBe('0');
    await kind.selectOption('');
    // The reporting service's file active by network, last month, colours the map.
    await page.getByRole('form', { name: 'Filtres' }).locator('select').nth(2).selectOption('rep:active_caseload');
    await page.getByRole('heading', { name: /Tendance par mois : file active/ }).waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'national');
    await page.setViewportSize(TABLET);
    await screenshot(page, 'national-tablet');
    await page.setViewportSize(LAPTOP);
    await page.getByRole('link', { name: 'Réseau démo Val-Fictif' }).click();
    await page.waitForURL(new RegExp(`/reseaux/${networkNamed('Réseau démo Val-Fictif').id}$`));
    await page.locator('[data-testid="microstructures"] tbody tr').first().waitFor();
    expect(await page.locator('[data-testid="microstructures"] tbody tr').count()).toBe(2);
  }, 90_000);

  it('a regional coordinator sees their network (completeness, activity, meetings heatmap) and creates a microstructure that appears in it', async () => {
    const page = await newPage();
    await signInAs(page, platform.gatewayUrl, /Coordination — Réseau démo Val-Fictif/);
    const network = networkNamed('Réseau démo Val-Fictif');
    await page.waitForURL(new RegExp(`/reseaux/${network.id}$`));
    const table = page.locator('[data-testid="microstructures"]');
    await table.locator('tbody tr').first().waitFor();
    const tilleuls = table.locator('tr', { hasText: 'Microstructure des Tilleuls (démo)' });
    // The demo care team is complete and follows the demo patients.
    expect(await tilleuls.locator('.check.ok').count()).toBe(3);
    // Its activity comes from the inclusions service (file active, counts only).
    await page.waitForFunction(
      `(() => { const row = [...document.querySelectorAll('[data-testid="microstructures"] tr')].find((r) => r.textContent.includes('Tilleuls')); const cell = row && row.querySelectorAll('td')[6]; return Boolean(cell) && Number(cell.textContent) > 0; })()`,
      undefined,
      { timeout: 30_000 },
    );
    await page.locator('[data-testid="heatmap"]').waitFor();
    expect(await page.locator('[data-testid="heatmap"] tbody tr').count()).toBe(2);

    const form = page.getByRole('form', { name: 'Créer une microstructure' });
    await form.getByLabel('Nom').fill('Microstructure des Essais (e2e)');
    await form.locator('select[name="kind"]').selectOption('MENTAL_HEALTH');
    await form.locator('select[name="department"]').selectOption('68');
    await form.getByLabel('Lieu d’exercice').fill('Cabinet des Essais');
    await form.getByLabel('Adresse').fill('7 rue du Test');
    await form.getByLabel('Code postal').fill('68000');
    await form.getByLabel('Commune').fill('Testville');
    await form.getByRole('button', { name: 'Créer la microstructure' }).click();
    await page.getByRole('status').filter({ hasText: 'est créée' }).waitFor();
    const created = table.locator('tr', { hasText: 'Microstructure des Essais (e2e)' });
    await created.waitFor({ timeout: 15_000 });
    await expect(created.textContent()).resolves.toMatch(/Santé mentale.*En création.*68/);
    // The other teams keep their activity while the new one is not known to the inclusions service yet.
    await page.waitForFunction(
      `(() => { const row = [...document.querySelectorAll('[data-testid="microstructures"] tr')].find((r) => r.textContent.includes('Tilleuls')); const cell = row && row.querySelectorAll('td')[6]; return Boolean(cell) && Number(cell.textContent) > 0; })()`,
      undefined,
      { timeout: 15_000 },
    );
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'network');

    // Its directory page: add a professional to the new team.
    await created.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Microstructure des Essais (e2e)' }).waitFor();
    const add = page.getByRole('form', { name: 'Enregistrer un professionnel et l’ajouter à l’équipe' });
    await add.getByLabel('Prénom').fill('Zoé');
    await add.getByLabel('Nom', { exact: true }).fill('Essai-Social');
    await add.locator('select[name="profession"]').selectOption('SOCIAL_WORKER');
    await add.getByRole('button', { name: 'Enregistrer et ajouter' }).click();
    await page.getByRole('status').filter({ hasText: 'fait maintenant partie de l’équipe' }).waitFor();
    await page.locator('tr', { hasText: 'Zoé Essai-Social' }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'network-microstructure');
  }, 90_000);

  it('a user of one network cannot reach another network’s pages', async () => {
    const page = await newPage();
    await signInAs(page, platform.gatewayUrl, /Coordination — Réseau démo Val-Fictif/);
    const other = networkNamed('Réseau démo Côte-Imaginaire');
    const otherTeam = microstructureNamed('Microstructure du Port (démo)');
    for (const path of [`/reseaux/${other.id}`, `/reseaux/${other.id}/microstructures/${otherTeam.id}`, `/equipe/${otherTeam.id}`, '/national']) {
      await page.goto(`${platform.gatewayUrl}${path}`);
      await page.locator('[data-testid="forbidden"]').waitFor();
      expect(await page.getByRole('alert').textContent()).toMatch(/Vous n’avez pas accès/);
    }
    await screenshot(page, 'forbidden');
    // A professional of one team neither.
    const professional = await newPage();
    await signInAs(professional, platform.gatewayUrl, /Alice Exemple/);
    await professional.goto(`${platform.gatewayUrl}/equipe/${otherTeam.id}`);
    await professional.locator('[data-testid="forbidden"]').waitFor();
    // And the API refuses too: the page guard is not the only line.
    const coordinator: Identity = { userId: 'u-e2e-coord', roles: ['regional_coordinator'], networkIds: [networkNamed('Réseau démo Val-Fictif').id], microstructureIds: [] };
    const answer = await platform.query(coordinator, 'query($id: ID!) { microstructure(id: $id) { id caseloadSummary { active } } }', { id: otherTeam.id });
    expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  }, 60_000);

  it('a professional sees the caseload with due and overdue assessments, records a session and sees it in the patient’s timeline', async () => {
    const page = await newPage();
    await signInAs(page, platform.gatewayUrl, /Bruno Modèle/);
    const team = microstructureNamed('Microstructure des Tilleuls (démo)');
    await page.waitForURL(new RegExp(`/equipe/${team.id}$`));
    const caseload = page.locator('[data-testid="caseload"] tbody tr');
    // The page shows what the caseload held when it loaded: on a busy machine the team's read model may still
    // be catching up with the demo (memberships, inclusions), so the page is loaded again while it is empty.
    for (let attempt = 1; ; attempt++) {
      try {
        await caseload.first().waitFor({ timeout: 20_000 });
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
        await page.reload();
      }
    }
    // Every patient followed is listed: as many rows as the summary counts.
    const followed = Number(await page.locator('.kpis li').first().locator('strong').textContent());
    expect(followed).toBeGreaterThanOrEqual(7);
    expect(await caseload.count()).toBe(followed);
    expect(await page.locator('[data-testid="caseload"] .badge.alert').count()).toBeGreaterThan(0);
    await page.locator('[data-testid="suggestions"] li').first().waitFor();
    await screenshot(page, 'team');
    await page.setViewportSize(TABLET);
    await screenshot(page, 'team-tablet');
    await page.setViewportSize(LAPTOP);

    await page.getByRole('link', { name: 'Ventôse Marjolaine' }).click();
    const timeline = page.locator('[data-testid="timeline"] li');
    await timeline.first().waitFor();
    const before = await timeline.count();
    const form = page.getByRole('form', { name: 'Enregistrer une séance' });
    // The psychologist's session kind is chosen from their profession.
    await page.waitForFunction(`document.querySelector('form[aria-label="Enregistrer une séance"] select')?.value === 'PSYCHOLOGIST_SESSION'`);
    await form.getByLabel('Durée (minutes)').fill('50');
    await form.getByRole('button', { name: 'Enregistrer la séance' }).click();
    await page.getByRole('status').filter({ hasText: 'Séance enregistrée' }).waitFor();
    await page.waitForFunction(`document.querySelectorAll('[data-testid="timeline"] li').length > ${before}`, undefined, { timeout: 15_000 });
    const today = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(new Date());
    await expect(timeline.first().textContent()).resolves.toContain(today);
    await screenshot(page, 'patient');
  }, 90_000);

  it('a professional prepares the next meeting with the suggested patients and records it', async () => {
    const page = await newPage();
    await signInAs(page, platform.gatewayUrl, /Alice Exemple/);
    await page
      .locator('[data-testid="suggestions"] li')
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(async (error) => {
        await screenshot(page, 'failure-team-meeting');
        throw error;
      });
    const plan = page.getByRole('form', { name: 'Prévoir une réunion' });
    await plan.getByRole('button', { name: 'Prévoir' }).click();
    await page.getByRole('status').filter({ hasText: 'Réunion prévue' }).waitFor();
    await page.locator('[data-testid="next-meeting"] strong').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="suggestions"] input[type="checkbox"]').first().check();
    // The situation summary of the reviewed patient: encrypted and kept by the meetings service.
    const summaries = async () => Number((await database.pool.query('select count(*) from meetings.case_reviews where summary_ciphertext is not null')).rows[0].count);
    const summariesBefore = await summaries();
    await page.locator('[data-testid="suggestions"] textarea').first().fill('Reprise de contact avec le CSAPA, hébergement à retrouver (e2e).');
    const hold = page.getByRole('form', { name: 'Enregistrer la réunion tenue' });
    await hold.getByRole('button', { name: /Enregistrer la réunion \(1 situation/ }).click();
    await page.getByRole('status').filter({ hasText: '1 situation(s) examinée(s)' }).waitFor();
    expect(await summaries()).toBe(summariesBefore + 1);
    await page.getByText('Réunions tenues récemment').waitFor({ timeout: 15_000 });
    await screenshot(page, 'team-meeting');
  }, 90_000);

  it('trainings: a coordinator publishes one, a professional registers (the next one waits), attendance is recorded, the professional has hours and a certificate', async () => {
    const coordinator = await newPage();
    await signInAs(coordinator, platform.gatewayUrl, /Coordination — Réseau démo Val-Fictif/);
    await coordinator.getByRole('link', { name: 'Formations' }).click();
    const publish = coordinator.getByRole('form', { name: 'Publier une formation' });
    await publish.getByLabel('Titre').fill('Repérage de l’hépatite C (e2e)');
    await publish.getByLabel('Places').fill('1');
    // A session today: attendance can be recorded from the session's day on.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    await publish.locator('input[name="date"]').fill(today);
    await publish.locator('input[name="closesOn"]').fill(today);
    await publish.getByRole('button', { name: 'Publier' }).click();
    await coordinator.getByRole('status').filter({ hasText: 'est publiée' }).waitFor();

    const page = await newPage();
    await signInAs(page, platform.gatewayUrl, /Chloé Démo/);
    await page.getByRole('link', { name: 'Formations' }).click();
    const row = page.locator('[data-testid="catalogue"] tr', { hasText: 'Repérage de l’hépatite C (e2e)' });
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole('button', { name: 'S’inscrire' }).click();
    await page.getByRole('status').filter({ hasText: 'Vous êtes inscrit(e)' }).waitFor();
    await page.locator('[data-testid="my-registrations"] li', { hasText: 'Repérage de l’hépatite C (e2e)' }).waitFor({ timeout: 15_000 });
    await expect(page.locator('[data-testid="my-hours"]').textContent()).resolves.toMatch(/h de formation suivies/);

    // The only seat is taken: the next professional goes on the waiting list.
    const next = await newPage();
    await signInAs(next, platform.gatewayUrl, /Alice Exemple/);
    await next.getByRole('link', { name: 'Formations' }).click();
    const full = next.locator('[data-testid="catalogue"] tr', { hasText: 'Repérage de l’hépatite C (e2e)' });
    await full.getByRole('button', { name: 'Liste d’attente' }).click({ timeout: 15_000 });
    await next.getByRole('status').filter({ hasText: 'liste d’attente (rang 1)' }).waitFor();

    // The coordination records who attended; the professional then has hours and a certificate.
    await coordinator.getByRole('link', { name: 'Mon réseau' }).click();
    await coordinator.getByRole('button', { name: /Émargement : Repérage de l’hépatite C \(e2e\)/ }).click({ timeout: 15_000 });
    const sheet = coordinator.getByRole('form', { name: 'Émargement' });
    await sheet.getByLabel('Chloé Démo').check();
    await sheet.getByRole('button', { name: 'Enregistrer les présences' }).click();
    await coordinator.getByRole('status').filter({ hasText: 'Présences enregistrées : 1 présent(s)' }).waitFor();
    await screenshot(coordinator, 'network-attendance');

    await page.reload();
    const attended = page.locator('[data-testid="my-registrations"] li', { hasText: 'présent(e)' });
    await attended.waitFor({ timeout: 15_000 });
    await expect(page.locator('[data-testid="my-hours"]').textContent()).resolves.toMatch(/[1-9][\d,]* h de formation suivies/);
    const pdf = page.waitForEvent('download');
    await attended.getByRole('button', { name: 'Attestation (PDF)' }).click();
    const certificate = await pdf;
    expect(certificate.suggestedFilename()).toMatch(/\.pdf$/);
    expect(readFileSync((await certificate.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    await screenshot(page, 'trainings');
  }, 120_000);

  it('trainings: the coordination edits a published training (the seat it adds goes to the professional waiting, who finds the notice in her inbox) and cancels it; the professionals see it', async () => {
    const coordinator = await newPage();
    coordinator.on('dialog', (dialog) => void dialog.accept());
    await signInAs(coordinator, platform.gatewayUrl, /Coordination — Réseau démo Val-Fictif/);
    await coordinator.getByRole('link', { name: 'Formations' }).click();
    const publish = coordinator.getByRole('form', { name: 'Publier une formation' });
    await publish.getByLabel('Titre').fill('Entretien motivationnel (e2e)');
    await publish.getByLabel('Places').fill('1');
    await publish.getByRole('button', { name: 'Publier' }).click();
    await coordinator.getByRole('status').filter({ hasText: 'est publiée' }).waitFor();

    const first = await newPage();
    await signInAs(first, platform.gatewayUrl, /Chloé Démo/);
    await first.getByRole('link', { name: 'Formations' }).click();
    await first.locator('[data-testid="catalogue"] tr', { hasText: 'Entretien motivationnel (e2e)' }).getByRole('button', { name: 'S’inscrire' }).click({ timeout: 15_000 });
    await first.getByRole('status').filter({ hasText: 'Vous êtes inscrit(e)' }).waitFor();
    const waiting = await newPage();
    await signInAs(waiting, platform.gatewayUrl, /Alice Exemple/);
    await waiting.getByRole('link', { name: 'Formations' }).click();
    await waiting.locator('[data-testid="catalogue"] tr', { hasText: 'Entretien motivationnel (e2e)' }).getByRole('button', { name: 'Liste d’attente' }).click({ timeout: 15_000 });
    await waiting.getByRole('status').filter({ hasText: 'liste d’attente (rang 1)' }).waitFor();

    // The coordination renames it and adds a seat: the professional waiting gets it.
    await coordinator.reload();
    const organised = coordinator.locator('[data-testid="organised-trainings"] li', { hasText: 'Entretien motivationnel (e2e)' });
    await organised.getByRole('button', { name: 'Modifier ou annuler' }).click({ timeout: 15_000 });
    const edit = coordinator.getByRole('form', { name: 'Modifier « Entretien motivationnel (e2e) »' });
    await edit.getByLabel('Titre').fill('Entretien motivationnel, niveau 1 (e2e)');
    await edit.getByLabel('Places').fill('2');
    await edit.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await coordinator.getByRole('status').filter({ hasText: 'est modifiée' }).waitFor();
    await screenshot(coordinator, 'training-edit');
    await waiting.reload();
    await waiting.locator('[data-testid="my-registrations"] li', { hasText: 'Entretien motivationnel, niveau 1 (e2e)' }).filter({ hasText: 'Inscrit' }).waitFor({ timeout: 15_000 });
    // She is told so in her inbox (the menu counts what she has not read), and marks it read.
    await waiting.getByRole('link', { name: /^Notifications/ }).click();
    const promotion = waiting.locator('[data-testid="notification"][data-kind="WAIT_LIST_PROMOTION"]', { hasText: 'Entretien motivationnel, niveau 1 (e2e)' });
    // The inbox has answered when it lists a notice or says it is empty (before, the page may still be loading).
    const inboxAnswered = () => waiting.locator('[data-testid="notification"], [data-testid="inbox-empty"]').first().waitFor({ timeout: 15_000 });
    await inboxAnswered();
    for (let attempt = 0; !(await promotion.isVisible()); attempt++) {
      // The notice crosses the bus to the notifications service: read the inbox again while it is on its way.
      if (attempt === 60) throw new Error('no wait-list notice in the inbox');
      await waiting.waitForTimeout(500);
      await waiting.reload();
      await inboxAnswered();
    }
    await expect(promotion.locator('h3').textContent()).resolves.toBe('Une place s’est libérée : vous êtes inscrit·e à « Entretien motivationnel, niveau 1 (e2e) »');
    const unreadBefore = Number(await waiting.getByTestId('unread-count').textContent());
    expect(unreadBefore).toBeGreaterThanOrEqual(1);
    await screenshot(waiting, 'inbox');
    await promotion.getByRole('button', { name: 'Marquer comme lue' }).click();
    await waiting.locator('[data-testid="notification"][data-kind="WAIT_LIST_PROMOTION"].read', { hasText: 'Entretien motivationnel, niveau 1 (e2e)' }).waitFor({ timeout: 15_000 });
    await waiting.getByRole('link', { name: 'Formations' }).click();
    const left = unreadBefore - 1;
    await waiting.getByRole('link', { name: left === 0 ? 'Notifications' : `Notifications, ${left} non lue${left > 1 ? 's' : ''}`, exact: true }).waitFor({ timeout: 15_000 });

    // Then cancels it: every registration is cancelled, the catalogue says so.
    const cancel = coordinator.getByRole('form', { name: /^Annuler « Entretien motivationnel/ });
    await cancel.getByLabel('Motif d’annulation').selectOption('TRAINER_UNAVAILABLE');
    await cancel.getByRole('button', { name: 'Annuler la formation' }).click();
    await coordinator.getByRole('status').filter({ hasText: 'est annulée' }).waitFor();
    await first.reload();
    await first.locator('[data-testid="my-registrations"] li', { hasText: 'Entretien motivationnel, niveau 1 (e2e)' }).filter({ hasText: 'formation annulée' }).waitFor({ timeout: 15_000 });
    const row = first.locator('[data-testid="catalogue"] tr', { hasText: 'Entretien motivationnel, niveau 1 (e2e)' });
    await expect(row.locator('[data-testid="training-cancelled"]').textContent()).resolves.toMatch(/Annulée · Intervenant indisponible/);
    expect(await row.getByRole('button').count()).toBe(0);
    await screenshot(first, 'training-cancelled');
  }, 120_000);

  it('the funder explores indicators: masked cells shown with their reason, a CSV export, a printable report', async () => {
    const page = await newPage();
    await signInAs(page, platform.gatewayUrl, /Financeur/);
    await page.waitForURL(/\/indicateurs$/);
    const explorer = page.getByRole('form', { name: 'Choisir les indicateurs' });
    await explorer.waitFor();
    // Indicators, period, grouping: new inclusions by network, month by month.
    for (const box of await explorer.locator('input[name="code"]').all()) if (await box.isChecked()) await box.uncheck();
    await explorer.getByLabel('Nouvelles inclusions').check();
    await explorer.getByLabel('File active').check();
    await explorer.locator('select[name="groupBy"]').selectOption('NETWORK');
    await explorer.getByRole('button', { name: 'Afficher' }).click();
    const table = page.locator('[data-testid="indicator-new_inclusions"]');
    await table.waitFor();
    await page.locator('[data-testid="indicator-active_caseload"]').waitFor();
    // Three demo networks, and small cells masked: no figure, the reason given.
    expect(await table.locator('tbody tr:not(.total)').count()).toBe(3);
    const masked = page.locator('[data-testid="suppressed-cell"]');
    expect(await masked.count()).toBeGreaterThan(0);
    expect(await masked.first().getAttribute('title')).toMatch(/[Mm]asquée/);
    expect(await masked.first().textContent()).toMatch(/^masqué/);
    await page.locator('[data-testid="suppression-legend"]').first().waitFor();
    await screenshot(page, 'funder');

    const download = page.waitForEvent('download');
    await page.locator('section', { has: table }).getByRole('button', { name: 'Exporter en CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^new_inclusions_.*\.csv$/);
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [header, ...lines] = csv.slice(1).trim().split(/\r?\n/);
    expect(header).toMatch(/^Indicateur;Libellé;Période;Réseau régional;/);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((line) => /;oui;Masquée/.test(line))).toBe(true);

    // The printable report: menus and forms hidden by the print stylesheet.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await explorer.isVisible()).toBe(false);
    expect(await table.isVisible()).toBe(true);
    await screenshot(page, 'funder-print');
    await page.emulateMedia({ media: 'screen' });

    // A funder has no network or team pages.
    await page.goto(`${platform.gatewayUrl}/reseaux/${networkNamed('Réseau démo Val-Fictif').id}`);
    await page.locator('[data-testid="forbidden"]').waitFor();
  }, 90_000);
});
