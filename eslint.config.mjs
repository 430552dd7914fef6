import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * Module boundaries that actually constrain (docs/adr/0001):
 *  - an app may use shared libs, never another app (services talk over HTTP/Kafka only);
 *  - contracts depend on nothing of ours (external subscribers import them);
 *  - runtime libs never import the testing lib; only tests and the testing lib may;
 *  - tools/ (scripts, the local launcher) use libs only; tests/ and bench/ drive the system from
 *    outside (processes, HTTP, Kafka, the stores) and may use tools/ (`@integrations/run-local`).
 * Nx itself refuses any import of an app from another project, and any relative import that
 * crosses a project's root.
 */
const depConstraints = [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  // type:testing only for tests: runtime files are held back by no-restricted-imports below.
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib', 'type:testing'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib', 'type:testing'] },
  { sourceTag: 'type:example', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib'] },
  { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib', 'type:testing'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib', 'type:testing', 'type:tooling'] },
  { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib', 'type:testing', 'type:tooling'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:shared', 'scope:gateway'] },
  { sourceTag: 'scope:registry', onlyDependOnLibsWithTags: ['scope:shared', 'scope:registry'] },
  { sourceTag: 'scope:oauth', onlyDependOnLibsWithTags: ['scope:shared', 'scope:oauth'] },
  { sourceTag: 'scope:acl', onlyDependOnLibsWithTags: ['scope:shared', 'scope:acl'] },
  { sourceTag: 'scope:config', onlyDependOnLibsWithTags: ['scope:shared', 'scope:config'] },
  { sourceTag: 'scope:examples', onlyDependOnLibsWithTags: ['scope:shared', 'scope:examples'] },
  { sourceTag: 'scope:tooling', onlyDependOnLibsWithTags: ['scope:shared', 'scope:tooling'] },
  { sourceTag: 'scope:system', onlyDependOnLibsWithTags: ['scope:shared', 'scope:tooling', 'scope:system'] },
];

const boundaries = (allow = []) => ['error', { enforceBuildableLibDependency: false, allow, depConstraints }];

/**
 * Known debt, listed import by import so that nothing else slips in (the rule's `allow`, never an
 * eslint-disable comment in the file):
 *  - the benchmarks start services in a child process through each app's start function
 *    (bench/lib/serve.ts) and time the registry's grid query in process;
 *  - the fault suite rebuilds the projections with the apps' own code to compare them with the live
 *    ones;
 *  - the gateway's platform tests (and the security suite built on them) boot every service and the
 *    example apps in one process, with overrides only a start function takes (clocks, rate limits,
 *    upstreams); the admin stack shows the way out: startServiceProcess from @integrations/testing;
 *  - the deploy checks compare the manifests with each service's own typed environment loader;
 *  - the admin API's OpenAPI document is generated from the gateway's request and reply schemas
 *    (tools/docs/openapi.ts; it belongs in the gateway, or those schemas in libs/contracts);
 *  - the admin UI's browser tests boot the system with the local launcher.
 * All of them should move to the apps' entry points, operations commands or shared contracts.
 */
