// --list-hosts and --list-tasks, in ansible-playbook's layout.
import type { Inventory, Playbook, TaskNode } from '../types.js';
import { playHosts } from './executor.js';
import { shouldRun } from './tags.js';

function tagList(tags: string[]): string {
  return `[${[...new Set(tags)].sort().join(', ')}]`;
}

function playHeader(i: number, play: Playbook['plays'][number]): string {
  return `  play #${i + 1} (${play.hosts}): ${play.name || play.hosts}\tTAGS: ${tagList(play.tags)}`;
}

export function listHosts(pb: Playbook, inv: Inventory, limit: string | undefined, shownFile: string): string {
  const out = ['', `playbook: ${shownFile}`];
  pb.plays.forEach((play, i) => {
    const hosts = playHosts(inv, play, limit);
    out.push('', playHeader(i, play), `    pattern: ['${play.hosts}']`, `    hosts (${hosts.length}):`, ...hosts.map((h) => `      ${h}`));
  });
  return out.join('\n') + '\n';
}

export function listTasks(pb: Playbook, tags: string[], skipTags: string[], shownFile: string): string {
  const out = ['', `playbook: ${shownFile}`];
  const walk = (nodes: TaskNode[], inherited: string[], lines: string[]) => {
    for (const n of nodes) {
      const t = [...inherited, ...n.tags];
      if (n.kind === 'block') {
        walk([...n.block, ...n.rescue, ...n.always], t, lines);
        continue;
      }
      if (!shouldRun(t, tags, skipTags)) continue;
      if (n.kind === 'task' && n.action === 'meta') continue;
      const base = n.kind === 'task' ? n.name ?? n.actionAs : n.name ?? (n.what === 'tasks' ? 'include_tasks' : 'include_role');
      const name = n.role ? `${n.role.name} : ${base}` : base;
      lines.push(`      ${name}\tTAGS: ${tagList(t)}`);
    }
  };
  pb.plays.forEach((play, i) => {
    const lines: string[] = [];
    walk([...play.preTasks, ...play.roleTasks, ...play.tasks, ...play.postTasks], play.tags, lines);
    out.push('', playHeader(i, play), '    tasks:', ...lines);
  });
  return out.join('\n') + '\n';
}
