// Runs a script on the preferred Node of node-versions.json (the primary target, Node 24) when it
// is installed in .cache/node, otherwise on the Node running this, and says which:
// `node scripts/preferred-node.mjs dist/bench/run.js --ci`. `npm start` and `npm run bench` go
// through it; `npm run node:install` installs the pinned versions.
import { spawn } from 'node:child_process';
import { PREFERRED, nodeBinary } from './pinned-node.mjs';

const [script, ...args] = process.argv.slice(2);
if (script === undefined) {
  console.error('usage: node scripts/preferred-node.mjs <script> [args...]');
  process.exit(2);
}
const pinned = nodeBinary(PREFERRED);
console.log(
  pinned !== null
    ? `Node ${PREFERRED} (pinned in node-versions.json): ${pinned}`
    : `Node ${process.versions.node} (this shell's): the pinned Node ${PREFERRED} is not installed; npm run node:install installs it`,
);
const child = spawn(pinned ?? process.execPath, [script, ...args], { stdio: 'inherit' });
// Ctrl-C reaches the child through the terminal's process group; it decides when to exit.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
