// Projects so each phase can run alone: pure logic, CDK assertions, emulator-backed, and the
// worker image run under podman (npm run image:test; not part of npm test, it needs image tools).
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
};
const common = {
  testEnvironment: '<rootDir>/test/helpers/process-realm-environment.js',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/emulator-global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/emulator-global-teardown.ts',
    },
    {
      ...common,
      displayName: 'image',
      testMatch: ['<rootDir>/test/image/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/emulator-global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/emulator-global-teardown.ts',
    },
  ],
};
