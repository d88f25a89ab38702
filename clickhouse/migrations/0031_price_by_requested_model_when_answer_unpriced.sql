-- Prices a call by the model that answered when the price table knows it, else by the model that was
-- asked for: a dated snapshot newer than the price library (gpt-4o-mini-2026-01-01, gemini-2.5-flash-001)
-- was unpriced before, although its model (gpt-4o-mini) has a price. Also clamps a wrapped Duration. The view is 0005's otherwise, under
-- a new name: the new one is created before the old one is dropped, so no insert is missed (one running
-- at that very moment could be counted by both).

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.genai_calls_mv_v2 {{on_cluster}}
TO {{database}}.{{local:genai_calls}}
AS SELECT
    Timestamp, TraceId, SpanId, ParentSpanId, SpanName, ServiceName, ServiceVersion, Environment, ScopeName, Dialect,
    WorkflowName, AgentName, Feature, UserId, SessionId, ConversationId,
    Provider, Operation, RequestModel, ResponseModel, ServerAddress,
    InputTokens, OutputTokens, CacheReadTokens, CacheWriteTokens, ReasoningTokens,
    if(PackedRule = '', '', RF[3]) AS PriceModel,
    multiIf(ReportedCost IS NOT NULL, assumeNotNull(ReportedCost), PackedRule != '', (
            toFloat64(greatest(toInt64(InputTokens) - toInt64(CacheReadTokens) - toInt64(CacheWriteTokens), 0))
                * toFloat64OrZero(RF[if(InTier, 9, 4)])
            + CacheReadTokens * toFloat64OrZero(RF[if(InTier, 11, 6)])
            + CacheWriteTokens * toFloat64OrZero(RF[if(InTier, 12, 7)])
            + toFloat64(greatest(toInt64(OutputTokens) - toInt64(ReasoningTokens), 0)) * toFloat64OrZero(RF[if(InTier, 10, 5)])
            + least(ReasoningTokens, OutputTokens) * if(InTier, toFloat64OrZero(RF[10]), toFloat64OrZero(RF[15]))) / 1000000
            + toFloat64OrZero(RF[14]), 0) AS CostUSD,
    multiIf(ReportedCost IS NOT NULL, 'reported', PackedRule != '', RF[2], 'unpriced') AS CostSource,
    -- A span that ends before it starts arrives with its Duration wrapped around (uint64 of a negative):
    -- 0 then, and a year at most, so sums, latency quantiles and run end times stay sane.
    if(Duration >= 9223372036854775808, toUInt64(0), least(Duration, toUInt64(31536000000000000))) AS DurationNs, TimeToFirstTokenNs, IsStream, IsError, ErrorType, StatusMessage, FinishReasons,
    Temperature, TopP, MaxTokens, ToolCount, OutputType, ResponseId,
    if(A['kaizen.prompt.hash'] != '', toUInt64OrZero(A['kaizen.prompt.hash']),
       if(SystemText = '' AND PromptText = '', toUInt64(0), kaizen_v1_hash64(arrayStringConcat([
           'kaizen.v1', lower(if(RequestModel != '', RequestModel, ResponseModel)), Operation,
           if(isNull(Temperature), '', toString(assumeNotNull(Temperature))),
           if(isNull(TopP), '', toString(assumeNotNull(TopP))),
           kaizen_v1_num(A['gen_ai.request.top_k']),
           if(MaxTokens = 0, '', toString(MaxTokens)),
           kaizen_v1_num(A['gen_ai.request.seed']),
           kaizen_v1_num(A['gen_ai.request.frequency_penalty']),
           kaizen_v1_num(A['gen_ai.request.presence_penalty']),
           OutputType, SystemText, PromptText], '\x1f')))) AS PromptHash,
    if(A['kaizen.prompt.simhash'] != '', toUInt64OrZero(A['kaizen.prompt.simhash']),
       if(PromptText = '', toUInt64(0), ngramSimHashUTF8(leftUTF8(PromptText, 8192)))) AS PromptSimHash,
    if(A['kaizen.system.hash'] != '', toUInt64OrZero(A['kaizen.system.hash']),
       if(SystemText = '', toUInt64(0), kaizen_v1_hash64(SystemText))) AS SystemHash,
    InputMessages, OutputMessages, SystemInstructions
