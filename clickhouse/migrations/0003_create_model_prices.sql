-- Prices. `model_prices` holds @pydantic/genai-prices' data (loaded by `kaizen migrate` and at
-- start): one row per provider and model with its match rule, and one 'provider' row per provider
-- with the rule that recognises its model names. `model_price_overrides` holds the user's prices;
-- they win. Both feed REGEXP_TREE dictionaries (first matching rule by id wins) through one view.
-- Prices are USD per million tokens; cache prices equal the input price where a provider has none.

CREATE TABLE IF NOT EXISTS {{database}}.model_prices {{on_cluster}} (
    Kind LowCardinality(String),          -- 'model' | 'provider'
    Provider LowCardinality(String),      -- genai-prices provider id: openai, anthropic, google, aws …
    Model String,                         -- genai-prices model id ('' on provider rows)
    Name String,
    Ordinal UInt32,                       -- the library's order: the first matching rule wins
    MatchRegex String,                    -- over 'provider/model' (model rows) or 'model' (provider rows), lower case
    ExcludeRegex String,                  -- a model matching it skips the rule ('' = none)
    InputPerMTok Float64,
    OutputPerMTok Float64,
    CacheReadPerMTok Float64,
    CacheWritePerMTok Float64,
    TierThreshold UInt64,                 -- input tokens above which the whole request uses the tier prices (0 = none)
    TierInputPerMTok Float64,
    TierOutputPerMTok Float64,
    TierCacheReadPerMTok Float64,
    TierCacheWritePerMTok Float64,
    ReasoningPerMTok Float64,             -- reasoning tokens, when priced apart from output
    PerRequestUSD Float64,                -- charged per call whatever the tokens
    ContextWindow UInt32,
    LibraryVersion LowCardinality(String),
    LoadedAt DateTime64(3)
) ENGINE = {{engine_global:MergeTree()}}
ORDER BY (Kind, Provider, Ordinal);

CREATE TABLE IF NOT EXISTS {{database}}.model_price_overrides {{on_cluster}} (
    Provider LowCardinality(String),      -- genai-prices provider id, or '*' for any provider
    Model String,                         -- a model name as the app sends it, or a regex when IsPattern = 1
    IsPattern UInt8,
    MatchRegex String,                    -- over 'provider/model' (lower case), built from Provider and Model
    InputPerMTok Float64,
    OutputPerMTok Float64,
    CacheReadPerMTok Float64,
    CacheWritePerMTok Float64,
    TierThreshold UInt64,
    TierInputPerMTok Float64,
    TierOutputPerMTok Float64,
    TierCacheReadPerMTok Float64,
    TierCacheWritePerMTok Float64,
    ReasoningPerMTok Float64,
    PerRequestUSD Float64,
    Note String,
    UpdatedAt DateTime64(3),
    IsDeleted UInt8
) ENGINE = {{engine_global:ReplacingMergeTree(UpdatedAt, IsDeleted)}}
ORDER BY (Provider, Model);

-- The REGEXP_TREE source: overrides first (exact names before patterns), then the library's model
-- rules in its own order, then its provider rules. Each rule carries one tab-separated 'packed'
-- value (REGEXP_TREE reads \1 in values as a capture reference, so the exclusion regex is base64).
--   model rows:    exclude64, source, price model, input, output, cache read, cache write,
--                  tier threshold, tier input, tier output, tier cache read, tier cache write, provider,
--                  per-request USD, reasoning
--   provider rows: exclude64, provider
CREATE VIEW IF NOT EXISTS {{database}}.model_price_rules {{on_cluster}} AS
SELECT
    toUInt64(row_number() OVER (ORDER BY Priority, Ordinal, Provider, Model)) AS id,
    toUInt64(0) AS parent_id,
    MatchRegex AS regexp,
    ['packed'] AS keys,
    [if(Kind = 'provider',
        concat(base64Encode(ExcludeRegex), '\t', Provider),
        concat(base64Encode(ExcludeRegex), '\t', Source, '\t', Model, '\t', toString(InputPerMTok), '\t',
               toString(OutputPerMTok), '\t', toString(CacheReadPerMTok), '\t', toString(CacheWritePerMTok), '\t',
               toString(TierThreshold), '\t', toString(TierInputPerMTok), '\t', toString(TierOutputPerMTok), '\t',
               toString(TierCacheReadPerMTok), '\t', toString(TierCacheWritePerMTok), '\t', Provider, '\t',
               toString(PerRequestUSD), '\t', toString(ReasoningPerMTok)))] AS values,
    Kind
FROM
(
    SELECT 'model' AS Kind, Provider, Model, toUInt8(IsPattern) AS Priority, toUInt32(0) AS Ordinal,
        MatchRegex, '' AS ExcludeRegex, 'override' AS Source,
        InputPerMTok, OutputPerMTok, CacheReadPerMTok, CacheWritePerMTok,
        TierThreshold, TierInputPerMTok, TierOutputPerMTok, TierCacheReadPerMTok, TierCacheWritePerMTok,
        if(ReasoningPerMTok = 0, OutputPerMTok, ReasoningPerMTok) AS ReasoningPerMTok, PerRequestUSD
    FROM {{database}}.model_price_overrides FINAL
    WHERE IsDeleted = 0
    UNION ALL
    SELECT Kind, Provider, Model, if(Kind = 'model', 2, 3) AS Priority, Ordinal,
        MatchRegex, ExcludeRegex, 'library' AS Source,
        InputPerMTok, OutputPerMTok, CacheReadPerMTok, CacheWritePerMTok,
        TierThreshold, TierInputPerMTok, TierOutputPerMTok, TierCacheReadPerMTok, TierCacheWritePerMTok,
        ReasoningPerMTok, PerRequestUSD
    FROM {{database}}.model_prices
    -- REGEXP_TREE refuses lookups when it has no rule at all, which would fail every insert of a
    -- model call before prices are loaded: one rule per kind that never matches keeps it non-empty.
    UNION ALL
    SELECT arrayJoin(['model', 'provider']) AS Kind, '' AS Provider, '' AS Model, 4 AS Priority, toUInt32(0) AS Ordinal,
        '^kaizen-sentinel/never-matches$' AS MatchRegex, '' AS ExcludeRegex, 'sentinel' AS Source,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
);

-- 'provider/model' (lower case) → packed price rules, first match first. LIFETIME 0: reloaded
-- explicitly whenever prices change (`SYSTEM RELOAD DICTIONARY`).
CREATE DICTIONARY IF NOT EXISTS {{database}}.model_price_dict {{on_cluster}} (
    regexp String,
    packed String
)
PRIMARY KEY regexp
SOURCE(CLICKHOUSE(QUERY 'SELECT id, parent_id, regexp, keys, values FROM {{database}}.model_price_rules WHERE Kind = ''model'''))
LIFETIME(0)
LAYOUT(REGEXP_TREE);

-- 'model' (lower case) → packed provider rules, for spans that name no provider (or a wrong one).
CREATE DICTIONARY IF NOT EXISTS {{database}}.model_provider_dict {{on_cluster}} (
    regexp String,
    packed String
)
PRIMARY KEY regexp
SOURCE(CLICKHOUSE(QUERY 'SELECT id, parent_id, regexp, keys, values FROM {{database}}.model_price_rules WHERE Kind = ''provider'''))
LIFETIME(0)
LAYOUT(REGEXP_TREE);
