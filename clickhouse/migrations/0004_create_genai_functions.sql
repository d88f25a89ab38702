-- Helper functions for the genai_calls view, shared by every dialect. They are server-wide in
-- ClickHouse, so their names carry a version: a changed body gets a new name in a new migration.
--
-- Fingerprints, definition v1 (its JavaScript twin is @kaizen/instrumentation/fingerprint, and a test
-- checks that both give the same values):
--   part text    text|reasoning|thinking: content (or text); tool_call: 'tool_call <name> <arguments>';
--                tool_call_response: 'tool_result <response>'; uri: '[uri <uri>]'; file: '[file <file_id>]';
--                blob: '[blob <first 8 bytes of sha256(content), hex>]'; anything else: '[<type>]'.
--                Arguments and responses that are JSON strings count as their text, others as raw JSON.
--   message text the message's part texts joined by ' ' (a message without parts: its content)
--   system text  norm(system instruction part texts + texts of system/developer messages, joined '\n')
--   prompt text  norm('<role>: <message text>' for every other input message, joined '\n')
--   norm(s)      runs of [\t\n\f\r ] become one space; leading and trailing spaces go
--   prompt hash  0 when both texts are empty, else hash64 of, joined by \x1f:
--                'kaizen.v1', lower(request model), operation, temperature, top_p, top_k, max_tokens,
--                seed, frequency_penalty, presence_penalty (numbers as their shortest decimal, '' if unset),
--                output type, system text, prompt text
--   simhash      0 when the prompt text is empty, else ngramSimHashUTF8 of its first 8192 code points
--   system hash  0 when the system text is empty, else hash64(system text)
--   hash64(s)    the first 8 bytes of SHA-256(s) read as a little-endian UInt64

CREATE FUNCTION IF NOT EXISTS kaizen_v1_norm_ws {{on_cluster}} AS (s) ->
    trimBoth(replaceRegexpAll(s, '[\t\n\f\r ]+', ' '));

CREATE FUNCTION IF NOT EXISTS kaizen_v1_num {{on_cluster}} AS (s) ->
    if(isNull(toFloat64OrNull(s)) OR isNaN(toFloat64OrZero(s)), '', toString(toFloat64OrZero(s)));

CREATE FUNCTION IF NOT EXISTS kaizen_v1_hash64 {{on_cluster}} AS (s) ->
    reinterpretAsUInt64(substring(SHA256(s), 1, 8));

CREATE FUNCTION IF NOT EXISTS kaizen_v1_tokens {{on_cluster}} AS (s) ->
    toUInt64(greatest(least(toFloat64OrZero(s), 1e15), 0));

CREATE FUNCTION IF NOT EXISTS kaizen_v1_json_text {{on_cluster}} AS (j, k) ->
    if(JSONType(j, k) = 'String', JSONExtractString(j, k), JSONExtractRaw(j, k));

CREATE FUNCTION IF NOT EXISTS kaizen_v1_part_text {{on_cluster}} AS (p) -> multiIf(
    JSONExtractString(p, 'type') IN ('text', 'reasoning', 'thinking'),
        if(JSONHas(p, 'content'), JSONExtractString(p, 'content'), JSONExtractString(p, 'text')),
    JSONExtractString(p, 'type') = 'tool_call',
        concat('tool_call ', JSONExtractString(p, 'name'), ' ', kaizen_v1_json_text(p, 'arguments')),
    JSONExtractString(p, 'type') = 'tool_call_response', concat('tool_result ', kaizen_v1_json_text(p, 'response')),
    JSONExtractString(p, 'type') = 'uri', concat('[uri ', JSONExtractString(p, 'uri'), ']'),
    JSONExtractString(p, 'type') = 'file', concat('[file ', JSONExtractString(p, 'file_id'), ']'),
    JSONExtractString(p, 'type') = 'blob',
        concat('[blob ', lower(hex(substring(SHA256(JSONExtractString(p, 'content')), 1, 8))), ']'),
    concat('[', JSONExtractString(p, 'type'), ']'));

CREATE FUNCTION IF NOT EXISTS kaizen_v1_message_text {{on_cluster}} AS (m) -> multiIf(
    JSONHas(m, 'parts'), arrayStringConcat(arrayMap(p -> kaizen_v1_part_text(p), JSONExtractArrayRaw(m, 'parts')), ' '),
    JSONType(m, 'content') = 'String', JSONExtractString(m, 'content'),
    arrayStringConcat(arrayMap(p -> kaizen_v1_part_text(p), JSONExtractArrayRaw(m, 'content')), ' '));

CREATE FUNCTION IF NOT EXISTS kaizen_v1_system_text {{on_cluster}} AS (sys, msgs) -> kaizen_v1_norm_ws(arrayStringConcat(
    arrayConcat(
        if(startsWith(trimLeft(sys), '['),
           arrayMap(p -> kaizen_v1_part_text(p), JSONExtractArrayRaw(sys)),
           if(sys = '', [], [sys])),
        arrayMap(m -> kaizen_v1_message_text(m),
                 arrayFilter(m -> JSONExtractString(m, 'role') IN ('system', 'developer'), JSONExtractArrayRaw(msgs)))),
    '\n'));

CREATE FUNCTION IF NOT EXISTS kaizen_v1_prompt_text {{on_cluster}} AS (msgs) -> kaizen_v1_norm_ws(arrayStringConcat(
    arrayMap(m -> concat(JSONExtractString(m, 'role'), ': ', kaizen_v1_message_text(m)),
             arrayFilter(m -> JSONExtractString(m, 'role') NOT IN ('system', 'developer'), JSONExtractArrayRaw(msgs))),
    '\n'));