FROM
(
    -- Three levels, so each alias expands once: a rule used many times below is a column, not a copy of
    -- its expression (the query tree would pass ClickHouse's limit).
    SELECT *,
        splitByChar('\t', PackedRule) AS RF,
        toUInt64OrZero(RF[8]) > 0 AND InputTokens > toUInt64OrZero(RF[8]) AS InTier
    FROM
    (
    SELECT *,
        lower(RequestModel) AS PriceKeyQ,
        replaceRegexpAll(PriceKeyQ, '-(20\\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])(-|:|$)', '-\\1-\\2-\\3\\4') AS DatedQ,
        arrayFirst(x -> splitByChar('\t', x)[1] = '' OR NOT match(PriceKeyQ, base64Decode(splitByChar('\t', x)[1])),
            dictGetAll('{{database}}.model_price_dict', 'packed', if(PackedA != '' OR PriceKeyQ = PriceKeyA, '', concat(PriceProvider, '/', PriceKeyQ)), 8)) AS Rule1Q,
        splitByChar('\t', arrayFirst(x -> splitByChar('\t', x)[1] = '' OR NOT match(PriceKeyQ, base64Decode(splitByChar('\t', x)[1])),
            dictGetAll('{{database}}.model_provider_dict', 'packed', if(PackedA != '' OR PriceKeyQ = PriceKeyA OR Rule1Q != '' OR PriceKeyQ = '', '', PriceKeyQ), 8)))[2] AS InferredProviderQ,
        arrayFirst(x -> splitByChar('\t', x)[1] = '' OR NOT match(PriceKeyQ, base64Decode(splitByChar('\t', x)[1])),
            dictGetAll('{{database}}.model_price_dict', 'packed', if(PackedA != '' OR PriceKeyQ = PriceKeyA OR Rule1Q != '' OR InferredProviderQ = '' OR InferredProviderQ = PriceProvider, '', concat(InferredProviderQ, '/', PriceKeyQ)), 8)) AS Rule2Q,
        arrayFirst(x -> splitByChar('\t', x)[1] = '' OR NOT match(DatedQ, base64Decode(splitByChar('\t', x)[1])),
            dictGetAll('{{database}}.model_price_dict', 'packed', if(PackedA != '' OR PriceKeyQ = PriceKeyA OR Rule1Q != '' OR Rule2Q != '' OR DatedQ = PriceKeyQ, '',
                concat(if(InferredProviderQ != '', InferredProviderQ, PriceProvider), '/', DatedQ)), 8)) AS Rule3Q,
        multiIf(Rule1Q != '', Rule1Q, Rule2Q != '', Rule2Q, Rule3Q) AS PackedQ,
        if(PackedA != '', PackedA, PackedQ) AS PackedRule
    FROM
    (
    SELECT *,
        kaizen_v1_system_text(SystemInstructions, InputMessages) AS SystemText,
        kaizen_v1_prompt_text(InputMessages) AS PromptText,
        kaizen_v1_price_provider(Provider) AS PriceProvider,
        -- The model that answered first (a dated snapshot, say); when the price table does not know it, the
        -- model asked for. Each: the first rule for the span's provider; else the provider its model name
        -- belongs to; else the same with a YYYYMMDD date written YYYY-MM-DD (as @pydantic/genai-prices retries).
        -- A lookup that is not needed gets an empty key, which matches no rule and costs next to nothing
        -- (dictionary lookups run for every row, whatever an if() around them says).
        lower(if(ResponseModel != '', ResponseModel, RequestModel)) AS PriceKeyA,
        replaceRegexpAll(PriceKeyA, '-(20\\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])(-|:|$)', '-\\1-\\2-\\3\\4') AS DatedA,
        arrayFirst(x -> splitByChar('\t', x)[1] = '' OR NOT match(PriceKeyA, base64Decode(splitByChar('\t', x)[1])),
            dictGetAll('{{database}}.model_price_dict', 'packed', concat(PriceProvider, '/', PriceKeyA), 8)) AS Rule1A,
        splitByChar('\t', arrayFirst(x -> splitByChar('\t', x)[1] = '' OR NOT match(PriceKeyA, base64Decode(splitByChar('\t', x)[1])),
            dictGetAll('{{database}}.model_provider_dict', 'packed', if(Rule1A != '' OR PriceKeyA = '', '', PriceKeyA), 8)))[2] AS InferredProviderA,
        arrayFirst(x -> splitByChar('\t', x)[1] = '' OR NOT match(PriceKeyA, base64Decode(splitByChar('\t', x)[1])),
            dictGetAll('{{database}}.model_price_dict', 'packed', if(Rule1A != '' OR InferredProviderA = '' OR InferredProviderA = PriceProvider, '', concat(InferredProviderA, '/', PriceKeyA)), 8)) AS Rule2A,
        arrayFirst(x -> splitByChar('\t', x)[1] = '' OR NOT match(DatedA, base64Decode(splitByChar('\t', x)[1])),
            dictGetAll('{{database}}.model_price_dict', 'packed', if(Rule1A != '' OR Rule2A != '' OR DatedA = PriceKeyA, '',
                concat(if(InferredProviderA != '', InferredProviderA, PriceProvider), '/', DatedA)), 8)) AS Rule3A,
        multiIf(Rule1A != '', Rule1A, Rule2A != '', Rule2A, Rule3A) AS PackedA
    FROM
    (
        SELECT
            Timestamp, TraceId, SpanId, ParentSpanId, SpanName, ServiceName, ScopeName, Duration, StatusMessage, A, R, EvName, EvAttrs,
            R['service.version'] AS ServiceVersion,
            coalesce(nullIf(R['deployment.environment.name'], ''), R['deployment.environment']) AS Environment,
            multiIf(
                A['gen_ai.provider.name'] != '' OR A['gen_ai.input.messages'] != '' OR A['gen_ai.output.messages'] != '', 'semconv',
                A['openinference.span.kind'] != '', 'openinference',
                startsWith(SpanName, 'ai.') OR A['ai.model.id'] != '', 'vercel_ai',
                A['llm.request.type'] != '' OR A['traceloop.span.kind'] != '' OR startsWith(ScopeName, '@traceloop/')
                    OR A['gen_ai.prompt.0.content'] != '' OR A['gen_ai.completion.0.content'] != '', 'openllmetry',
                'semconv_legacy') AS Dialect,
            coalesce(nullIf(A['kaizen.workflow.name'], ''), nullIf(A['gen_ai.workflow.name'], ''),
                     nullIf(A['traceloop.workflow.name'], ''), A['ai.telemetry.functionId']) AS WorkflowName,
            coalesce(nullIf(A['kaizen.agent.name'], ''), A['gen_ai.agent.name']) AS AgentName,
            coalesce(nullIf(A['kaizen.feature'], ''), A['ai.telemetry.metadata.feature']) AS Feature,
            coalesce(nullIf(A['user.id'], ''), nullIf(A['enduser.id'], ''), nullIf(A['traceloop.association.properties.user_id'], ''),
                     A['ai.telemetry.metadata.userId']) AS UserId,
            coalesce(nullIf(A['session.id'], ''), nullIf(A['traceloop.association.properties.session_id'], ''),
                     nullIf(A['ai.telemetry.metadata.sessionId'], ''), A['gen_ai.conversation.id']) AS SessionId,
            A['gen_ai.conversation.id'] AS ConversationId,
            kaizen_v1_provider(lower(coalesce(nullIf(A['gen_ai.provider.name'], ''), nullIf(A['gen_ai.system'], ''),
                nullIf(A['llm.provider'], ''), nullIf(A['llm.system'], ''), A['ai.model.provider']))) AS Provider,
            multiIf(
                A['gen_ai.operation.name'] IN ('chat', 'text_completion', 'generate_content', 'embeddings'), A['gen_ai.operation.name'],
                A['gen_ai.operation.name'] = 'completion', 'text_completion',
                A['gen_ai.operation.name'] = 'embedding', 'embeddings',
                A['gen_ai.operation.name'] = 'generate', 'generate_content',
                A['gen_ai.operation.name'] IN ('responses', 'response', 'create_response'), 'chat',
                A['openinference.span.kind'] = 'EMBEDDING', 'embeddings',
                A['openinference.span.kind'] = 'LLM', 'chat',
                startsWith(SpanName, 'ai.embed'), 'embeddings',
                A['llm.request.type'] = 'completion', 'text_completion',
                A['llm.request.type'] = 'embedding', 'embeddings',
                'chat') AS Operation,
            replaceRegexpOne(coalesce(nullIf(A['gen_ai.request.model'], ''), nullIf(A['ai.model.id'], ''),
                nullIf(A['llm.request.model'], ''), A['llm.model_name']), '^models/', '') AS RequestModel,
            replaceRegexpOne(coalesce(nullIf(A['gen_ai.response.model'], ''), nullIf(A['ai.response.model'], ''),
                nullIf(A['llm.response.model'], ''), A['llm.model_name']), '^models/', '') AS ResponseModel,
            A['server.address'] AS ServerAddress,
            kaizen_v1_tokens(coalesce(nullIf(A['gen_ai.usage.input_tokens'], ''), nullIf(A['gen_ai.usage.prompt_tokens'], ''),
                nullIf(A['llm.usage.prompt_tokens'], ''), nullIf(A['llm.token_count.prompt'], ''),
                nullIf(A['ai.usage.inputTokens'], ''), A['ai.usage.promptTokens'])) AS RawInput,
            kaizen_v1_tokens(coalesce(nullIf(A['gen_ai.usage.output_tokens'], ''), nullIf(A['gen_ai.usage.completion_tokens'], ''),
                nullIf(A['llm.usage.completion_tokens'], ''), nullIf(A['llm.token_count.completion'], ''),
                nullIf(A['ai.usage.outputTokens'], ''), A['ai.usage.completionTokens'])) AS RawOutput,
            kaizen_v1_tokens(coalesce(nullIf(A['gen_ai.usage.cache_read.input_tokens'], ''), nullIf(A['gen_ai.usage.cache_read_input_tokens'], ''),
                nullIf(A['llm.token_count.prompt_details.cache_read'], ''), nullIf(A['ai.usage.inputTokenDetails.cacheReadTokens'], ''),
                A['ai.usage.cachedInputTokens'])) AS CacheReadTokens,
            kaizen_v1_tokens(coalesce(nullIf(A['gen_ai.usage.cache_creation.input_tokens'], ''), nullIf(A['gen_ai.usage.cache_write.input_tokens'], ''),
                nullIf(A['gen_ai.usage.cache_creation_input_tokens'], ''), nullIf(A['llm.token_count.prompt_details.cache_write'], ''),
                A['ai.usage.inputTokenDetails.cacheWriteTokens'])) AS CacheWriteTokens,
            kaizen_v1_tokens(coalesce(nullIf(A['gen_ai.usage.reasoning.output_tokens'], ''), nullIf(A['gen_ai.usage.reasoning_tokens'], ''),
                nullIf(A['llm.token_count.completion_details.reasoning'], ''), nullIf(A['ai.usage.outputTokenDetails.reasoningTokens'], ''),
                A['ai.usage.reasoningTokens'])) AS ReasoningTokens,
            -- Anthropic's API (and instrumentations that copy it, like openlit) counts cache tokens on top of input.
            if(RawInput < CacheReadTokens + CacheWriteTokens OR (Provider = 'anthropic' AND positionCaseInsensitive(ScopeName, 'openlit') > 0),
               RawInput + CacheReadTokens + CacheWriteTokens, RawInput) AS InputTokens,
            -- Traceloop reports Gemini's thoughts apart from output (gen_ai.usage.reasoning_tokens); the conventions include them.
            if(startsWith(Provider, 'gcp.') AND A['gen_ai.usage.reasoning.output_tokens'] = '' AND A['gen_ai.usage.reasoning_tokens'] != ''
                   AND positionCaseInsensitive(ScopeName, 'traceloop') > 0,
               RawOutput + ReasoningTokens, RawOutput) AS OutputTokens,
            toFloat64OrNull(coalesce(nullIf(A['gen_ai.usage.cost'], ''), nullIf(A['gen_ai.usage.cost.amount'], ''),
                nullIf(A['llm.cost.total'], ''), A['kaizen.cost.usd'])) AS ReportedCostRaw,
            if(ReportedCostRaw >= 0 AND isFinite(ReportedCostRaw), ReportedCostRaw, NULL) AS ReportedCost,
            toUInt64(greatest(multiIf(
                A['gen_ai.response.time_to_first_chunk'] != '', toFloat64OrZero(A['gen_ai.response.time_to_first_chunk']) * 1e9,
                A['ai.response.msToFirstChunk'] != '', toFloat64OrZero(A['ai.response.msToFirstChunk']) * 1e6,
                A['gen_ai.server.time_to_first_token'] != '', toFloat64OrZero(A['gen_ai.server.time_to_first_token']) * 1e9,
                0), 0)) AS TimeToFirstTokenNs,
            toUInt8(A['gen_ai.request.stream'] = 'true' OR endsWith(SpanName, '.doStream') OR A['llm.is_streaming'] = 'true') AS IsStream,
            toUInt8(StatusCode IN ('Error', 'STATUS_CODE_ERROR') OR A['error.type'] != '') AS IsError,
            coalesce(nullIf(A['error.type'], ''), if(IsError = 1, EvAttrs[indexOf(EvName, 'exception')]['exception.type'], '')) AS ErrorType,
            multiIf(
                startsWith(A['gen_ai.response.finish_reasons'], '['), JSONExtract(A['gen_ai.response.finish_reasons'], 'Array(String)'),
                A['gen_ai.response.finish_reasons'] != '', [A['gen_ai.response.finish_reasons']],
                A['ai.response.finishReason'] != '', [A['ai.response.finishReason']],
                A['gen_ai.completion.0.finish_reason'] != '', [A['gen_ai.completion.0.finish_reason']],
                CAST([], 'Array(String)')) AS FinishReasons,
            toFloat64OrNull(coalesce(nullIf(A['gen_ai.request.temperature'], ''), nullIf(A['ai.settings.temperature'], ''),
                nullIf(A['llm.request.temperature'], ''), JSONExtractRaw(A['llm.invocation_parameters'], 'temperature'))) AS Temperature,
            toFloat64OrNull(coalesce(nullIf(A['gen_ai.request.top_p'], ''), nullIf(A['ai.settings.topP'], ''),
                nullIf(A['llm.top_p'], ''), JSONExtractRaw(A['llm.invocation_parameters'], 'top_p'))) AS TopP,
            toUInt32(least(kaizen_v1_tokens(coalesce(nullIf(A['gen_ai.request.max_tokens'], ''), nullIf(A['ai.settings.maxOutputTokens'], ''),
                nullIf(A['ai.settings.maxTokens'], ''), nullIf(A['llm.request.max_tokens'], ''),
                nullIf(JSONExtractRaw(A['llm.invocation_parameters'], 'max_tokens'), ''),
                JSONExtractRaw(A['llm.invocation_parameters'], 'max_completion_tokens'))), 4294967295)) AS MaxTokens,
            toUInt16(least(multiIf(
                A['gen_ai.tool.definitions'] != '', length(JSONExtractArrayRaw(A['gen_ai.tool.definitions'])),
                A['ai.prompt.tools'] != '', if(startsWith(A['ai.prompt.tools'], '['), length(JSONExtractArrayRaw(A['ai.prompt.tools'])), 1),
                length(arrayFilter(k -> match(k, '^llm\\.tools\\.\\d+\\.tool\\.json_schema$'), mapKeys(A))) > 0,
                    length(arrayFilter(k -> match(k, '^llm\\.tools\\.\\d+\\.tool\\.json_schema$'), mapKeys(A))),
                length(arrayFilter(k -> match(k, '^llm\\.request\\.functions\\.\\d+\\.name$'), mapKeys(A)))), 65535)) AS ToolCount,
            A['gen_ai.output.type'] AS OutputType,
            coalesce(nullIf(A['gen_ai.response.id'], ''), A['ai.response.id']) AS ResponseId,
            A['gen_ai.system_instructions'] AS SystemInstructions,
            multiIf(
                A['gen_ai.input.messages'] != '', A['gen_ai.input.messages'],
                A['gen_ai.prompt.0.content'] != '' OR A['gen_ai.prompt.0.role'] != '', concat('[', arrayStringConcat(arrayMap(i -> concat(
                    '{"role":', toJSONString(coalesce(nullIf(A[concat('gen_ai.prompt.', toString(i), '.role')], ''), 'user')),
                    ',"parts":[{"type":"text","content":', toJSONString(A[concat('gen_ai.prompt.', toString(i), '.content')]), '}]}'),
                    arraySort(arrayDistinct(arrayMap(k -> toUInt32OrZero(extract(k, '^gen_ai\\.prompt\\.(\\d+)\\.')),
                        arrayFilter(k -> match(k, '^gen_ai\\.prompt\\.\\d+\\.(role|content)$'), mapKeys(A)))))), ','), ']'),
                A['llm.input_messages.0.message.role'] != '' OR A['llm.input_messages.0.message.content'] != '', concat('[', arrayStringConcat(arrayMap(i -> concat(
                    '{"role":', toJSONString(A[concat('llm.input_messages.', toString(i), '.message.role')]),
                    ',"parts":[{"type":"text","content":', toJSONString(if(A[concat('llm.input_messages.', toString(i), '.message.content')] != '',
                        A[concat('llm.input_messages.', toString(i), '.message.content')],
                        arrayStringConcat(arrayMap(k -> A[k], arraySort(arrayFilter(k -> startsWith(k, concat('llm.input_messages.', toString(i), '.message.contents.'))
                            AND endsWith(k, '.message_content.text'), mapKeys(A)))), ' '))), '}]}'),
                    arraySort(arrayDistinct(arrayMap(k -> toUInt32OrZero(extract(k, '^llm\\.input_messages\\.(\\d+)\\.')),
                        arrayFilter(k -> match(k, '^llm\\.input_messages\\.\\d+\\.message\\.'), mapKeys(A)))))), ','), ']'),
                A['ai.prompt.messages'] != '', kaizen_v1_role_content_messages(A['ai.prompt.messages'], 'user'),
                A['gen_ai.prompt'] != '', kaizen_v1_role_content_messages(A['gen_ai.prompt'], 'user'),
                has(EvName, 'gen_ai.content.prompt'),
                    kaizen_v1_role_content_messages(EvAttrs[indexOf(EvName, 'gen_ai.content.prompt')]['gen_ai.prompt'], 'user'),
                arrayExists(n -> n IN ('gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.assistant.message', 'gen_ai.tool.message'), EvName),
                    concat('[', arrayStringConcat(arrayMap(i -> concat(
                        '{"role":', toJSONString(replaceRegexpOne(EvName[i], '^gen_ai\\.(\\w+)\\.message$', '\\1')),
                        ',"parts":[{"type":"text","content":', toJSONString(coalesce(nullIf(EvAttrs[i]['content'], ''),
                            JSONExtractString(EvAttrs[i]['gen_ai.event.content'], 'content'))), '}]}'),
                        arrayFilter(i -> EvName[i] IN ('gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.assistant.message', 'gen_ai.tool.message'),
                            arrayEnumerate(EvName))), ','), ']'),
                A['input.value'] != '', if(isValidJSON(A['input.value']) AND JSONHas(A['input.value'], 'messages'),
                    kaizen_v1_role_content_messages(JSONExtractRaw(A['input.value'], 'messages'), 'user'),
                    kaizen_v1_text_messages('user', A['input.value'])),
                '') AS InputMessages,
            multiIf(
                A['gen_ai.output.messages'] != '', A['gen_ai.output.messages'],
                A['gen_ai.completion.0.content'] != '' OR A['gen_ai.completion.0.role'] != '', concat('[', arrayStringConcat(arrayMap(i -> concat(
                    '{"role":', toJSONString(coalesce(nullIf(A[concat('gen_ai.completion.', toString(i), '.role')], ''), 'assistant')),
                    ',"parts":[{"type":"text","content":', toJSONString(A[concat('gen_ai.completion.', toString(i), '.content')]), '}]',
                    ',"finish_reason":', toJSONString(A[concat('gen_ai.completion.', toString(i), '.finish_reason')]), '}'),
                    arraySort(arrayDistinct(arrayMap(k -> toUInt32OrZero(extract(k, '^gen_ai\\.completion\\.(\\d+)\\.')),
                        arrayFilter(k -> match(k, '^gen_ai\\.completion\\.\\d+\\.(role|content)$'), mapKeys(A)))))), ','), ']'),
                A['llm.output_messages.0.message.role'] != '' OR A['llm.output_messages.0.message.content'] != '', concat('[', arrayStringConcat(arrayMap(i -> concat(
                    '{"role":', toJSONString(coalesce(nullIf(A[concat('llm.output_messages.', toString(i), '.message.role')], ''), 'assistant')),
                    ',"parts":[{"type":"text","content":', toJSONString(A[concat('llm.output_messages.', toString(i), '.message.content')]), '}]}'),
                    arraySort(arrayDistinct(arrayMap(k -> toUInt32OrZero(extract(k, '^llm\\.output_messages\\.(\\d+)\\.')),
                        arrayFilter(k -> match(k, '^llm\\.output_messages\\.\\d+\\.message\\.'), mapKeys(A)))))), ','), ']'),
                A['ai.response.text'] != '', kaizen_v1_text_messages('assistant', A['ai.response.text']),
                A['ai.response.object'] != '', kaizen_v1_text_messages('assistant', A['ai.response.object']),
                A['gen_ai.completion'] != '', kaizen_v1_role_content_messages(A['gen_ai.completion'], 'assistant'),
                has(EvName, 'gen_ai.content.completion'),
                    kaizen_v1_role_content_messages(EvAttrs[indexOf(EvName, 'gen_ai.content.completion')]['gen_ai.completion'], 'assistant'),
                has(EvName, 'gen_ai.choice'), kaizen_v1_text_messages('assistant', coalesce(
                    nullIf(JSONExtractString(EvAttrs[indexOf(EvName, 'gen_ai.choice')]['message'], 'content'), ''),
                    JSONExtractString(EvAttrs[indexOf(EvName, 'gen_ai.choice')]['gen_ai.event.content'], 'message', 'content'))),
                A['output.value'] != '', kaizen_v1_text_messages('assistant', A['output.value']),
                '') AS OutputMessages
        FROM
        (
            SELECT Timestamp, TraceId, SpanId, ParentSpanId, SpanName, ServiceName, ScopeName, Duration, StatusCode, StatusMessage,
                SpanAttributes AS A, ResourceAttributes AS R, `Events.Name` AS EvName, `Events.Attributes` AS EvAttrs
            FROM {{database}}.{{local:otel_traces}}
            WHERE SpanAttributes['gen_ai.operation.name'] IN ('chat', 'text_completion', 'generate_content', 'embeddings',
                    'completion', 'embedding', 'generate', 'responses', 'response', 'create_response')
               OR SpanAttributes['openinference.span.kind'] IN ('LLM', 'EMBEDDING')
               OR SpanName IN ('ai.generateText.doGenerate', 'ai.streamText.doStream', 'ai.generateObject.doGenerate',
                    'ai.streamObject.doStream', 'ai.embed.doEmbed', 'ai.embedMany.doEmbed')
               OR (SpanAttributes['gen_ai.operation.name'] = '' AND SpanAttributes['openinference.span.kind'] = ''
                   AND NOT startsWith(SpanName, 'ai.')
                   AND (SpanAttributes['gen_ai.system'] != '' OR SpanAttributes['gen_ai.provider.name'] != ''
                        OR SpanAttributes['llm.request.type'] IN ('chat', 'completion', 'embedding'))
                   AND (SpanAttributes['gen_ai.request.model'] != '' OR SpanAttributes['gen_ai.response.model'] != ''
                        OR SpanAttributes['llm.request.model'] != ''))
        )
    )
    )
    )
);

DROP VIEW IF EXISTS {{database}}.genai_calls_mv {{on_cluster}};
