// Development only: serves https://localhost:3000 with the office-addin-dev-certs certificate
// and forwards every request to the Noticed server on http://127.0.0.1:3978, because Outlook
// loads add-ins over HTTPS only. See addin/README.md.
//
//   node addin/https-proxy.mjs [--port 3000] [--target http://127.0.0.1:3978]
import console from 'node:console';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { URL } from 'node:url';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const port = Number(arg('port', '3000'));
const target = new URL(arg('target', 'http://127.0.0.1:3978'));
const certs = join(homedir(), '.office-addin-dev-certs');

let tls;
try {
  tls = { cert: readFileSync(join(certs, 'localhost.crt')), key: readFileSync(join(certs, 'localhost.key')) };
} catch {
  console.error(`No development certificate in ${certs}. Run: npx office-addin-dev-certs install`);
  process.exit(1);
}

createServer(tls, (req, res) => {
  const upstream = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host, 'x-forwarded-proto': 'https' } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`Noticed is not answering at ${target.origin}. Is npm start running?`);
  });
  req.pipe(upstream);
}).listen(port, '127.0.0.1', () => console.log(`https://localhost:${port} → ${target.origin}`));
