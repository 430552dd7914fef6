import type { Page } from 'playwright-core';
import { launchBrowser, openAccountMenu, openMenu, screenshot, signIn, type TestBrowser } from './support/browser';
import { breadcrumbs, eventually, expectNotice, expectText, gridRow } from './support/expect-ui';
import { type Catalogue, checkFrench, frenchCatalogue } from './support/no-leak';
import { addAdmin, ADMIN, requirePasswordChange, startUiSystem, type UiSystem } from './support/system';

/**
 * The interface locale (Magento's "Interface Locale"): the main flows in French with French labels,
 * and on every page the no-leak check (support/no-leak.ts): no text outside the French catalogue,
 * the data the test typed and two language names. Then the locale chosen in the account menu,
 * remembered for the admin, and a deep link for every page. Screenshots of the grid, the edit page
 * and the configuration page in both locales at 1280 wide (test-output/screenshots/locale-*).
 */
jest.setTimeout(300_000);

const NAME = 'Synchro Commandes';
const EMAIL = 'ops@partenaire.example.com';
const CALLBACK = 'https://partenaire.example.com/rappel';
const FIRST = {
  username: 'premier-admin',
  password: 'mot de passe généré 0001',
  newPassword: 'un mot de passe bien à moi',
};
const SPACES = /[\s\u00a0\u202f]+/g;
const plain = (text: string) => text.replace(SPACES, ' ').trim();

