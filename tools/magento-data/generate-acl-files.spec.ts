import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AclCatalog } from '@integrations/contracts';
import { generateAclFiles, renderAclFiles } from './generate-acl-files';

describe('config/acl-resources.json and config/routes.json (and their k8s copies)', () => {
  const generated = generateAclFiles();

  it.each(Object.entries(renderAclFiles(generated)))(
    '%s is what tools/magento-data/generate-acl-files.ts writes (run it when this fails)',
    (file, text) => {
      expect(readFileSync(join(__dirname, '../..', file), 'utf8')).toBe(text);
    },
  );

  it("holds Magento 2.4.4's counts: 257 ACL ids, 413 routes (343 core), 59 anonymous, 37 self, 31 guest", () => {
    expect(generated.counts).toEqual({ aclIds: 257, routes: 413, coreRoutes: 343, anonymous: 59, self: 37, guest: 31 });
    expect(AclCatalog.parse(generated.catalog).size).toBe(257 - 2); // all > admin are not in the file
  });

  it('leaves out nothing but the duplicate admin-token route and the trailing slashes', () => {
    const input = JSON.parse(readFileSync(join(__dirname, 'data/magento-2.4.4-webapi-routes.json'), 'utf8')) as {
      routes: Array<{ method: string; url: string }>;
    };
    const declared = new Set(input.routes.map((r) => `${r.method} ${r.url.replace(/\/$/, '')}`));
    expect(input.routes).toHaveLength(414);
    expect(new Set(generated.routes.routes.map((r) => `${r.method} ${r.path}`))).toEqual(declared);
  });
});
