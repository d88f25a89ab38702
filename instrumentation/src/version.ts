/** The package name and version, as instrumentation scope (a test keeps it equal to package.json). */
export const PACKAGE_NAME = '@kaizen/instrumentation';
export const PACKAGE_VERSION = '0.1.0';
