import type { CallRecord } from '../analysis.types.js';

/**
 * The shape of the task a call performs, read from its request and its answer: the simple shapes
 * (classification, extraction, translation, yes/no, formatting, a short answer) that a model many
 * times cheaper usually handles, or undefined when the task looks open-ended or hard.
 */
export type TaskShape = 'classification' | 'extraction' | 'translation' | 'yes_no' | 'formatting' | 'short_answer';

const SHAPES: readonly (readonly [TaskShape, RegExp])[] = [
  ['yes_no', /\b(yes or no|yes\/no|true or false|answer (only )?(with )?["']?(yes|no)["']?)\b/i],
  [
    'classification',
    /\b(classify|classif(y|ies|ication)|categori[sz]e|which category|sentiment|intent|label (it|this|the)|one of the following|one of:|one of \[|choose (one|from)|priority (level|of))\b/i,
  ],
  ['translation', /\btranslat(e|ion|ing)\b/i],
  [
    'extraction',
    /\b(extract|pull out|parse|fill (in )?the (json|fields)|return (the |only )?(fields|json)|named entities|entities)\b/i,
  ],
  [
    'formatting',
    /\b(reformat|format (this|the following|as)|convert (this |the following )?(to|into) (json|csv|markdown|yaml|xml)|fix (the )?(grammar|spelling|typos)|normali[sz]e (the |this )?(address|date|name))\b/i,
  ],
];

const TASK_STATEMENT_CHARS = 300;

/** Requests that signal a hard or open-ended task, whatever the answer's length. */
const COMPLEX =
  /\b(step[- ]by[- ]step|think (carefully|hard)|reason(ing)? (about|through)|prove|derive|debug|refactor|write (a |an |the )?(\w+ ){0,2}(code|function|program|essay|story|article|report|plan|outline|section|briefing|proposal|email)|draft|design|architect|strategy|critique|explain why|trade-?offs?|multi-step|plan (the|a)|root cause|research)\b/i;

function looksStructured(text: string): boolean {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

export interface ShapeReading {
  readonly shape: TaskShape;
  /** How strongly the request names the shape (explicit keyword) — 'explicit' or 'inferred'. */
  readonly strength: 'explicit' | 'inferred';
}

export function taskShape(call: CallRecord, shortOutputTokens: number): ShapeReading | undefined {
  if (call.isError || call.toolCount > 0 || call.operation === 'embeddings') return undefined;
  if (call.outputTokens === 0) return undefined;
  const lastUser = [...call.messages].reverse().find((m) => m.role === 'user')?.text ?? '';
  // The task is stated in the request or at the start of the system prompt; long system prompts
  // mention many things ("translate product names …") that are not this call's task.
  const request = `${call.systemRaw.slice(0, TASK_STATEMENT_CHARS)}\n${lastUser}`;
  if (COMPLEX.test(request)) return undefined;
  const structured = call.outputType === 'json' || looksStructured(call.outputText);
  const short = call.outputTokens <= shortOutputTokens;
  for (const [shape, re] of SHAPES) {
    if (!re.test(request)) continue;
    // Translation and formatting answers are as long as their input; the others are short.
    if (shape === 'translation' || shape === 'formatting') {
      if (call.outputTokens <= Math.max(shortOutputTokens * 4, call.inputTokens * 1.5))
        return { shape, strength: 'explicit' };
      continue;
    }
    if (short || (structured && call.outputTokens <= shortOutputTokens * 3)) return { shape, strength: 'explicit' };
  }
  if (short && structured) return { shape: 'extraction', strength: 'inferred' };
  return undefined;
}