describe('admin UI: interface locale', () => {
  let s: UiSystem;
  let page: Page;
  let catalogue: Catalogue;
  const checked: Array<{ page: string; texts: number }> = [];

  beforeAll(async () => {
    s = await startUiSystem('locale');
    catalogue = frenchCatalogue();
  });
  afterAll(async () => {
    // The figures of the no-leak check, for the report: pages checked and texts on each.
    process.stdout.write(`[admin-ui e2e] French no-leak check: ${JSON.stringify(checked)}\n`);
    await s?.stop();
  });

  /** Fails with the list of texts that are not French (or data) on the page as it is now. */
  async function expectFrench(what: string): Promise<void> {
    const report = await checkFrench(page, catalogue, [ADMIN.username, NAME, EMAIL, CALLBACK]);
    checked.push({ page: what, texts: report.checked });
    expect({ page: what, leaks: report.leaks }).toEqual({ page: what, leaks: [] });
    expect(report.checked).toBeGreaterThan(3);
  }

  describe('in a browser that prefers French', () => {
    let browser: TestBrowser;
    beforeAll(async () => {
      browser = await launchBrowser(s.gateway, { locale: 'fr-FR' });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('runs the main flows in French, with no English on any page', async () => {
      page = await browser.newPage(1280);

      // Sign-in: French from the browser's language; Magento's refusal, by its code, in French.
      await page.goto(`${s.gateway}/admin/`);
      await page.getByRole('heading', { name: 'Bienvenue, veuillez vous connecter' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr-FR');
      await page.getByLabel('Nom d’utilisateur').fill(ADMIN.username);
      await page.getByLabel('Mot de passe', { exact: true }).fill('pas le bon mot de passe');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await expectText(
        page.getByRole('alert'),
        'La connexion au compte est incorrecte ou votre compte est temporairement désactivé. Veuillez patienter et réessayer plus tard.',
      );
      await expectFrench('connexion refusée');
      await page.getByLabel('Mot de passe', { exact: true }).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Se connecter' }).click();

      // The grid, empty: System › Extensions › Integrations.
      await page.getByRole('heading', { name: 'Intégrations', level: 1 }).waitFor();
      expect(await breadcrumbs(page)).toBe('Système › Extensions › Intégrations');
      await expectText(page.locator('.grid-empty'), 'Nous n’avons trouvé aucun enregistrement.');
      expect(plain(await page.locator('.records-found').innerText())).toBe('0 enregistrement trouvé');
      expect(await page.title()).toBe('Intégrations · Administration');
      await expectFrench('grille vide');
      const menu = page.getByRole('navigation', { name: 'Menu principal' });
      await menu.getByRole('button', { name: 'Système' }).click();
      const panel = menu.locator('.side-menu-panel:not([hidden])');
      expect(plain(await panel.innerText())).toBe('Système × Extensions Intégrations');
      expect(await panel.getByRole('link', { name: 'Intégrations' }).getAttribute('aria-current')).toBe('page');
      await expectFrench('menu Système');
      await page.keyboard.press('Escape');
      await openAccountMenu(page);
      expect(await page.getByLabel('Langue de l’interface').inputValue()).toBe('fr-FR');
      await expectFrench('menu du compte');
      await page.keyboard.press('Escape');

      // New Integration: French labels and notes, the API's field errors by their codes.
      await page.getByRole('link', { name: 'Ajouter une nouvelle intégration' }).click();
      await page.getByRole('heading', { name: 'Nouvelle intégration' }).waitFor();
      await page.getByRole('textbox', { name: 'Nom', exact: true }).fill(NAME);
      await page.getByLabel('E-mail').fill('pas-une-adresse');
      await page.getByLabel('URL de rappel').fill(CALLBACK);
      await page.getByLabel('URL du lien d’identité').fill('ftp://partenaire.example.com/connexion');
      await page.getByLabel('Votre mot de passe').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await expectNotice(
        page,
        'L’intégration n’a pas été enregistrée. Corrigez les champs signalés ci-dessous.',
        'error',
      );
      expect(plain(await fieldError(page, 'E-mail'))).toBe(
        'L’adresse e-mail n’est pas valide. Saisissez une adresse comme nom@exemple.fr, ou laissez le champ vide.',
      );
      expect(plain(await fieldError(page, 'URL du lien d’identité'))).toBe(
        'URL du lien d’identité : doit commencer par https:// ou http://.',
      );
      expect(plain(await fieldNote(page, 'URL de rappel'))).toBe(
        'Saisissez l’URL à laquelle les informations d’identification OAuth peuvent être envoyées lors de l’échange de jetons OAuth. L’utilisation de https:// est fortement recommandée.',
      );
      await expectFrench('nouvelle intégration, erreurs');
      await page.getByLabel('E-mail').fill(EMAIL);
      // Without an identity link the activation shows the tokens (no token exchange).
      await page.getByLabel('URL du lien d’identité').fill('');

      // API tab: Magento's resource titles in French, searched in French.
      await page.getByRole('tab', { name: 'API' }).click();
      await page.getByLabel('Accès aux ressources').selectOption({ label: 'Personnalisé' });
      const box = (name: string) => page.getByRole('checkbox', { name, exact: true });
      // The full tree repeats titles (Rapports › Ventes › Commandes): look inside the Sales branch.
      const sales = page.locator('.tree-item[data-resource-id="Magento_Sales::sales"]');
      const salesBox = (name: string) => sales.getByRole('checkbox', { name, exact: true });
      await salesBox('Ventes').check();
      for (const name of ['Opérations', 'Commandes', 'Factures', 'Expéditions'])
        expect(await salesBox(name).isChecked()).toBe(true);
      await expectFrench('onglet API');
      await page.getByLabel('Rechercher des ressources').fill('facture');
      await eventually(
        () => box('Catalogue').count(),
        (n) => n === 0,
        'the search to hide the catalogue',
      );
      expect(await box('Factures').count()).toBe(1);
      await page.getByLabel('Rechercher des ressources').fill('');
      await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await expectNotice(page, `L’intégration «\u00a0${NAME}\u00a0» a été enregistrée.`, 'success');

      // The grid with the row: French status, date in the French format.
      const row = gridRow(page, NAME);
      await expectText(row.locator('.col-status'), 'Inactive');
      expect(await row.locator('.col-last-used').innerText()).toBe('Jamais');
      const created = row.locator('.col-created time');
      expect(await created.innerText()).toBe(
        new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(
          new Date((await created.getAttribute('datetime'))!),
        ),
      );
      await expectFrench('grille');
      await screenshot(page, 'locale-fr-FR-grid');

      // Edit Integration '…': title, breadcrumbs, document title; the same after a reload of its address.
      await row.getByRole('link', { name: `Modifier ${NAME}` }).click();
      const editTitle = `Modifier l’intégration «\u00a0${NAME}\u00a0»`;
      await page.getByRole('heading', { name: editTitle }).waitFor();
      expect(await breadcrumbs(page)).toBe(plain(`Système › Extensions › Intégrations › ${editTitle}`));
      expect(await page.title()).toBe(`${editTitle} · Administration`);
      expect(plain(await page.locator('.form-status').innerText())).toBe('État : Inactive');
      await expectFrench('modification');
      await screenshot(page, 'locale-fr-FR-edit');
      await page.reload();
      await page.getByRole('heading', { name: editTitle }).waitFor();

      // History.
      await page.getByRole('link', { name: 'Historique' }).click();
      await page.getByRole('heading', { name: `Historique de «\u00a0${NAME}\u00a0»` }).waitFor();
      const entries = page.locator('.history-grid tbody tr');
      await eventually(
        () => entries.count(),
        (n) => n === 1,
        'the creation in the history',
      );
      expect(plain(await entries.first().innerText())).toContain(`Créée`);
      expect(plain(await entries.first().innerText())).toContain(`Nom : ${NAME}`);
      await expectFrench('historique');

      // Activate: the permissions dialog, the tokens, the notice.
      await page.getByRole('link', { name: 'Retour' }).click();
      await gridRow(page, NAME)
        .getByRole('button', { name: `Activer ${NAME}` })
        .click();
      const permissions = page.getByRole('dialog', { name: `Activer «\u00a0${NAME}\u00a0»` });
      await permissions.waitFor();
      expect(await permissions.getByRole('list', { name: 'Ressources demandées' }).innerText()).toContain('Commandes');
      await permissions.getByLabel('Votre mot de passe').fill(ADMIN.password);
      await expectFrench('autorisations');
      await permissions.getByRole('button', { name: 'Autoriser' }).click();
      const tokens = page.getByRole('dialog', { name: 'Jetons d’intégration pour les extensions' });
      await tokens.waitFor();
      expect(await tokens.getByLabel('Clé du consommateur', { exact: true }).inputValue()).toMatch(/^[0-9a-z]{32}$/);
      await expectFrench('jetons');
      await tokens.getByRole('button', { name: 'Terminé' }).click();
      await expectNotice(page, `L’intégration «\u00a0${NAME}\u00a0» a été activée.`, 'success');
      await expectText(gridRow(page, NAME).locator('.col-status'), 'Active');
      await expectFrench('grille après activation');

      // Delete asks in French (and is cancelled).
      await gridRow(page, NAME)
        .getByRole('button', { name: `Supprimer ${NAME}` })
        .click();
      const remove = page.getByRole('dialog', { name: 'Supprimer l’intégration' });
      expect(plain(await remove.locator('.modal-body p').first().innerText())).toBe(
        'Voulez-vous vraiment supprimer cette intégration ? Cette action est irréversible.',
      );
      await expectFrench('suppression');
      await remove.getByRole('button', { name: 'Annuler' }).click();

      // Stores › Configuration › Services: Magento Web API, then OAuth with a refused value.
      await openMenu(page, 'stores', 'configuration');
      await page.getByRole('heading', { name: 'Configuration', level: 1 }).waitFor();
      expect(await breadcrumbs(page)).toBe('Magasins › Paramètres › Configuration › Services › API web Magento');
      expect(await page.getByLabel('Autoriser l’accès anonyme des invités').inputValue()).toBe('0');
      await expectFrench('configuration : API web Magento');
      await screenshot(page, 'locale-fr-FR-settings');
      await page
        .getByRole('navigation', { name: 'Sections de la configuration' })
        .getByRole('link', { name: 'OAuth' })
        .click();
      const consumer = page.getByRole('group', { name: 'Paramètres du consommateur' });
      await consumer
        .getByLabel('Autoriser l’utilisation des jetons d’accès OAuth comme jetons Bearer autonomes')
        .waitFor();
      const expiry = consumer.getByLabel('Période d’expiration');
      await expiry.fill('0');
      expect(await expiry.inputValue()).toBe('0');
      await page.getByRole('button', { name: 'Enregistrer la configuration' }).click();
      await expectNotice(
        page,
        'La configuration n’a pas été enregistrée. Corrigez les champs signalés ci-dessous.',
        'error',
      );
      // Numbers in the French way: "86 400".
      const refusal = await eventually(
        () => page.locator('.field-invalid .field-error').allInnerTexts(),
        (texts) => texts.length === 1,
        'the error under Période d’expiration',
      );
      expect(plain(refusal[0])).toBe('Veuillez saisir un nombre entier compris entre 1 et 86 400.');
      await expectFrench('configuration : OAuth, erreur');
      await page.reload();
      await consumer.getByLabel('Période d’expiration').waitFor();
      expect(new URL(page.url()).pathname).toBe('/admin/config/oauth');

      // An address with no page, and signing out.
      await page.goto(`${s.gateway}/admin/nulle-part`);
      await page.getByRole('heading', { name: 'Page introuvable' }).waitFor();
      await expectFrench('page introuvable');
      await openAccountMenu(page);
      await page.getByRole('button', { name: 'Déconnexion' }).click();
      await expectText(page.getByRole('status').first(), 'Vous êtes déconnecté.');
      await expectFrench('déconnexion');
      await page.close();
    });

    it('asks an admin whose password must be replaced (the generated first admin) for a new one, in French', async () => {
      addAdmin(s, FIRST.username, FIRST.password);
      await requirePasswordChange(s, FIRST.username);
      page = await browser.newPage(1280);
      await page.goto(`${s.gateway}/admin/`);
      await page.getByLabel('Nom d’utilisateur').fill(FIRST.username);
      await page.getByLabel('Mot de passe', { exact: true }).fill(FIRST.password);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await expectText(
        page.getByRole('alert'),
        'Il est temps de changer votre mot de passe. Celui-ci a été généré au premier démarrage : saisissez un nouveau mot de passe d’au moins 12 caractères et connectez-vous.',
      );
      await expectFrench('nouveau mot de passe demandé');

      // The server's password rules, by the refusal's code.
      await page.getByLabel('Nouveau mot de passe').fill('trop court');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await expectText(
        page.getByRole('alert'),
        'Votre nouveau mot de passe n’a pas été accepté. Utilisez de 12 à 256 caractères, autres que votre nom d’utilisateur et votre mot de passe actuel.',
      );
      await expectFrench('nouveau mot de passe refusé');

      await page.getByLabel('Nouveau mot de passe').fill(FIRST.newPassword);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.getByRole('heading', { name: 'Intégrations', level: 1 }).waitFor();
      await page.close();
    });
  });

  describe('in a browser that prefers English', () => {
    let browser: TestBrowser;
    beforeAll(async () => {
      browser = await launchBrowser(s.gateway);
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('switches the locale from the account menu and remembers it for the admin; every page has an address', async () => {
      const integration = await s.api.createIntegration({
        name: 'Orders Sync',
        email: 'ops@partner.example.com',
        callbackUrl: 'https://partner.example.com/callback',
      });
      page = await browser.newPage(1280);
      // A deep link before signing in: the sign-in form there, then that page.
      await signIn(page, s.gateway, ADMIN, '/admin/config/oauth');
      await page.getByRole('group', { name: 'Consumer Settings' }).waitFor();
      await page.getByRole('heading', { name: 'OAuth', level: 2 }).waitFor();

      await openAccountMenu(page);
      await page.getByLabel('Interface Locale').selectOption({ label: 'Français (France)' });
      await page.getByRole('group', { name: 'Paramètres du consommateur' }).waitFor();
      expect(await page.evaluate(() => localStorage.getItem('integrations-admin.locale:ui-admin'))).toBe('fr-FR');
      await page.reload();
      await page.getByRole('group', { name: 'Paramètres du consommateur' }).waitFor();

      // Another tab has no session (sessionStorage), but this browser's last locale, and keeps its address.
      const second = await browser.newPage(1280);
      await second.goto(`${s.gateway}/admin/integrations/new`);
      await second.getByRole('heading', { name: 'Bienvenue, veuillez vous connecter' }).waitFor();
      await signIn(second, s.gateway, ADMIN, '/admin/integrations/new');
      await second.getByRole('heading', { name: 'Nouvelle intégration' }).waitFor();
      await second.close();

      await openAccountMenu(page);
      await page.getByLabel('Langue de l’interface').selectOption({ label: 'English (United States)' });
      await page.getByRole('group', { name: 'Consumer Settings' }).waitFor();
      expect(await page.evaluate(() => localStorage.getItem('integrations-admin.locale:ui-admin'))).toBe('en-US');

      // Every page at its own address, loaded afresh (a reload, a bookmark, a shared link).
      const id = encodeURIComponent(integration.id);
      const pages: Array<[string, string]> = [
        ['/admin/', 'Integrations'],
        ['/admin/integrations', 'Integrations'],
        ['/admin/integrations/new', 'New Integration'],
        [`/admin/integrations/${id}`, "Edit Integration 'Orders Sync'"],
        [`/admin/integrations/${id}/history`, 'History of "Orders Sync"'],
        ['/admin/config/webapi', 'Configuration'],
        ['/admin/config/oauth', 'Configuration'],
      ];
      for (const [path, heading] of pages) {
        await page.goto(`${s.gateway}${path}`);
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
        expect(new URL(page.url()).pathname).toBe(path);
      }

      // The English screenshots: Magento's own labels.
      await page.goto(`${s.gateway}/admin/`);
      await gridRow(page, 'Orders Sync').waitFor();
      await screenshot(page, 'locale-en-US-grid');
      await page.goto(`${s.gateway}/admin/integrations/${id}`);
      await page.getByRole('heading', { name: "Edit Integration 'Orders Sync'" }).waitFor();
      expect(await fieldNote(page, 'Callback URL')).toBe(
        'Enter URL where OAuth credentials can be sent when using OAuth for token exchange. We strongly recommend using https://.',
      );
      expect(await fieldNote(page, 'Identity link URL')).toBe(
        'URL to redirect user to link their 3rd party account with these integration credentials.',
      );
      await screenshot(page, 'locale-en-US-edit');
      await page.goto(`${s.gateway}/admin/config/webapi`);
      await page.getByLabel('Allow Anonymous Guest Access').waitFor();
      await screenshot(page, 'locale-en-US-settings');
      await page.close();
    });
  });
});

/** The error shown under the field with this label. */
async function fieldError(page: Page, label: string): Promise<string> {
  const field = page.locator('.field').filter({ has: page.getByLabel(label, { exact: true }) });
  return expectText(field.locator('.field-error'), /./, `the error of ${label}`);
}

/** The help note under the field with this label. */
async function fieldNote(page: Page, label: string): Promise<string> {
  const field = page.locator('.field').filter({ has: page.getByLabel(label, { exact: true }) });
  return (await field.locator('.field-note').innerText()).trim();
}