const whiteBoxImports = {
  'bench/lib/serve.ts': [
    '../../apps/registry/src/start',
    '../../apps/gateway/src/start',
    '../../apps/oauth/src/start',
    '../../apps/acl/src/start',
    '../../apps/config/src/start',
    '../../examples/commerce-api/src/start',
  ],
  'bench/grid.bench.ts': [
    '../apps/registry/src/integration/integration-grid.projection',
    '../apps/registry/src/integration/list-integrations/list-integrations.request',
  ],
  'bench/lib/grid-data.ts': ['../../apps/registry/src/integration/integration-grid.projection'],
  'tests/faults/support/consistency.ts': [
    '../../../apps/acl/src/grants/grants.projection',
    '../../../apps/oauth/src/consumer/consumer.store',
    '../../../apps/oauth/src/integration-status/integration-status.projection',
    '../../../apps/registry/src/integration/integration-grid.projection',
    '../../../apps/registry/src/integration/integration-history.projection',
    '../../../apps/registry/src/integration/rebuild-projections',
    '../../../apps/registry/src/integration/integration.repository',
  ],
  'apps/gateway/test/fixtures/platform-stack.ts': [
    '../../../acl/src/start',
    '../../../config/src/start',
    '../../../oauth/src/start',
    '../../../registry/src/start',
    '../../../../examples/commerce-api/src/start',
  ],
  'apps/gateway/test/correlation.int-spec.ts': ['../../acl/src/start'],
  'apps/gateway/src/activation/issue-credentials.int-spec.ts': ['../../../registry/src/start'],
  'tests/system/nginx-auth-request.int-spec.ts': ['../../apps/gateway/src/gateway.env'],
  'tests/system/oauth-exchange.int-spec.ts': ['../../apps/gateway/test/support/gateway-harness'],
  'tests/system/partner-notifications.int-spec.ts': ['../../examples/third-party-app/src/store-notifications'],
  'tests/system/protected-api.int-spec.ts': ['../../apps/gateway/test/support/gateway-harness'],
  'tests/system/support/gateway-stack.ts': [
    '../../../apps/gateway/src/start',
    '../../../apps/gateway/test/support/gateway-harness',
    '../../../apps/gateway/test/support/http-client',
    '../../../examples/commerce-api/src/start',
    '../../../examples/third-party-app/src/start',
    '../../../examples/third-party-app/src/third-party-app',
  ],
  'tests/system/integration-controls.int-spec.ts': [
    '../../apps/gateway/test/fixtures/platform-stack',
    '../../apps/gateway/test/support/gateway-harness',
  ],
  'tests/security/admin-sessions-replicas.int-spec.ts': ['../../apps/gateway/test/support/gateway-harness'],
  'tests/security/gateway-auth-decision.int-spec.ts': [
    '../../apps/gateway/test/fixtures/platform-stack',
    '../../apps/gateway/test/support/gateway-harness',
  ],
  'tests/security/gateway-body-limit.int-spec.ts': ['../../apps/gateway/test/fixtures/platform-stack'],
  'tests/security/gateway-header-smuggling.int-spec.ts': ['../../apps/gateway/test/fixtures/platform-stack'],
  'tests/security/gateway-path-encoding.int-spec.ts': ['../../apps/gateway/test/fixtures/platform-stack'],
  'tests/security/platform.int-spec.ts': ['../../apps/gateway/test/fixtures/platform-stack'],
  'tests/security/startup-safety.int-spec.ts': ['../../apps/oauth/src/start', '../../apps/gateway/src/gateway.env'],
  'tests/security/support/security-gateway.ts': [
    '../../../apps/gateway/src/gateway.env',
    '../../../apps/gateway/src/rate-limit/rate-limit.config',
    '../../../apps/gateway/src/start',
    '../../../apps/gateway/test/support/gateway-harness',
  ],
  'tests/deploy/support/code-env.ts': [
    '../../../apps/acl/src/acl.env',
    '../../../apps/acl/src/routes/route-map',
    '../../../apps/config/src/config.env',
    '../../../apps/gateway/src/admin-ui/admin-ui.config',
    '../../../apps/gateway/src/gateway.env',
    '../../../apps/oauth/src/oauth.env',
    '../../../apps/registry/src/registry.env',
    '../../../examples/subscriber/src/subscriber.env',
  ],
  'tests/deploy/support/expected-edges.ts': ['../../../apps/oauth/src/credentials/post-credentials/outbound-guard'],
  'tools/docs/openapi.ts': [
    '../../apps/gateway/src/activation/activation.reply',
    '../../apps/gateway/src/activation/activation.request',
    '../../apps/gateway/src/admin-accounts/admin-accounts.schemas',
    '../../apps/gateway/src/admin-auth/admin-auth.controller',
    '../../apps/gateway/src/admin-auth/admin-auth.replies',
    '../../apps/gateway/src/integrations/integration-request.schemas',
  ],
  'apps/admin-ui/e2e/support/system.ts': ['../../../../tools/run-local/launch'],
};

export default [
  { ignores: ['**/node_modules', '**/dist', '.infra', '.local', 'tmp', 'test-output', '.nx', 'apps/admin-ui/dist'] },
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': boundaries(),
    },
  },
  ...Object.entries(whiteBoxImports).map(([file, allow]) => ({
    files: [file],
    rules: { '@nx/enforce-module-boundaries': boundaries(allow) },
  })),
  {
    // Plain CommonJS scripts run by node (jest config, infra probes, the image's entry point).
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Only tests may reach for the testing harness.
    files: [
      'libs/{contracts,event-store,messaging,oauth1,service-kit}/src/**/*.ts',
      'apps/*/src/**/*.ts',
      'tools/**/*.ts',
    ],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**', 'tools/jest/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@integrations/testing', message: 'Runtime code must not depend on the test harness.' }] },
      ],
    },
  },
];
