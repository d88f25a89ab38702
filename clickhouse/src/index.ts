export { CONFIG_DOCS, ConfigError, loadConfig } from './config/config.schema.js';
export { CONFIG_SECTIONS, configReference } from './config/config.reference.js';
export type { ConfigVariable, KaizenConfig, StorageConfig } from './config/config.schema.js';
export { embeddedEnginePath, openStorage } from './storage/storage.factory.js';
export type { OpenStorageOptions } from './storage/storage.factory.js';
export { settingsClause, Storage } from './storage/storage.js';
export type { InsertOptions, QueryOptions, StorageInfo } from './storage/storage.js';
export { chTime, empty, ident, Identifier, join, p, Param, render, Sql, sql, UNSAFE_rawSql } from './query/sql.js';
export type { RenderedSql, SqlValue } from './query/sql.js';
export {
  ClickHouseQueryError,
  ClickHouseUnavailableError,
  isNetworkError,
  StorageLockedError,
  toClickHouseError,
} from './query/errors.js';
export type { ClickHouseErrorKind } from './query/errors.js';
export { checksumOf, loadMigrations, MIGRATIONS_DIR } from './migrations/migration.loader.js';
export type { Migration } from './migrations/migration.loader.js';
export {
  migrate,
  MigrationChecksumError,
  MigrationFailedError,
  readSchemaSetting,
  renderMigrations,
} from './migrations/migration.runner.js';
export type {
  AppliedMigration,
  MigrateOptions,
  MigrateResult,
  RenderedMigration,
} from './migrations/migration.runner.js';
export { renderTemplate, splitStatements } from './migrations/migration.template.js';
export type { TemplateContext } from './migrations/migration.template.js';
export {
  buildLibraryPriceRows,
  escapeRegex,
  matchToRegex,
  matchToRegexes,
  NO_PRICES,
  overrideMatchRegex,
  tokenPrices,
  UnsupportedMatchError,
} from './prices/price-rules.js';
export type { PriceRuleRow, RuleRegex, TokenPrices } from './prices/price-rules.js';
export { libraryProviders, loadLibraryPrices, reloadPriceDictionaries } from './prices/prices.loader.js';
export type { LoadPricesResult } from './prices/prices.loader.js';
export { prepareStore } from './storage/prepare-store.js';
export { READONLY_FORMATS, ReadOnlyQueryError, ReadOnlySql } from './storage/readonly-sql.js';
export type { QueryParamValue, ReadOnlyFormat, ReadOnlyLimits } from './storage/readonly-sql.js';
export type { PrepareResult } from './storage/prepare-store.js';
export { D, T } from './schema/tables.js';
export type { TableName } from './schema/tables.js';
export { COST_SOURCES, DIALECTS, FINDING_KINDS, FINDING_SUBKINDS } from './schema/rows.js';
export type { CostSource, Dialect, FindingKind, GenaiCallRow, OtelTraceRow } from './schema/rows.js';
