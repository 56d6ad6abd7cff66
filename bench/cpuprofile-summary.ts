// Summary of a V8 .cpuprofile (bench/run.ts --poll-cpu-prof, --profile): self time by function and the longest
// stretches the thread was busy without a break (what a request arriving then waits behind).
//   npx tsx bench/cpuprofile-summary.ts bench/out/poll-whole.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: cpuprofile-summary.ts FILE [--top N]');
const topIdx = process.argv.indexOf('--top');
const top = topIdx > 0 ? Number(process.argv[topIdx + 1]) : 25;
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const name = (n: Node) => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\/(\.next|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};
const idle = (n: Node) => ['(idle)', '(program)', '(garbage collector)'].includes(n.callFrame.functionName);

const self = new Map<string, number>();
let total = 0;
let gc = 0;
let idleMs = 0;
const stretches: { start: number; ms: number; top: Map<string, number> }[] = [];
let cur: { start: number; ms: number; top: Map<string, number> } | undefined;
let t = 0;
p.samples.forEach((id, i) => {
  const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
  t += (p.timeDeltas[i] ?? 0) / 1000;
  const n = byId.get(id)!;
  total += dt;
  const fn = n.callFrame.functionName;
  if (fn === '(garbage collector)') gc += dt;
  if (fn === '(idle)') {
    idleMs += dt;
    if (cur) stretches.push(cur);
    cur = undefined;
    return;
  }
  self.set(name(n), (self.get(name(n)) ?? 0) + dt);
  cur ??= { start: t, ms: 0, top: new Map() };
  cur.ms += dt;
  // The outermost named frame below the event loop: what this stretch was doing.
  let k: Node = n;
  const chain: Node[] = [];
  for (let pid = parent.get(k.id); pid !== undefined; pid = parent.get(pid)) chain.push(byId.get(pid)!);
  const label = chain
    .reverse()
    .filter((c) => !idle(c) && c.callFrame.functionName && c.callFrame.functionName !== '(root)')
    .slice(0, 6)
    .map((c) => c.callFrame.functionName)
    .join(' > ');
  cur.top.set(label, (cur.top.get(label) ?? 0) + dt);
  k = n;
});
if (cur) stretches.push(cur);

console.log(`${file}: ${(total / 1000).toFixed(1)} s sampled, busy ${((total - idleMs) / 1000).toFixed(1)} s (GC ${(gc / 1000).toFixed(1)} s)`);
console.log(`\nself time, top ${top}:`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${v.toFixed(0).padStart(8)} ms  ${k}`);
console.log('\nlongest busy stretches (no idle sample between):');
for (const s of [...stretches].sort((a, b) => b.ms - a.ms).slice(0, 12)) {
  const main = [...s.top].sort((a, b) => b[1] - a[1]).slice(0, 2);
  console.log(`${s.ms.toFixed(0).padStart(8)} ms at ${(s.start / 1000).toFixed(1)} s: ${main.map(([l, ms]) => `${ms.toFixed(0)} ms ${l}`).join(' | ')}`);
}
