// Verifies one Standard Webhooks delivery with the reference implementation (npm "standardwebhooks").
// Input on stdin: JSON {"secret": "whsec_...", "headers": {"webhook-id": ..., "webhook-timestamp": ..., "webhook-signature": ...}, "body": "<raw body as a string>"}
// Exit 0 when Webhook.verify accepts it; otherwise print the error and exit 1.
// Used by StandardWebhooksSignerTest; install with: npm ci --prefix src/test/node
import { Webhook } from "standardwebhooks";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);

try {
  const { secret, headers, body } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  new Webhook(secret).verify(body, headers);
  console.log("verified");
  process.exit(0);
} catch (error) {
  console.log(`${error.name}: ${error.message}`);
  process.exit(1);
}
