// A small support-desk workflow on OpenAI and Gemini, instrumented for Kaizen.
//
//   npx kaizen up                                   # in another terminal: store, collector, API
//   OPENAI_API_KEY=… GEMINI_API_KEY=… \
//   OTEL_SERVICE_NAME=support-desk node --import @kaizen/instrumentation/register app.mjs
//
// `--import @kaizen/instrumentation/register` instruments the SDKs before they load and exports
// spans over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318, Kaizen's collector).
// OPENAI_BASE_URL and GEMINI_BASE_URL point the SDKs somewhere else (a proxy, or a local stub).
import { GoogleGenAI } from '@google/genai';
import { shutdown, withAgent, withTool, withWorkflow } from '@kaizen/instrumentation';
import OpenAI from 'openai';

const openai = new OpenAI(); // OPENAI_API_KEY, OPENAI_BASE_URL
const gemini = new GoogleGenAI({
  apiKey: process.env.GEMINI_API_KEY,
  ...(process.env.GEMINI_BASE_URL ? { httpOptions: { baseUrl: process.env.GEMINI_BASE_URL } } : {}),
});

const FAQ = {
  billing: 'Invoices are sent on the 1st; refunds take 5 business days.',
  shipping: 'Orders ship within 2 days; tracking arrives by email.',
};

async function answer(email) {
  // One workflow run = one trace; every model call inside carries the workflow and agent names.
  return withWorkflow('support-reply', async () => {
    const routed = await withAgent('router', () =>
      openai.chat.completions.create({
        model: 'gpt-4o-mini',
        temperature: 0,
        messages: [
          { role: 'system', content: 'Classify the email as billing or shipping. Answer with one word.' },
          { role: 'user', content: email },
        ],
      }),
    );
    const category = routed.choices[0]?.message.content?.trim().toLowerCase().includes('ship') ? 'shipping' : 'billing';
    const facts = await withTool('faq_lookup', () => FAQ[category], { type: 'datastore' });

    const draft = await withAgent('writer', () =>
      gemini.models.generateContent({
        model: 'gemini-2.5-flash',
        contents: `Write a short, friendly reply to this email using only these facts.\nFacts: ${facts}\nEmail: ${email}`,
      }),
    );

    // Streaming is measured too: time to first token, and usage from the last chunk.
    const stream = await withAgent('reviewer', () =>
      openai.chat.completions.create({
        model: 'gpt-4o-mini',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: `Fix any mistakes in this reply:\n${draft.text}` }],
      }),
    );
    let reply = '';
    for await (const chunk of stream) reply += chunk.choices[0]?.delta?.content ?? '';
    return reply;
  });
}

const emails = [
  'Hello, I was charged twice on my last invoice. Can you help?',
  'Where is my parcel? I ordered on Monday.',
];
for (const email of emails) console.log(`→ ${(await answer(email)).slice(0, 80)}`);
await shutdown(); // export what is pending before exiting
