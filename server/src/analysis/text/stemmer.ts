/**
 * A light English suffix stemmer (in the spirit of Porter's, much shorter). What matters here is
 * consistency — "summarise", "summarized", "summarization" and "summarizing" must land on the same
 * stem — not linguistic accuracy. Words of three letters or fewer, and words with digits, are kept.
 */

const VOWEL = /[aeiouy]/;

function hasVowel(s: string): boolean {
  return VOWEL.test(s);
}

function undouble(s: string): string {
  const n = s.length;
  if (n >= 3 && s[n - 1] === s[n - 2] && !'lsz'.includes(s[n - 1]!) && !VOWEL.test(s[n - 1]!)) {
    return s.slice(0, -1);
  }
  return s;
}

const DERIVATIONAL: readonly (readonly [suffix: string, replacement: string, minStem: number])[] = [
  ['izations', 'ize', 3],
  ['ization', 'ize', 3],
  ['ifications', 'ify', 3],
  ['ification', 'ify', 3],
  ['ational', 'ate', 3],
  ['ations', 'ate', 3],
  ['ation', 'ate', 3],
  ['etions', 'ete', 3],
  ['etion', 'ete', 3],
  ['ctions', 'ct', 3],
  ['ction', 'ct', 3],
  ['fulness', 'ful', 3],
  ['iveness', 'ive', 3],
  ['ousness', 'ous', 3],
  ['alities', 'al', 3],
  ['ality', 'al', 3],
  ['ivities', 'ive', 3],
  ['ivity', 'ive', 3],
  ['bilities', 'ble', 3],
  ['bility', 'ble', 3],
  ['ements', '', 4],
  ['ement', '', 4],
  ['ments', '', 3],
  ['ment', '', 3],
  ['nesses', '', 3],
  ['ness', '', 3],
  ['ically', 'ic', 3],
  ['ally', 'al', 3],
  ['ily', 'y', 3],
];

export function stem(word: string): string {
  let w = word;
  if (w.length <= 2 || /\d/.test(w)) return w;
  // British spellings: organise/organisation -> organize/organization.
  if (w.length > 5) w = w.replace(/is(e|es|ed|ing|er|ers|ation|ations)$/, 'iz$1');
  for (const [suffix, replacement, minStem] of DERIVATIONAL) {
    if (w.endsWith(suffix) && w.length - suffix.length >= minStem) {
      w = w.slice(0, -suffix.length) + replacement;
      break;
    }
  }
  // Plurals.
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is') && w.length > 3) {
    w = w.slice(0, -1);
  }
  // -ing, -ed.
  if (w.endsWith('ing') && w.length >= 5 && hasVowel(w.slice(0, -3))) {
    w = undouble(w.slice(0, -3));
  } else if (w.endsWith('ed') && !w.endsWith('eed') && w.length >= 4 && hasVowel(w.slice(0, -2))) {
    w = undouble(w.slice(0, -2));
  }
  if (w.endsWith('ly') && w.length > 5 && !w.endsWith('ply')) w = w.slice(0, -2);
  if (w.endsWith('e') && w.length >= 3) w = w.slice(0, -1);
  if (w.endsWith('y') && w.length > 3) w = `${w.slice(0, -1)}i`;
  return w;
}
