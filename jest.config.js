/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }] },
  // The examples import the package by name, as an app would; in the tests that name is
  // this checkout's source.
  moduleNameMapper: {
    '^cdktf-harness-mirror$': '<rootDir>/src/index.ts',
    '^cdktf-harness-mirror/harness$': '<rootDir>/src/gen/providers/harness/index.ts',
    '^cdktf-harness-mirror/harness/(.*)$': '<rootDir>/src/gen/providers/harness/$1/index.ts',
  },
  testTimeout: 60000,
  // Most suites wait on git servers and terraform rather than compute: on two cores, two
  // workers halve the suite's wall time (jest's default would be one).
  maxWorkers: '100%',
};
