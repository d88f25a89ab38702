import type { Json } from '../fingerprint/index.js';

/**
 * The semantic conventions' message JSON (gen_ai.input.messages / gen_ai.output.messages /
 * gen_ai.system_instructions): `[{ role, parts: [{ type, … }] }]`. Types, not interfaces, so a
 * message is also a `Json` value and can be handed to `computeFingerprints` as recorded.
 */
export type Part = { [key: string]: Json; type: string };
export type Message = { [key: string]: Json; role: string; parts: Part[] };
export type ToolDefinition = { [key: string]: Json; type: string; name: string };

export type { Json };

export function textPart(content: string): Part {
  return { type: 'text', content };
}

export function reasoningPart(content: string): Part {
  return { type: 'reasoning', content };
}

export function toolCallPart(id: string | undefined, name: string, args: Json | undefined): Part {
  const part: Part = { type: 'tool_call', name };
  if (id !== undefined) part['id'] = id;
  if (args !== undefined) part['arguments'] = args;
  return part;
}

export function toolResponsePart(id: string | undefined, response: Json): Part {
  const part: Part = { type: 'tool_call_response', response };
  if (id !== undefined) part['id'] = id;
  return part;
}

/** A media part from a data: URL (blob) or any other URL (uri). */
export function mediaPart(modality: string, url: string, mimeType?: string): Part {
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    const header = url.slice(5, comma < 0 ? undefined : comma);
    const mime = header.split(';')[0] || mimeType;
    const part: Part = { type: 'blob', modality, content: comma < 0 ? '' : url.slice(comma + 1) };
    if (mime) part['mime_type'] = mime;
    return part;
  }
  const part: Part = { type: 'uri', modality, uri: url };
  if (mimeType) part['mime_type'] = mimeType;
  return part;
}

export function blobPart(modality: string, data: string, mimeType?: string): Part {
  const part: Part = { type: 'blob', modality, content: data };
  if (mimeType) part['mime_type'] = mimeType;
  return part;
}

/** image/png → image; application/pdf → document. */
export function modalityOf(mimeType: string | undefined): string {
  if (!mimeType) return 'document';
  const top = mimeType.split('/')[0];
  return top === 'image' || top === 'audio' || top === 'video' ? top : 'document';
}

export function message(role: string, parts: Part[]): Message {
  return { role, parts };
}

/** A value from an SDK request or response as JSON (they are JSON on the wire; undefined → null). */
export function asJson(value: unknown): Json {
  if (value === undefined) return null;
  return value as Json;
}
