import type { ServerResponse } from 'node:http';
import { chunks, markers, sendJson, sendSse, type AnswerText, type StubRequest } from './stub-types.ts';

/**
 * The Gemini API, as both Google SDKs call it: POST /{v1,v1beta,v1beta1}/models/{model}:generateContent,
 * :streamGenerateContent?alt=sse (usageMetadata repeated on chunks as running totals), :embedContent,
 * and the Vertex AI form /v1*\/projects/{p}/locations/{l}/publishers/google/models/{model}:…
 * candidatesTokenCount excludes thoughtsTokenCount; promptTokenCount includes cachedContentTokenCount.
 */

export const GEMINI_USAGE = {
  promptTokenCount: 42,
  cachedContentTokenCount: 12,
  candidatesTokenCount: 11,
  thoughtsTokenCount: 6,
  totalTokenCount: 59,
};

/** The model and method of a Gemini path, or undefined when the path is not one. */
export function geminiRoute(path: string): { model: string; method: string } | undefined {
  const match =
    /^\/v1[a-z0-9]*\/(?:projects\/[^/]+\/locations\/[^/]+\/)?(?:publishers\/[^/]+\/)?models\/([^/:]+):([A-Za-z]+)$/.exec(
      path,
    );
  return match === null ? undefined : { model: decodeURIComponent(match[1]!), method: match[2]! };
}

function geminiError(res: ServerResponse, status: number): void {
  const state = status === 429 ? 'RESOURCE_EXHAUSTED' : 'INTERNAL';
  sendJson(res, status, { error: { code: status, message: `stub ${status}`, status: state } });
}

export async function gemini(
  req: StubRequest,
  res: ServerResponse,
  route: { model: string; method: string },
  answer: AnswerText,
): Promise<void> {
  const m = markers(req.prompt);
  if (m.status !== undefined) return geminiError(res, m.status);
  if (route.method === 'embedContent') {
    return sendJson(res, 200, { embedding: { values: [0.1, 0.2, 0.3, 0.4] } });
  }
  if (route.method === 'batchEmbedContents') {
    const n = Array.isArray(req.body['requests']) ? req.body['requests'].length : 1;
    return sendJson(res, 200, { embeddings: Array.from({ length: n }, () => ({ values: [0.1, 0.2] })) });
  }
  const modelVersion = `${route.model}-001`;
  const responseId = 'gemini-stub-1';
  const text = answer(req);
  const functionCall = { functionCall: { name: 'get_weather', args: { city: 'Paris' } } };
  if (route.method === 'generateContent') {
    return sendJson(res, 200, {
      candidates: [
        {
          content: { role: 'model', parts: m.tool ? [functionCall] : [{ text }] },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: GEMINI_USAGE,
      modelVersion,
      responseId,
    });
  }
  if (route.method !== 'streamGenerateContent')
    return sendJson(res, 404, { error: { code: 404, message: 'no such method' } });
  const pieces = m.tool ? [null] : chunks(text);
  const events = pieces.map((piece, i) => {
    const last = i === pieces.length - 1;
    // Running totals: every chunk repeats the prompt count; candidates grow to the final count.
    const candidates = last ? GEMINI_USAGE.candidatesTokenCount : 3 * (i + 1);
    return {
      data: {
        candidates: [
          {
            content: { role: 'model', parts: piece === null ? [functionCall] : [{ text: piece }] },
            ...(last ? { finishReason: 'STOP' } : {}),
            index: 0,
          },
        ],
        usageMetadata: {
          ...GEMINI_USAGE,
          candidatesTokenCount: candidates,
          totalTokenCount: GEMINI_USAGE.promptTokenCount + candidates + GEMINI_USAGE.thoughtsTokenCount,
        },
        modelVersion,
        responseId,
      },
    };
  });
  await sendSse(res, events);
}