-- A one-message semconv array ('' when the text is empty).
CREATE FUNCTION IF NOT EXISTS kaizen_v1_text_messages {{on_cluster}} AS (role, text) ->
    if(text = '', '', concat('[{"role":', toJSONString(role), ',"parts":[{"type":"text","content":', toJSONString(text), '}]}]'));

-- [{role, content: string | [{type: text|tool-call|tool-result, …}]}] (OpenAI-style, Vercel AI SDK,
-- semconv 1.26 gen_ai.prompt) → semconv messages [{role, parts: [...]}]. Not an array: one user text.
CREATE FUNCTION IF NOT EXISTS kaizen_v1_role_content_messages {{on_cluster}} AS (j, fallbackRole) -> if(
    NOT isValidJSON(j) OR JSONType(j) != 'Array',
    kaizen_v1_text_messages(fallbackRole, j),
    concat('[', arrayStringConcat(arrayMap(m -> concat(
        '{"role":', toJSONString(if(JSONExtractString(m, 'role') = '', fallbackRole, JSONExtractString(m, 'role'))), ',"parts":[',
        if(JSONType(m, 'content') = 'Array',
           arrayStringConcat(arrayMap(pp -> multiIf(
               JSONExtractString(pp, 'type') IN ('tool-call', 'tool_call'), concat(
                   '{"type":"tool_call","id":', toJSONString(JSONExtractString(pp, 'toolCallId')),
                   ',"name":', toJSONString(JSONExtractString(pp, 'toolName')),
                   ',"arguments":', toJSONString(kaizen_v1_json_text(pp, if(JSONHas(pp, 'input'), 'input', 'args'))), '}'),
               JSONExtractString(pp, 'type') IN ('tool-result', 'tool_result'), concat(
                   '{"type":"tool_call_response","id":', toJSONString(JSONExtractString(pp, 'toolCallId')),
                   ',"response":', toJSONString(kaizen_v1_json_text(pp, if(JSONHas(pp, 'output'), 'output', 'result'))), '}'),
               concat('{"type":"text","content":',
                      toJSONString(if(JSONHas(pp, 'text'), JSONExtractString(pp, 'text'), JSONExtractString(pp, 'content'))), '}')),
               arrayFilter(pp -> JSONExtractString(pp, 'type') IN ('text', 'tool-call', 'tool_call', 'tool-result', 'tool_result', 'input_text', 'output_text'),
                           JSONExtractArrayRaw(m, 'content'))), ','),
           concat('{"type":"text","content":', toJSONString(kaizen_v1_json_text(m, 'content')), '}')),
        ']}'), JSONExtractArrayRaw(j)), ','), ']'));

-- Provider names of every dialect → the semantic conventions' gen_ai.provider.name values.
CREATE FUNCTION IF NOT EXISTS kaizen_v1_provider {{on_cluster}} AS (raw) -> multiIf(
    raw = '', '',
    raw = 'openai' OR startsWith(raw, 'openai.'), 'openai',
    raw = 'anthropic' OR startsWith(raw, 'anthropic.'), 'anthropic',
    raw IN ('gcp.gemini', 'gemini', 'google_ai_studio', 'google-genai', 'google_genai') OR startsWith(raw, 'google.generative-ai'), 'gcp.gemini',
    raw IN ('gcp.vertex_ai', 'vertex_ai', 'vertexai', 'vertex') OR startsWith(raw, 'google.vertex'), 'gcp.vertex_ai',
    raw IN ('gcp.gen_ai', 'google', 'gcp'), 'gcp.gen_ai',
    raw IN ('aws.bedrock', 'bedrock', 'aws', 'amazon-bedrock', 'amazon_bedrock') OR startsWith(raw, 'amazon-bedrock'), 'aws.bedrock',
    raw IN ('azure.ai.inference', 'az.ai.inference', 'azure-ai-inference'), 'azure.ai.inference',
    raw IN ('azure.ai.openai', 'az.ai.openai', 'azure', 'azure_openai', 'azure-openai') OR startsWith(raw, 'azure-openai') OR startsWith(raw, 'azure.'), 'azure.ai.openai',
    raw IN ('mistral_ai', 'mistral', 'mistralai') OR startsWith(raw, 'mistral.'), 'mistral_ai',
    raw IN ('x_ai', 'xai', 'x-ai') OR startsWith(raw, 'xai.'), 'x_ai',
    raw IN ('ibm.watsonx.ai', 'watsonx'), 'ibm.watsonx.ai',
    raw IN ('deepseek') OR startsWith(raw, 'deepseek.'), 'deepseek',
    raw IN ('groq') OR startsWith(raw, 'groq.'), 'groq',
    raw IN ('cohere') OR startsWith(raw, 'cohere.'), 'cohere',
    raw IN ('perplexity') OR startsWith(raw, 'perplexity.'), 'perplexity',
    raw);

-- gen_ai.provider.name → the provider id of @pydantic/genai-prices ('' = infer it from the model).
CREATE FUNCTION IF NOT EXISTS kaizen_v1_price_provider {{on_cluster}} AS (provider) -> multiIf(
    startsWith(provider, 'gcp.'), 'google',
    provider = 'aws.bedrock', 'aws',
    startsWith(provider, 'azure.'), 'azure',
    provider = 'mistral_ai', 'mistral',
    provider = 'x_ai', 'x-ai',
    provider = 'ibm.watsonx.ai', '',
    provider);
