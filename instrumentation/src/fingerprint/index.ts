export {
  computeFingerprints,
  FINGERPRINT_VERSION,
  hash64,
  messageText,
  normWs,
  parseMessagesJson,
  parseSystemInstructions,
  partText,
  promptText,
  SIMHASH_MAX_CODE_POINTS,
  systemText,
} from './fingerprint.js';
export type { FingerprintInput, Fingerprints, Json } from './fingerprint.js';
export { ngramSimHashUTF8, simHashDistance } from './simhash.js';
