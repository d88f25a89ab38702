import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_CONTENT_LENGTH, resolveCaptureContent, resolveMaxContentLength } from './settings.js';

describe('resolveCaptureContent', () => {
  it('uses the fallback when nothing is said', () => {
    expect(resolveCaptureContent(undefined, true, {})).toBe(true);
    expect(resolveCaptureContent(undefined, false, {})).toBe(false);
  });

  it('lets either variable set to false turn capture off, whatever the code asked', () => {
    expect(resolveCaptureContent(true, true, { KAIZEN_CAPTURE_CONTENT: 'false' })).toBe(false);
    expect(resolveCaptureContent(true, true, { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'FALSE' })).toBe(
      false,
    );
    expect(
      resolveCaptureContent(undefined, true, { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'no_content' }),
    ).toBe(false);
  });

  it('prefers the code’s choice over a variable set to true, and that over the fallback', () => {
    expect(resolveCaptureContent(false, true, { KAIZEN_CAPTURE_CONTENT: 'true' })).toBe(false);
    expect(
      resolveCaptureContent(undefined, false, { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' }),
    ).toBe(true);
    expect(
      resolveCaptureContent(undefined, false, { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'span_only' }),
    ).toBe(true);
  });

  it('ignores values it does not understand', () => {
    expect(resolveCaptureContent(undefined, true, { KAIZEN_CAPTURE_CONTENT: 'maybe' })).toBe(true);
  });
});

describe('resolveMaxContentLength', () => {
  it('defaults to 64 KiB, lowered by an OpenTelemetry attribute length limit', () => {
    expect(resolveMaxContentLength(undefined, {})).toBe(DEFAULT_MAX_CONTENT_LENGTH);
    expect(resolveMaxContentLength(undefined, { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '4096' })).toBe(4096);
    expect(resolveMaxContentLength(undefined, { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '1000000' })).toBe(
      DEFAULT_MAX_CONTENT_LENGTH,
    );
    expect(resolveMaxContentLength(500, { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '4096' })).toBe(500);
  });
});
