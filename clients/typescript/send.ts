// The seed's text example through the generated client: node dist/send.js <baseUrl> <data/demo.json>
import { readFileSync } from "node:fs";
import { Configuration, MessagesApi } from "./generated/index.js";

const [baseUrl, demoFile] = process.argv.slice(2);
const demo = JSON.parse(readFileSync(demoFile, "utf8"));
const messages = new MessagesApi(new Configuration({ basePath: baseUrl, headers: { "X-API-KEY": demo.apiKey } }));

const sent = await messages.postMessagesSend({
  sendMessageRequest: {
    message: { type: "text", text: { body: "testing msg" } },
    sessionId: "SESSION_ID", customerId: demo.customerId, userId: demo.userId, orgId: demo.orgId,
  },
});
console.log(`sent ${sent.id}: ${sent.status}`);
if (!sent.id || sent.customerId !== demo.customerId) {
  throw new Error(`unexpected answer: ${JSON.stringify(sent)}`);
}
