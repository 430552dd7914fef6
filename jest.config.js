// One jest run for the whole workspace, three projects:
//  - unit: pure logic, no infrastructure (*.spec.ts)
//  - integration: real Kafka + FerretDB/MongoDB (*.int-spec.ts); needs KAFKA_BROKERS and MONGO_URL
//    (see tools/infra/infra.sh) or a container runtime for testcontainers.
//  - faults: the whole system under SIGKILLs and a broker restart (tests/faults, `npm run test:faults`,
//    docs/operations.md "The fault suite"); needs a broker it may restart (KAFKA_CONTROL).
const { readFileSync } = require('node:fs');
const swc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { ...swc, swcrc: false }] };
const moduleNameMapper = {
  '^@integrations/(config-client|contracts|event-store|messaging|oauth1|service-kit|testing)$':
    '<rootDir>/libs/$1/src/index.ts',
  // The local launcher (tools/run-local), which system tests and benchmarks boot the platform with.
  '^@integrations/run-local$': '<rootDir>/tools/run-local/launch-system.ts',
};
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.infra/'],
  // FormatJS (the admin UI's i18n library) ships ES modules only: compiled like our sources so the
  // admin UI's catalogue checks can load its ICU parser.
  transformIgnorePatterns: ['/node_modules/(?!(@formatjs|react-intl|intl-messageformat)/)'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,examples,tools}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      // tests/system: the whole platform as processes (replicas behind NGINX); tests/security: the
      // attack corpus through the gateway; tests/deploy: the rendered manifests, booted and checked.
      testMatch: [
        '<rootDir>/{apps,libs,examples,tools}/**/*.int-spec.ts',
        '<rootDir>/tests/{system,security,deploy}/**/*.int-spec.ts',
      ],
      setupFilesAfterEnv: ['<rootDir>/tools/jest/integration.setup.ts'],
    },
    {
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/tests/faults/**/*.fault-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tools/jest/integration.setup.ts'],
    },
  ],
};
