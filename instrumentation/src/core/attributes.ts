import type { Attributes } from '@opentelemetry/api';
import { num, strings } from './read.js';

/** Sets a numeric request parameter when the request has a finite number there. */
export function setNumber(attributes: Attributes, key: string, value: unknown): void {
  const n = num(value);
  if (n !== undefined) attributes[key] = n;
}

/** Sets a string-array request parameter (a single string counts as a one-element array). */
export function setStrings(attributes: Attributes, key: string, value: unknown): void {
  const s = strings(value);
  if (s !== undefined) attributes[key] = s;
}

/** `models/gemini-2.5-flash`, `projects/p/…/publishers/google/models/gemini-2.5-flash` → `gemini-2.5-flash`. */
export function bareModelName(model: string): string {
  const at = model.lastIndexOf('models/');
  if (at < 0) return model;
  if (at > 0 && model[at - 1] !== '/') return model; // tunedModels/… keeps its name
  return model.slice(at + 'models/'.length);
}
